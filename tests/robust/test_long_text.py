"""Long texts are analysed in segments whose results merge into one result over the whole text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman import segments
from dragoman.analyse import analyse
from dragoman.records import ArticleResult

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_cuts_fall_at_paragraphs_then_sentences_then_spaces() -> None:
    paras = "First paragraph here.\n\nSecond one is here.\n\nThird."
    assert segments.segment_spans(paras, 30) == [(0, 23), (23, len(paras))]
    assert segments.segment_spans(paras, 24) == [(0, 23), (23, 44), (44, len(paras))]
    sentences = "One two three. Four five six. Seven eight nine. Ten."
    spans = segments.segment_spans(sentences, 20)
    assert all(sentences[e - 2:e] == ". " for _, e in spans[:-1])
    words = "word " * 100
    spans = segments.segment_spans(words, 64)
    assert all(words[e - 1] == " " and e - s <= 64 for s, e in spans)
    solid = "x" * 100
    assert segments.segment_spans(solid, 30) == [(0, 30), (30, 60), (60, 90), (90, 100)]
    for text, size in ((paras, 30), (sentences, 20), (words, 64), (solid, 30)):
        spans = segments.segment_spans(text, size)
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:], strict=False))


def _check_invariants(result: ArticleResult) -> None:
    text = result.article.text
    d = result.to_dict()
    ids = {e["id"] for e in d["entities"]} | {p["id"] for p in d["places"]}

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
                assert 0 <= value["start"] <= value["end"] <= len(text)
                if isinstance(value.get("text"), str) and value["text"]:
                    assert text[value["start"]:value["end"]] == value["text"]
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(d)
    for ev in d["events"]:
        assert set(ev["actor"]) | set(ev["recipient"]) | set(ev["places"]) <= ids
    assert len({e["id"] for e in d["events"]}) == len(d["events"])
    assert len({e["id"] for e in d["entities"]}) == len(d["entities"])
    assert ArticleResult.from_dict(json.loads(json.dumps(d, allow_nan=False))) == result


def test_a_long_text_gives_each_segment_its_own_findings_at_global_offsets(
        pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    one = analyse((EXAMPLES / "goma-deal-collapse.txt").read_text(encoding="utf-8"), pipeline=pipeline)
    story = one.article.text  # as cleaned: nothing more to strip
    text = "\n\n".join([story] * 3)
    monkeypatch.setattr(segments, "LONG_TEXT_CHARS", len(story) + 10)
    monkeypatch.setattr(segments, "SEGMENT_CHARS", len(story) + 10)
    long = analyse(text, pipeline=pipeline)
    _check_invariants(long)
    assert len(long.events) == 3 * len(one.events)
    assert len(long.quotes) == 3 * len(one.quotes) and len(long.times) == 3 * len(one.times)
    # the same known actor or place in every segment is one, with three times the mentions
    kb_ids = [e.kb_id for e in long.entities if e.kb_id]
    assert kb_ids and len(kb_ids) == len(set(kb_ids)) == len({e.kb_id for e in one.entities if e.kb_id})
    assert len(long.places) == len(one.places)
    assert sum(len(e.mentions) for e in long.entities) == 3 * sum(len(e.mentions) for e in one.entities)
    third = [ev for ev in long.events if ev.trigger.start >= 2 * (len(story) + 2)]
    assert [ev.event for ev in third] == [ev.event for ev in one.events]


def test_a_long_line_without_punctuation_is_analysed(pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(segments, "LONG_TEXT_CHARS", 2_000)
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 1_000)
    words = "rebels attacked the village of Kiwanja near Goma and troops fired back "
    result = analyse(words * 60, pipeline=pipeline)
    _check_invariants(result)
    assert result.events


def test_a_text_longer_than_the_model_takes_at_once_is_analysed_in_segments(
        pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    # spaCy refuses a text over nlp.max_length (error E088; 1,000,000 characters by default, below
    # the 5 MB max_bytes): scaled down here to a model that takes 3,000 characters at once
    story = (EXAMPLES / "sahel-attack.txt").read_text(encoding="utf-8")
    text = "\n\n".join([story.strip()] * (1 + 4_000 // len(story)))
    assert len(text) > 3_000
    monkeypatch.setattr(pipeline.nlp, "max_length", 3_000)
    result = analyse(text, pipeline=pipeline)
    _check_invariants(result)
    assert result.events and result.events[-1].trigger.start > 3_000


def test_streamed_json_is_byte_for_byte_the_json_of_the_whole_result(
        pipeline, monkeypatch: pytest.MonkeyPatch) -> None:
    results = [analyse(p.read_bytes(), source=str(p), pipeline=pipeline) for p in sorted(EXAMPLES.glob("*.txt"))[:3]]
    results.append(ArticleResult(article=results[0].article))  # nothing found: empty lists
    monkeypatch.setattr(segments, "LONG_TEXT_CHARS", 2_000)
    monkeypatch.setattr(segments, "SEGMENT_CHARS", 1_500)
    results.append(analyse("\n\n".join(r.article.text for r in results[:3]), pipeline=pipeline))
    for result in results:
        for indent in (None, 2):
            whole = json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)
            assert "".join(result.json_chunks(indent=indent)) == whole
