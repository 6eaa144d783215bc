"""Resolution of mentions to things in the world: actors to entities, toponyms to places."""
