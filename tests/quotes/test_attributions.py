"""Attributions read from sentences written for these tests: source, cue and content spans, and the
speaker entity, for direct, partly quoted and reported speech, "according to", claims, headlines,
documents, continued quotations and nested attributions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from dragoman.analyse import analyse

CASES = yaml.safe_load((Path(__file__).parent / "attributions.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_attribution(case: dict[str, Any], pipeline: Any) -> None:
    result = analyse(case["text"], published="2025-04-08", pipeline=pipeline)
    text = result.article.text
    names = {e.id: e.name for e in result.entities}
    got = [(q.text, q.source_start is not None and text[q.source_start:q.source_end],
            q.cue_start is not None and text[q.cue_start:q.cue_end], names.get(q.speaker or ""))
           for q in result.quotes]
    for want in case["quotes"]:
        found = [q for q in result.quotes if q.text == want["content"]]
        assert found, f"no quote {want['content']!r}; got {got}"
        q = found[0]
        if "source" in want and want["source"] is None:  # an attribution to no one named
            assert q.source_start is None and q.speaker is None, got
        elif "source" in want:
            assert q.source_start is not None and text[q.source_start:q.source_end] == want["source"], got
        if "cue" in want:
            assert q.cue_start is not None and text[q.cue_start:q.cue_end] == want["cue"], got
        if "speaker" in want:
            assert q.speaker is not None and want["speaker"] in names[q.speaker], got
    for content in case.get("not_quotes", []):
        assert not any(q.text == content for q in result.quotes), got
    for want in case.get("pronouns", []):
        i = text.index(f" {want['pronoun']} ") + 1
        owners = [e.name for e in result.entities if any(m.start == i for m in e.mentions)]
        assert owners == ([want["entity"]] if want["entity"] else []), owners


def test_events_inside_quotations_are_attributed_to_the_speaker(pipeline: Any) -> None:
    text = ('UN envoy Amina Diallo visited the town on Monday. "This truce must be extended," she said. '
            '"The army shelled the market yesterday."')
    result = analyse(text, published="2025-04-08", pipeline=pipeline)
    names = {e.id: e.name for e in result.entities}
    shelling = next(ev for ev in result.events if ev.trigger.text == "shelled")
    assert shelling.event == "ASSAULT"
    assert shelling.attribution is not None and names.get(shelling.attribution.speaker or "") == "Amina Diallo"
    assert shelling.modality.certainty == "reported"
