"""Regression protection: the development-set figures must not drop more than two points below figures.json.

Runs the reference article, the PLOVER and re3d development sets, the real development articles
(the project's own blind-annotated ones that figures.json lists), a sample of the CAMEO sets and the
WikiEvents documents (as much of them as figures.json's ``sample`` says). After a change meant to
move the figures, re-record them with ``python -m dragoman.evaluate.record`` and commit figures.json
with the change.
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
    data = json.loads(FIGURES.read_text(encoding="utf-8"))
    recorded: dict[str, float] = data["guarded"]
    sample = data["sample"]
    measured = measure(
        SHARED,
        pipeline=pipeline,
        plover_limit=None if sample["plover_records"] == "all" else int(sample["plover_records"]),
        ner_limit=None if sample["re3d_sentences"] == "all" else int(sample["re3d_sentences"]),
        cameo_limit=None if sample["cameo_sentences"] == "all" else int(sample["cameo_sentences"]),
        own_real=sample["real_own_articles"],
    )
    assert measured.keys() == recorded.keys(), "figures.json is out of date: re-record it"
    dropped = {k: (recorded[k], measured[k]) for k in recorded if measured[k] < recorded[k] - TOLERANCE}
    assert not dropped, "figures dropped more than 2 points (recorded, measured): " + json.dumps(dropped)
