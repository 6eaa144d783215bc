"""Makes this folder's helper module ``goldset`` importable by its tests, and shares measurements."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goldset  # noqa: E402


@pytest.fixture(scope="session")
def gold_measured(pipeline: Any) -> dict[str, goldset.Measured]:
    """Every gold article analysed and scored once per session."""
    return {name: goldset.measure(name, pipeline) for name in goldset.gold_names()}
