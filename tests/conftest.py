"""Shared fixtures: the analysis pipeline is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
REFERENCE = SHARED / "examples" / "iraq-militias-disarm.txt"
REFERENCE_GOLD = SHARED / "examples" / "iraq-militias-disarm.gold.yaml"


@pytest.fixture(scope="session")
def pipeline():
    from dragoman.nlp import load_pipeline

    return load_pipeline()
