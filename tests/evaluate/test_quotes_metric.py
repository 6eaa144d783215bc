"""The PolNeAR attribution metric on articles written here: pairing, content, source, direct subset."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dragoman.errors import DragomanError
from dragoman.evaluate.quotes import is_direct, read_polnear, score_articles
from dragoman.records import Quote

TEXT = ('"The bridge is open," the mayor said. Officials said that traffic would resume on Monday. '
        'The council approved the budget.')


def _span(needle: str) -> list[int]:
    i = TEXT.index(needle)
    return [i, i + len(needle)]


def _gold(content: str, source: str | None) -> dict:
    return {"content": {"spans": [_span(content)], "text": content},
            "source": {"spans": [_span(source)], "text": source} if source else None,
            "cue": None}


def _quote(content: str, source: str | None, *, direct: bool) -> Quote:
    s, e = _span(content)
    src = _span(source) if source else [None, None]
    return Quote(text=content, start=s, end=e, direct=direct, source_start=src[0], source_end=src[1])


DOC = {"id": "a", "text": TEXT, "attributions": [
    _gold('"The bridge is open,"', "the mayor"),
    _gold("traffic would resume on Monday", "Officials"),
]}


def test_perfect_prediction_scores_one() -> None:
    pred = [_quote("The bridge is open,", "the mayor", direct=True),
            _quote("traffic would resume on Monday", "Officials", direct=False)]
    r = score_articles([DOC], [pred])
    assert r["all"]["content_f1"] == 1.0 and r["all"]["quote_source_f1"] == 1.0
    assert r["direct"]["gold"] == 1 and r["direct"]["predicted"] == 1
    assert r["direct"]["quote_source_f1"] == 1.0


def test_wrong_source_keeps_content_but_loses_quote_source() -> None:
    pred = [_quote("The bridge is open,", "Officials", direct=True),
            _quote("traffic would resume on Monday", "Officials", direct=False)]
    r = score_articles([DOC], [pred])["all"]
    assert r["content_f1"] == 1.0
    assert r["quote_source_f1"] == 0.5 and r["source_overlap_accuracy"] == 0.5
    assert r["source_token_f1"] == 0.5


def test_partial_source_overlap_counts_and_token_f1_is_partial() -> None:
    pred = [_quote("The bridge is open,", "mayor", direct=True)]
    r = score_articles([DOC], [pred])["all"]
    assert r["source_overlap_accuracy"] == 1.0
    assert r["source_token_f1"] == pytest.approx(2 / 3, abs=1e-3)
    assert r["content_recall"] == 0.5 and r["content_precision"] == 1.0


def test_pairing_is_one_to_one_and_a_false_alarm_lowers_precision() -> None:
    pred = [_quote("traffic would resume on Monday", "Officials", direct=False),
            _quote("resume on Monday", "Officials", direct=False),
            _quote("The council approved the budget", None, direct=False)]
    r = score_articles([DOC], [pred])
    assert r["all"]["pairs"] == 1 and r["all"]["predicted"] == 3
    kinds = sorted(e["kind"] for e in r["errors"])
    assert kinds == ["false_alarm", "false_alarm", "miss"]


def test_both_sources_absent_is_a_match() -> None:
    doc = {"id": "b", "text": TEXT, "attributions": [_gold("The council approved the budget", None)]}
    r = score_articles([doc], [[_quote("The council approved the budget", None, direct=False)]])["all"]
    assert r["quote_source_f1"] == 1.0 and r["source_token_f1"] == 1.0


def test_quotes_sharing_a_cue_are_one_attribution() -> None:
    text = '"We are ready," he said. "We will win."'
    first, second = text.index("We are"), text.index("We will")
    he, said = text.index("he"), text.index("said")
    doc = {"id": "c", "text": text, "attributions": [{
        "content": {"spans": [[first - 1, first + 14], [second - 1, len(text)]], "text": ""},
        "source": {"spans": [[he, he + 2]], "text": "he"}}]}
    pred = [Quote(text="", start=s, end=e, direct=True, source_start=he, source_end=he + 2,
                  cue_start=said, cue_end=said + 4)
            for s, e in ((first, first + 13), (second, len(text) - 1))]
    r = score_articles([doc], [pred])
    assert r["direct"]["predicted"] == 1 and r["direct"]["quote_source_f1"] == 1.0


@pytest.mark.parametrize(("content", "direct"), [
    ('"The bridge is open,"', True), ("''It is done.''", True), ("\u201cYes.\u201d ", True),
    ('the bridge is "open"', False), ('"open" is what he said', False),
])
def test_direct_means_content_starts_and_ends_with_a_quotation_mark(content: str, direct: bool) -> None:
    assert is_direct(content, ((0, len(content)),)) is direct


def test_bad_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "x", "attributions": [{"content": {"spans": [[0, "z"]]}}]}) + "\n")
    with pytest.raises(DragomanError, match="bad.jsonl:1"):
        read_polnear(path)


def test_quote_offsets_survive_json_and_old_results_still_load() -> None:
    q = Quote(text="open", start=1, end=5, direct=True, speaker="e1", speaker_text="the mayor", cue="said",
              source_start=10, source_end=19, cue_start=20, cue_end=24)
    assert Quote.from_dict(json.loads(json.dumps(q.to_dict()))) == q
    old = {k: v for k, v in q.to_dict().items() if not k.startswith(("source_", "cue_"))}
    assert Quote.from_dict(old).source_start is None and Quote.from_dict(old).cue == "said"


def test_words_quoted_inside_a_reported_clause_are_not_direct_quotations() -> None:
    text = 'The mayor said that "the bridge is open" today. He added, "Traffic will resume."'
    inner = text.index("the bridge is open")
    second = text.index("Traffic")
    pred = [Quote(text="", start=inner, end=inner + 18, direct=True),
            Quote(text="", start=second, end=text.index('."') + 1, direct=True)]
    r = score_articles([{"id": "d", "text": text, "attributions": []}], [pred])
    assert r["all"]["predicted"] == 2 and r["direct"]["predicted"] == 1


def test_an_attribution_nested_in_another_is_scored_as_part_of_it_only_on_request() -> None:
    text = "The minister said the envoy had told him that the border would reopen."
    outer = text.index("the envoy")
    inner = text.index("the border")
    told, said = text.index("told"), text.index("said")
    gold = {"id": "n", "text": text, "attributions": [{
        "content": {"spans": [[outer, len(text) - 1]], "text": ""},
        "source": {"spans": [[0, 12]], "text": "The minister"}}]}
    pred = [Quote(text="", start=outer, end=len(text) - 1, direct=False, source_start=0, source_end=12,
                  cue_start=said, cue_end=said + 4),
            Quote(text="", start=inner, end=len(text) - 1, direct=False, source_start=outer, source_end=outer + 9,
                  cue_start=told, cue_end=told + 4)]
    # the shared README's metric (the default) scores every predicted attribution
    exact = score_articles([gold], [pred])
    assert exact["all"]["predicted"] == 2 and exact["all"]["content_precision"] == 0.5
    r = score_articles([gold], [pred], merge_nested=True)
    assert r["all"]["predicted"] == 1 and r["all"]["content_precision"] == 1.0
    # words with their cue outside the other's content are not nested in it
    pred[1] = Quote(text="", start=inner, end=len(text) - 1, direct=False, cue_start=0, cue_end=3)
    assert score_articles([gold], [pred], merge_nested=True)["all"]["predicted"] == 2
