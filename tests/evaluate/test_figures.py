"""Regression protection: the development-set figures must not drop more than two points below figures.json.

Runs the reference article, the first PLOVER records and the first re3d sentences (the fixed sample of
``dragoman.evaluate.record``). After a change meant to move the figures, re-record them with
``python -m dragoman.evaluate.record`` and commit figures.json with the change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dragoman.evaluate.record import measure

FIGURES = Path(__file__).parent / "figures.json"
SHARED = Path(__file__).parents[2].parent / "shared"
TOLERANCE = 0.02


@pytest.mark.slow
@pytest.mark.skipif(not (SHARED / "eval" / "data").is_dir(), reason="../shared/eval/data is not checked out")
def test_development_figures_do_not_regress(pipeline: Any) -> None:
    recorded: dict[str, float] = json.loads(FIGURES.read_text(encoding="utf-8"))["guarded"]
    measured = measure(SHARED, pipeline=pipeline)
    assert measured.keys() == recorded.keys(), "figures.json is out of date: re-record it"
    dropped = {k: (recorded[k], measured[k]) for k in recorded if measured[k] < recorded[k] - TOLERANCE}
    assert not dropped, "figures dropped more than 2 points (recorded, measured): " + json.dumps(dropped)
