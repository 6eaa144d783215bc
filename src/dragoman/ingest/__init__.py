"""Article sources: files, folders, JSON/CSV tables, feeds, URLs and standard input."""
