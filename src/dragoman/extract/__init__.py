"""Extraction from the spaCy Doc: event triggers, quotes, times and quantities, with offsets."""
