"""The development-table machinery: article sets from dataset records, CAMEO and WikiEvents scoring,
and ``dragoman evaluate dev`` itself. The texts here are the project's own."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from dragoman.evaluate.articles import SourceError, discover, evaluate_articles, load_source_text, restore_paragraphs
from dragoman.evaluate.cameo import cameo_quad, score_actors, score_quad
from dragoman.evaluate.dev import DevPaths, measure_dev, rows_of
from dragoman.evaluate.wikievents import plover_type, prepare, score_document

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    ("text", "sentences", "expected"),
    [
        (
            "Rebels took the town.Troops fled.",
            ["Rebels took the town.", "Troops fled."],
            "Rebels took the town.\nTroops fled.",
        ),
        ("One. Two.Three.", ["One.", "Two.", "Three."], "One. Two.\nThree."),
        ("Headline here\nBody text.", ["Headline here", "Body text."], "Headline here\nBody text."),
    ],
)
def test_restore_paragraphs_puts_breaks_only_where_sentences_touch(text, sentences, expected) -> None:
    assert restore_paragraphs(text, sentences) == expected


def test_restore_paragraphs_refuses_a_sentence_not_in_order() -> None:
    with pytest.raises(SourceError):
        restore_paragraphs("Alpha. Beta.", ["Beta.", "Alpha."])


def _dataset(tmp_path: Path, text: str, **extra: Any) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    with open(data / "docs.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"id": "other", "text": "Not this one."}) + "\n")
        fh.write(json.dumps({"id": "d1", "text": text, **extra}) + "\n")
    return data


def test_source_text_is_read_by_id_and_checked_against_its_hash(tmp_path: Path) -> None:
    text = "Soldiers crossed the river.Villagers fled north."
    data = _dataset(tmp_path, text, sentences=[[[], "Soldiers crossed the river."], [[], "Villagers fled north."]])
    rebuilt = "Soldiers crossed the river.\nVillagers fled north."
    source = {
        "file": "docs.jsonl",
        "doc_id": "d1",
        "id_field": "id",
        "text_build": "restore_paragraphs",
        "sha256_of_text": hashlib.sha256(rebuilt.encode()).hexdigest(),
    }
    assert load_source_text(source, data) == rebuilt
    with pytest.raises(SourceError, match="sha256"):
        load_source_text({**source, "sha256_of_text": "0" * 64}, data)
    with pytest.raises(SourceError, match="0 records"):
        load_source_text({**source, "doc_id": "missing"}, data)


def test_discover_needs_a_source_or_a_text(tmp_path: Path) -> None:
    (tmp_path / "a.gold.yaml").write_text("entities: {}\n", encoding="utf-8")
    with pytest.raises(SourceError, match="a.txt"):
        discover(tmp_path)
    (tmp_path / "a.txt").write_text("Text.", encoding="utf-8")
    assert [s.slug for s in discover(tmp_path, texts=tmp_path)] == ["a"]


def test_an_article_set_from_a_dataset_record_is_analysed_with_its_date(tmp_path: Path, pipeline: Any) -> None:
    text = (HERE / "data" / "harbour-clash.txt").read_text(encoding="utf-8")
    data = _dataset(tmp_path, text)
    arts = tmp_path / "articles"
    arts.mkdir()
    gold = yaml.safe_load((HERE / "data" / "harbour-clash.gold.yaml").read_text(encoding="utf-8"))
    (arts / "clash.gold.yaml").write_text(
        "# kind: armed attacks and clashes\n" + yaml.safe_dump(gold), encoding="utf-8"
    )
    source = {
        "file": "docs.jsonl",
        "doc_id": "d1",
        "id_field": "id",
        "sha256_of_text": hashlib.sha256(text.encode()).hexdigest(),
        "published": gold["document"]["published"],
    }
    (arts / "clash.source.yaml").write_text(yaml.safe_dump(source), encoding="utf-8")
    [scored] = evaluate_articles(discover(arts), data_root=data, pipeline=pipeline)
    assert scored["slug"] == "clash"
    assert scored["kind"] == "armed attacks and clashes"
    assert scored["figures"]["published_ok"] == 1.0
    assert 0.0 < scored["figures"]["events_f1"] <= 1.0


def _event(kind: str, trigger: tuple[int, int], actor: list[str], recipient: list[str], conf: float = 0.9) -> dict:
    return {
        "id": f"v{trigger[0]}",
        "event": kind,
        "actor": actor,
        "recipient": recipient,
        "confidence": conf,
        "trigger": {"start": trigger[0], "end": trigger[1], "text": ""},
        "sentence": {"start": 0, "end": 200},
    }


def test_quad_scoring_leaves_out_statements_and_counts_no_event_as_wrong() -> None:
    records = [
        {"id": "a", "text": "x", "label_name": "MATERIAL_CONFLICT"},
        {"id": "b", "text": "x", "label_name": "VERBAL_COOPERATION"},
        {"id": "c", "text": "x", "label_name": "MAKE_STATEMENT"},
        {"id": "d", "text": "x", "label_name": "VERBAL_CONFLICT"},
    ]
    results = [
        {"events": [_event("ASSAULT", (0, 1), [], [])]},
        {"events": [_event("CONSULT", (0, 1), [], [])]},
        {"events": []},
        {"events": []},
    ]
    figures = score_quad(records, results)
    assert figures["sentences"] == 3
    assert figures["accuracy"] == pytest.approx(2 / 3)
    assert figures["no_event"] == 1
    assert [e["id"] for e in figures["errors"]] == ["d"]


def test_quad_scoring_uses_the_cameo_classes_of_concessions_and_sanctions() -> None:
    # CAMEO 08 "yield" (lifting a ban) is material cooperation and CAMEO 16 "reduce relations"
    # (suspending aid) verbal conflict, though PLOVER's own quads put CONCEDE and SANCTION elsewhere.
    records = [
        {"id": "lift", "text": "x", "label_name": "MATERIAL_COOPERATION"},
        {"id": "cut", "text": "x", "label_name": "VERBAL_CONFLICT"},
        {"id": "hit", "text": "x", "label_name": "MATERIAL_CONFLICT"},
    ]
    results = [
        {"events": [_event("CONCEDE", (0, 1), [], [])]},
        {"events": [_event("SANCTION", (0, 1), [], [])]},
        {"events": [_event("ASSAULT", (0, 1), [], [])]},
    ]
    figures = score_quad(records, results)
    assert figures["accuracy"] == pytest.approx(1.0)
    assert figures["plover_class_accuracy"] == pytest.approx(1 / 3)
    assert cameo_quad("CONCEDE") == 2 and cameo_quad("SANCTION") == 3 and cameo_quad("AGREE") == 1


def test_actor_scoring_takes_the_mention_nearest_the_trigger_and_reciprocal_spans_count_both_ways() -> None:
    tokens = ["Police", "arrested", "the", "mayor", "while", "police", "watched", "."]
    # "Police arrested the mayor while police watched ." offsets: Police 0-6, arrested 7-15, mayor 20-25, police 32-38
    result = {
        "events": [_event("COERCE", (7, 15), ["e1"], ["e2"])],
        "entities": [
            {"id": "e1", "mentions": [{"start": 32, "end": 38}, {"start": 0, "end": 6}]},
            {"id": "e2", "mentions": [{"start": 20, "end": 25}]},
        ],
    }
    record = {
        "id": "s",
        "tokens": tokens,
        "spans": [{"start": 0, "end": 1, "label": "S"}, {"start": 2, "end": 4, "label": "T"}],
    }
    figures = score_actors([record], [result])
    assert figures["actor"]["overlap_share"] == 1.0
    assert figures["recipient"]["overlap_share"] == 1.0
    assert figures["recipient"]["precision"] == 1.0 and figures["recipient"]["recall"] == 0.5
    reciprocal = {"id": "r", "tokens": tokens, "spans": [{"start": 3, "end": 4, "label": "R"}]}
    figures = score_actors([reciprocal], [result])
    assert figures["actor"]["overlap_share"] == 0.0 and figures["recipient"]["overlap_share"] == 1.0
    assert figures["errors"] and figures["errors"][0]["actor_gold"] == "mayor"


def test_actor_scoring_takes_a_name_before_a_nearer_pronoun_of_the_same_entity() -> None:
    tokens = ["Chile", "said", "it", "will", "send", "aid", "to", "Peru", "."]
    # offsets: Chile 0-5, it 12-14, send 20-24, Peru 36-40
    result = {
        "events": [_event("AID", (20, 24), ["e1"], ["e2"])],
        "entities": [
            {"id": "e1", "mentions": [{"start": 0, "end": 5, "text": "Chile"}, {"start": 12, "end": 14, "text": "it"}]},
            {"id": "e2", "mentions": [{"start": 36, "end": 40, "text": "Peru"}]},
        ],
    }
    record = {"id": "p", "tokens": tokens,
              "spans": [{"start": 0, "end": 1, "label": "S"}, {"start": 7, "end": 8, "label": "T"}]}
    assert score_actors([record], [result])["actor"]["overlap_share"] == 1.0
    # a pronoun still stands for an entity the sentence names no other way
    only_pronoun = {**result, "entities": [{"id": "e1", "mentions": [{"start": 12, "end": 14, "text": "it"}]},
                                           result["entities"][1]]}
    pronoun_gold = {**record, "spans": [{"start": 2, "end": 3, "label": "S"}]}
    assert score_actors([pronoun_gold], [only_pronoun])["actor"]["overlap_share"] == 1.0


@pytest.mark.parametrize(
    ("kairos", "plover"),
    [
        ("Conflict.Attack.DetonateExplode", "ASSAULT"),
        ("Conflict.Attack", "ASSAULT"),
        ("Justice.ArrestJailDetain.Unspecified", "COERCE"),
        ("Contact.Contact.Meet", "CONSULT"),
        ("Contact.Contact.Broadcast", None),
        ("Life.Die.Unspecified", None),
        ("Conflict.AttackX", None),
    ],
)
def test_kairos_types_map_to_plover_by_prefix(kairos: str, plover: str | None) -> None:
    assert plover_type(kairos) == plover


def test_wikievents_triggers_types_and_attackers_are_counted() -> None:
    sentences = [
        [
            [["Gunmen", 0, 6], ["attacked", 7, 15], ["a", 16, 17], ["bus", 18, 21], [".", 21, 22]],
            "Gunmen attacked a bus.",
        ],
        [
            [["The", 23, 26], ["raid", 27, 31], ["killed", 32, 38], ["two", 39, 42], [".", 42, 43]],
            "The raid killed two.",
        ],
    ]
    record = {
        "doc_id": "w1",
        "text": "Gunmen attacked a bus.The raid killed two.",
        "sentences": sentences,
        "entity_mentions": [{"id": "m1", "start": 0, "end": 1}, {"id": "m2", "start": 3, "end": 4}],
        "event_mentions": [
            {
                "event_type": "Conflict.Attack.Unspecified",
                "trigger": {"start": 1, "end": 2, "text": "attacked"},
                "arguments": [{"entity_id": "m1", "role": "Attacker"}, {"entity_id": "m2", "role": "Target"}],
            },
            {
                "event_type": "Conflict.Attack.Unspecified",
                "trigger": {"start": 6, "end": 7, "text": "raid"},
                "arguments": [],
            },
            {
                "event_type": "Life.Die.Unspecified",
                "trigger": {"start": 7, "end": 8, "text": "killed"},
                "arguments": [],
            },
        ],
    }
    text, spans = prepare(record)
    assert text == "Gunmen attacked a bus.\nThe raid killed two."
    assert [text[a:b] for a, b in spans][5:8] == ["The", "raid", "killed"]
    result = {
        "events": [_event("ASSAULT", (7, 15), ["e1"], ["e9"]), _event("ASSAULT", (37, 43), [], [])],
        "entities": [
            {"id": "e1", "mentions": [{"start": 0, "end": 6}]},
            {"id": "e9", "mentions": [{"start": 2, "end": 4}]},
        ],
    }
    pos = ["NOUN", "VERB", "DET", "NOUN", "PUNCT", "DET", "NOUN", "VERB", "NUM", "PUNCT"]
    counts = score_document(record, result, spans, pos)["counts"]
    assert counts["gold"] == 2 and counts["found"] == 1  # "raid" is missed; Life.Die is not scored
    assert counts["gold_noun"] == 1 and counts["found_verb"] == 1
    assert counts["predicted_hit"] == 2  # the event on "killed" overlaps a gold trigger of another type
    assert counts["arg_actor_ok"] == 1 and counts["arg_recipient"] == 1 and counts["arg_recipient_ok"] == 0
    # "the raid" as a further mention of the attack coded on "attacked" is found, and typed by that event
    result["events"][0]["mentions"] = [{"start": 7, "end": 15}, {"start": 27, "end": 31}]
    again = score_document(record, result, spans, pos)["counts"]
    assert again["found"] == 2 and again["found_noun"] == 1 and again["type_ok"] == 2
    # the further mention is a predicted span of its own (the one repeating the trigger is not)
    assert again["predicted"] == 3 and again["predicted_hit"] == 3


def test_rows_carry_targets_and_verdicts() -> None:
    rows = rows_of(
        {
            "plover": {
                "records": 10,
                "type_accuracy": 0.9,
                "macro_f1": 0.5,
                "actor_country_f1": 0.5,
                "recipient_country_f1": 0.85,
            }
        }
    )
    verdicts = {label: verdict for _, label, _, _, verdict in rows}
    assert verdicts == {
        "type accuracy": "ok",
        "macro-F1": "",
        "actor-country F1": "below",
        "recipient-country F1": "ok",
    }


SHARED = Path(__file__).parents[2].parent / "shared"


@pytest.mark.skipif(not (SHARED / "eval" / "data").is_dir(), reason="../shared/eval/data is not checked out")
def test_dev_table_on_the_reference_and_a_few_records(pipeline: Any) -> None:
    paths = DevPaths(shared=SHARED, repo=Path(__file__).parents[2])
    figures = measure_dev(paths, ["reference", "cameo-quad", "wikievents"], pipeline=pipeline, limit=2)
    assert figures["reference"]["articles"] == 1 and figures["reference"]["events_f1"] >= 0.9
    assert 1 <= figures["cameo-quad"]["sentences"] <= 2  # MAKE_STATEMENT records are left out
    assert figures["wikievents"]["documents"] == 2 and figures["wikievents"]["gold_triggers"] > 0


def test_dev_command_refuses_unknown_sets() -> None:
    from dragoman.cli import cli

    out = CliRunner().invoke(cli, ["evaluate", "dev", "--sets", "plover,bogus"])
    assert out.exit_code != 0 and "bogus" in out.output and "cameo-quad" in out.output


def test_every_set_has_rows_in_the_table() -> None:
    from dragoman.evaluate.dev import DEV_SETS, TARGETS

    assert set(DEV_SETS) | {"real-all"} == set(TARGETS)
    assert list(TARGETS).index("real-own") == list(TARGETS).index("real-all") + 1
