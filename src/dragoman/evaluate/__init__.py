"""Scorers for gold files and public datasets: article gold YAML, PLOVER records, TempEval-3,
GeoVirus and re3d."""
