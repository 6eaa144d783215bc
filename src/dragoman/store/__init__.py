"""The corpus store: schema and migrations, the single writer, queries (SQLite and PostgreSQL)."""
