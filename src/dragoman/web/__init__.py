"""The web layer: JSON API and dashboard."""
