"""Offline scripts that regenerate the generated parts of the knowledge base's data files."""
