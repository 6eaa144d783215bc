"""``dragoman evaluate article``: score one article result against a hand-annotated gold file.

The gold format is the one of ``examples/*.gold.yaml`` (entities with aliases, events with their
evidence, quotes, attributions, places, times, quantities, relations, document facts). The figures
agree with the project's reference scorer ``eval/score_article.py``; these are its rules.

Names are compared *folded*: curly apostrophes made straight, accents dropped, lower case, a
possessive ``'s`` before a space dropped, every run of other characters made one space, and one
leading article (the, a, an) removed. "The U.S." and "u s" fold alike.

Evidence strings are located in the article text by exact search first; failing that, an
apostrophe matches a straight or curly one and a space matches any run of whitespace.

1. Entities. Each result entity votes with its name and each mention text for the gold entities
   whose canonical name or alias folds to the same string; it is identified with the gold entity
   that got most votes (ties: the one listed first in the gold file). An entity without votes whose
   kind is ``unknown`` or whose sector is UAF or UNK is identified with the first gold entity of kind
   ``unknown`` (an actor the text does not name). ``entities_recall`` is the share of gold entities
   identified with some result entity. ``entity_country_acc`` and ``entity_sector_acc`` are taken
   over the identified result entities: the country is right when the gold country is empty or
   equals the result's (a two-letter code is read as ISO alpha-2); the sector is right when it is
   the gold sector or one of ``sector_ok``.
2. Events, one by one in result order. A gold event is a candidate for a result event when the
   type is the gold type or one of ``event_ok``; the trigger or the sentence overlaps the evidence
   (a sentence longer than 800 characters does not count: only its trigger can); and one of the
   result's actors is identified with one of the gold actors. Among the candidates the scorer takes
   an unmatched one before an already matched one, one whose evidence holds the trigger before one
   that only shares the sentence, and then the earlier gold event. If that choice is already
   matched, the result event is a duplicate (wrong); otherwise the pair is matched (each gold event
   at most once). ``events_precision`` = matched / predicted; ``events_core_recall`` = matched core
   events / core events; ``events_f1`` their harmonic mean; ``events_core_recall_full`` also needs,
   where the gold names recipients, one result recipient identified with one of them (1.0 when there
   are no core events).
3. On matched events only: mode (gold ``mode`` or ``mode_ok``), modality (each annotated key; a
   hedged result is accepted for gold "reported"), attribution (the speaker identified with the gold
   speaker, or, when the gold names none, the same attribution type), places (each gold place found
   by folded name or key among the names and mention texts of the event's places) and date (the
   result value starts with the gold value). Each is ``event_<key>_acc``, 1.0 when nothing to score.
4. Quotes: a gold quote (trailing comma dropped) is found when a result quote's offsets overlap it;
   its speaker is right when the first such quote's speaker is identified with the gold speaker.
   Attributions: found when some result quote starting or ending within 300 characters of the
   evidence has a speaker identified with one of the gold speakers.
5. Places: found when a result place's name or a mention text folds to the gold name or key; the
   first such place is geo-correct when it lies within ``tolerance_km`` (haversine, R = 6371 km).
6. Times: a result time overlapping the gold text with the gold value or one of ``alt``.
   Quantities: a result quantity with the gold value, overlapping the gold text when both have
   positions. Relations: the gold triple among the result's relations mapped to gold entities.
7. Document: ``published_ok`` (the published date equals the gold one) and ``boilerplate_removed``
   (no gold boilerplate string is left in the text).

Two things are checked when the gold file is read rather than while scoring: an event's place keys
must be defined under ``places`` (the reference scorer silently misaligns them otherwise), and an
unquoted YAML date under ``document.published`` is read as its ISO string.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import click

from ..errors import DragomanError
from .report import emit, error_table, figures_table, output_options, prf

__all__ = ["command", "fold", "load_gold", "load_result", "score_article"]

MAX_SENTENCE_CHARS = 800
QUOTE_WINDOW_CHARS = 300
EARTH_RADIUS_KM = 6371.0
_UNNAMED_SECTORS = frozenset({"UAF", "UNK"})
# used when pycountry is unavailable; the same handful the reference scorer knows by heart
_ALPHA2 = {
    "IQ": "IRQ",
    "SY": "SYR",
    "PS": "PSE",
    "LB": "LBN",
    "YE": "YEM",
    "IR": "IRN",
    "IL": "ISR",
    "US": "USA",
}


class GoldFileError(DragomanError):
    """The gold file does not follow the format of examples/*.gold.yaml."""


def fold(name: str) -> str:
    """Fold a name for comparison (see the module docstring)."""
    s = name.replace("\u2019", "'").replace("\u2018", "'")
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = s.lower().replace("'s ", " ")
    s = " ".join(re.split(r"[^a-z0-9]+", s)).strip()
    for article in ("the ", "a ", "an "):
        if s.startswith(article):
            s = s[len(article) :]
            break
    return s.strip()


def _iso3(code: Any) -> str | None:
    if not code:
        return None
    code = str(code).upper()
    if len(code) == 2:
        try:
            import pycountry

            country = pycountry.countries.get(alpha_2=code)
            if country is not None:
                return str(country.alpha_3)
        except ImportError:
            pass
    return _ALPHA2.get(code, code)


def _locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` stands in ``text``, tolerating apostrophe style and whitespace runs."""
    i = text.find(needle)
    if i >= 0:
        return i, i + len(needle)
    parts = []
    for chunk in re.split(r"( +)", needle):
        if not chunk:
            continue
        if chunk.startswith(" "):
            parts.append(r"\s+")
        else:
            parts.append("['\u2019]".join(re.escape(piece) for piece in chunk.split("'")))
    m = re.search("".join(parts), text)
    return (m.start(), m.end()) if m else None


def _overlap(a: tuple[Any, Any] | None, b: tuple[Any, Any] | None) -> bool:
    if a is None or b is None or None in a or None in b:
        return False
    return bool(a[0] < b[1] and b[0] < a[1])


def _span(d: Mapping[str, Any] | None) -> tuple[int, int] | None:
    if not d or d.get("start") is None:
        return None
    return d["start"], d["end"]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _share(ok: int, total: int, empty: float = 1.0) -> float:
    return ok / total if total else empty


def _identify_entities(result: Mapping[str, Any], gold: Mapping[str, Any]) -> dict[str, str]:
    """Result entity id -> gold entity key (rule 1)."""
    gold_entities: Mapping[str, Any] = gold["entities"]
    order = {key: i for i, key in enumerate(gold_entities)}
    by_alias: dict[str, list[str]] = {}
    for key, ent in gold_entities.items():
        for name in (ent["canonical"], *ent.get("aliases", [])):
            keys = by_alias.setdefault(fold(str(name)), [])
            if key not in keys:
                keys.append(key)
    unnamed = [k for k, e in gold_entities.items() if e.get("kind") == "unknown" or e.get("unknown")]
    mapping: dict[str, str] = {}
    for ent in result.get("entities", []):
        votes: dict[str, int] = {}
        for name in (ent.get("name") or "", *(m.get("text", "") for m in ent.get("mentions", []))):
            for key in by_alias.get(fold(name), ()):
                votes[key] = votes.get(key, 0) + 1
        if votes:
            mapping[ent["id"]] = min(votes, key=lambda k: (-votes[k], order[k]))
        elif unnamed and (ent.get("kind") == "unknown" or ent.get("sector") in _UNNAMED_SECTORS):
            mapping[ent["id"]] = unnamed[0]
    return mapping


def score_article(result: Mapping[str, Any], gold: Mapping[str, Any]) -> tuple[dict[str, float], list]:
    """Score one result (spec/article-result.md as a dict) against a gold annotation.

    Returns the figures (fractions, plus the counts ``events_predicted`` and
    ``events_duplicates``) and a list of errors: dicts with ``kind`` (miss, false_alarm,
    duplicate, unmatched), ``item`` (entity, event, quote, attribution, place, time, quantity,
    relation) and the ``text`` to look at."""
    text: str = result["article"]["text"]
    gold_entities: Mapping[str, Any] = gold.get("entities") or {}
    figures: dict[str, float] = {}
    errors: list[dict[str, Any]] = []
    ent_map: dict[Any, str] = _identify_entities(result, {"entities": gold_entities})

    # 1. entities
    identified = set(ent_map.values())
    figures["entities_recall"] = _share(len(identified & set(gold_entities)), len(gold_entities))
    for key, ent in gold_entities.items():
        if key not in identified:
            errors.append({"kind": "miss", "item": "entity", "id": key, "text": ent["canonical"]})
    country_ok = sector_ok = n_identified = 0
    for ent in result.get("entities", []):
        gold_key = ent_map.get(ent["id"])
        if gold_key is None:
            errors.append(
                {
                    "kind": "unmatched",
                    "item": "entity",
                    "id": ent["id"],
                    "text": ent.get("name"),
                    "predicted": ent.get("kind"),
                }
            )
            continue
        g = gold_entities[gold_key]
        n_identified += 1
        country_ok += g.get("country") is None or _iso3(ent.get("country")) == g.get("country")
        sector_ok += ent.get("sector") in {g.get("sector"), *g.get("sector_ok", [])}
    figures["entity_country_acc"] = _share(country_ok, n_identified, 0.0)
    figures["entity_sector_acc"] = _share(sector_ok, n_identified, 0.0)

    # 2. events
    def gold_keys(ids: Iterable[str] | None) -> set[str]:
        return {ent_map[i] for i in ids or () if i in ent_map}

    gold_events: list[Mapping[str, Any]] = list(gold.get("events") or [])
    evidence = {g["id"]: _locate(text, g["evidence"]) for g in gold_events}
    matched: dict[str, Mapping[str, Any]] = {}
    duplicates = 0
    predicted = list(result.get("events", []))
    for ev in predicted:
        sentence = _span(ev.get("sentence"))
        if sentence is not None and sentence[1] - sentence[0] > MAX_SENTENCE_CHARS:
            sentence = None
        trigger = _span(ev.get("trigger"))
        actors = gold_keys(ev.get("actor"))
        best: tuple[bool, bool, int] | None = None
        best_gold: Mapping[str, Any] | None = None
        for order, g in enumerate(gold_events):
            if ev.get("event") not in {g["event"], *g.get("event_ok", [])}:
                continue
            on_trigger = _overlap(trigger, evidence[g["id"]])
            if not (on_trigger or _overlap(sentence, evidence[g["id"]])):
                continue
            if not actors & set(g["actor"]):
                continue
            rank = (g["id"] in matched, not on_trigger, order)
            if best is None or rank < best:
                best, best_gold = rank, g
        trigger_text = (ev.get("trigger") or {}).get("text")
        if best_gold is None:
            errors.append(
                {
                    "kind": "false_alarm",
                    "item": "event",
                    "id": ev.get("id"),
                    "predicted": ev.get("event"),
                    "text": trigger_text,
                    "context": _sentence_text(text, ev),
                }
            )
        elif best is not None and best[0]:
            duplicates += 1
            errors.append(
                {
                    "kind": "duplicate",
                    "item": "event",
                    "id": ev.get("id"),
                    "predicted": ev.get("event"),
                    "gold": best_gold["id"],
                    "text": trigger_text,
                    "context": _sentence_text(text, ev),
                }
            )
        else:
            matched[best_gold["id"]] = ev
    core = {g["id"] for g in gold_events if g.get("core")}
    p, r, f = prf(len(matched), len(predicted), len(set(matched) & core), len(core))
    figures.update(events_precision=p, events_core_recall=r, events_f1=f)
    full = set()
    for g in gold_events:
        ev_ = matched.get(g["id"])
        if ev_ is not None and (
            not g.get("recipient") or gold_keys(ev_.get("recipient")) & set(g["recipient"])
        ):
            full.add(g["id"])
    figures["events_core_recall_full"] = _share(len(full & core), len(core))
    figures["events_predicted"] = len(predicted)
    figures["events_duplicates"] = duplicates
    for g in gold_events:
        if g["id"] not in matched:
            errors.append(
                {
                    "kind": "miss",
                    "item": "event",
                    "id": g["id"],
                    "gold": g["event"],
                    "core": bool(g.get("core")),
                    "text": g["evidence"],
                }
            )

    # 3. details of matched events
    figures.update(_event_details(result, gold, gold_events, matched, ent_map))

    # 4. quotes and attributions
    result_quotes = list(result.get("quotes", []))
    found = speaker_ok = 0
    for gq in gold.get("quotes") or []:
        where = _locate(text, gq["text"].rstrip(","))
        first = next((q for q in result_quotes if _overlap(where, (q.get("start"), q.get("end")))), None)
        if first is None:
            errors.append({"kind": "miss", "item": "quote", "text": gq["text"], "gold": gq.get("speaker")})
            continue
        found += 1
        if ent_map.get(first.get("speaker")) == gq.get("speaker"):
            speaker_ok += 1
        else:
            errors.append(
                {
                    "kind": "wrong_speaker",
                    "item": "quote",
                    "text": gq["text"],
                    "gold": gq.get("speaker"),
                    "predicted": first.get("speaker_text"),
                }
            )
    n_quotes = len(gold.get("quotes") or [])
    figures["quotes_recall"] = _share(found, n_quotes)
    figures["quotes_speaker_acc"] = _share(speaker_ok, n_quotes)
    attributed = 0
    for ga in gold.get("attributions") or []:
        where = _locate(text, ga["evidence"])
        speakers = ga["speaker"] if isinstance(ga["speaker"], list) else [ga["speaker"]]
        hit = where is not None and any(
            q.get("start") is not None
            and q["start"] <= where[1] + QUOTE_WINDOW_CHARS
            and q["end"] >= where[0] - QUOTE_WINDOW_CHARS
            and ent_map.get(q.get("speaker")) in speakers
            for q in result_quotes
        )
        attributed += hit
        if not hit:
            errors.append(
                {"kind": "miss", "item": "attribution", "text": ga["evidence"], "gold": ga["speaker"]}
            )
    figures["attributions_recall"] = _share(attributed, len(gold.get("attributions") or []))

    # 5. places
    gold_places: Mapping[str, Any] = gold.get("places") or {}
    places_found = places_near = 0
    for key, gp in gold_places.items():
        wanted = {fold(gp["name"]), fold(key)}
        first_place = next(
            (
                rp
                for rp in result.get("places", [])
                if fold(rp.get("name", "")) in wanted
                or any(fold(m.get("text", "")) in wanted for m in rp.get("mentions", []))
            ),
            None,
        )
        if first_place is None:
            errors.append({"kind": "miss", "item": "place", "id": key, "text": gp["name"]})
            continue
        places_found += 1
        if (
            first_place.get("lat") is not None
            and _km(first_place["lat"], first_place["lon"], gp["lat"], gp["lon"]) <= gp["tolerance_km"]
        ):
            places_near += 1
        else:
            errors.append(
                {
                    "kind": "far",
                    "item": "place",
                    "id": key,
                    "text": gp["name"],
                    "predicted": f"{first_place.get('lat')}, {first_place.get('lon')}",
                }
            )
    figures["places_recall"] = _share(places_found, len(gold_places))
    figures["places_geo_acc"] = _share(places_near, len(gold_places))

    # 6. times, quantities, relations
    times_ok = 0
    for gt in gold.get("times") or []:
        where = _locate(text, gt["text"])
        values = {gt["value"], *gt.get("alt", [])}
        hit = any(
            _overlap(where, (t.get("start"), t.get("end"))) and t.get("value") in values
            for t in result.get("times", [])
        )
        times_ok += hit
        if not hit:
            errors.append({"kind": "miss", "item": "time", "text": gt["text"], "gold": gt["value"]})
    figures["times_value_acc"] = _share(times_ok, len(gold.get("times") or []))
    quantities_ok = 0
    for gn in gold.get("quantities") or []:
        where = _locate(text, gn["text"]) if gn.get("text") else None
        hit = any(
            q.get("value") == gn["value"]
            and (where is None or q.get("start") is None or _overlap(where, (q["start"], q["end"])))
            for q in result.get("quantities", [])
        )
        quantities_ok += hit
        if not hit:
            errors.append({"kind": "miss", "item": "quantity", "text": gn.get("text"), "gold": gn["value"]})
    figures["quantities_recall"] = _share(quantities_ok, len(gold.get("quantities") or []))
    result_relations = {
        (ent_map.get(r_["subject"]), r_.get("predicate"), ent_map.get(r_["object"]))
        for r_ in result.get("relations", [])
    }
    relations_ok = 0
    for subject, predicate, obj in gold.get("relations") or []:
        hit = (subject, predicate, obj) in result_relations
        relations_ok += hit
        if not hit:
            errors.append({"kind": "miss", "item": "relation", "text": f"{subject} {predicate} {obj}"})
    figures["relations_recall"] = _share(relations_ok, len(gold.get("relations") or []))

    # 7. document
    doc = gold.get("document") or {}
    figures["published_ok"] = float(result["article"].get("published") == doc.get("published"))
    figures["boilerplate_removed"] = float(not any(b in text for b in doc.get("boilerplate", [])))
    return figures, errors


def _sentence_text(text: str, ev: Mapping[str, Any]) -> str | None:
    span = _span(ev.get("sentence"))
    if span is None:
        return None
    return " ".join(text[span[0] : span[1]].split())[:300]


def _event_details(
    result: Mapping[str, Any],
    gold: Mapping[str, Any],
    gold_events: list[Mapping[str, Any]],
    matched: Mapping[str, Mapping[str, Any]],
    ent_map: Mapping[Any, str],
) -> dict[str, float]:
    """Mode, modality, attribution, places and date accuracy on the matched events (rule 3)."""
    names_of_place = {
        rp.get("id"): {fold(rp.get("name", ""))} | {fold(m.get("text", "")) for m in rp.get("mentions", [])}
        for rp in result.get("places", [])
    }
    gold_places: Mapping[str, Any] = gold.get("places") or {}
    tally = {k: [0, 0] for k in ("mode", "modality", "attribution", "places", "date")}
    for g in gold_events:
        ev = matched.get(g["id"])
        if ev is None:
            continue
        if g.get("mode"):
            tally["mode"][1] += 1
            tally["mode"][0] += ev.get("mode") in {g["mode"], *g.get("mode_ok", [])}
        for key, want in (g.get("modality") or {}).items():
            got = (ev.get("modality") or {}).get(key)
            tally["modality"][1] += 1
            tally["modality"][0] += got == want or (
                key == "certainty" and want == "reported" and got == "hedged"
            )
        if g.get("attribution"):
            tally["attribution"][1] += 1
            said = ev.get("attribution") or {}
            speaker = g["attribution"].get("speaker")
            if speaker is not None:
                tally["attribution"][0] += ent_map.get(said.get("speaker")) == speaker
            else:
                tally["attribution"][0] += said.get("type") == g["attribution"].get("type")
        if g.get("places"):
            tally["places"][1] += 1
            names: set[str] = set().union(*(names_of_place.get(pid, set()) for pid in ev.get("places") or ()))
            tally["places"][0] += all(
                fold(gold_places[k]["name"]) in names or fold(k) in names for k in g["places"]
            )
        if g.get("date"):
            tally["date"][1] += 1
            tally["date"][0] += str((ev.get("date") or {}).get("value", "")).startswith(str(g["date"]))
    return {f"event_{k}_acc": _share(ok, total) for k, (ok, total) in tally.items()}


def load_gold(path: str | Path) -> dict[str, Any]:
    """Read and check a gold YAML file (raises ``GoldFileError`` with the fix to make)."""
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            gold = yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise GoldFileError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(gold, dict) or not isinstance(gold.get("entities"), dict):
        raise GoldFileError(f"{path}: a gold file needs an 'entities' mapping (see examples/*.gold.yaml)")
    places = gold.get("places") or {}
    for ev in gold.get("events") or []:
        for field in ("id", "event", "evidence", "actor"):
            if field not in ev:
                raise GoldFileError(f"{path}: event {ev.get('id', '?')!r} has no {field!r}")
        for key in ev.get("places") or ():
            if key not in places:
                raise GoldFileError(
                    f"{path}: event {ev['id']!r} names place {key!r}; define it under 'places'"
                )
    doc = gold.get("document") or {}
    if isinstance(doc.get("published"), date):
        doc["published"] = doc["published"].isoformat()
    return gold


def load_result(path: str | Path) -> dict[str, Any]:
    """One article result from a JSON file, or the first object of a JSON Lines file."""
    raw = Path(path).read_text(encoding="utf-8").strip()
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError:
        obj = json.loads(raw.splitlines()[0])
    if not isinstance(obj, dict) or "article" not in obj:
        raise click.ClickException(f"{path}: not an article result (no 'article' object)")
    return obj


# figures shown as counts rather than fractions
_COUNTS = ("events_predicted", "events_duplicates")


@click.command("article")
@click.argument("gold_file", metavar="GOLD.yaml", type=click.Path(exists=True, dir_okay=False))
@click.argument("text_file", metavar="[TEXT]", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--result",
    "result_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Score a stored result (JSON from 'dragoman analyze --format json') instead of analysing.",
)
@click.option("--published", help="Publication date to analyse with (ISO), when the text does not give it.")
@output_options
def command(
    gold_file: str,
    text_file: str | None,
    result_file: str | None,
    published: str | None,
    as_json: bool,
    show_errors: bool,
) -> None:
    """Score one article against its gold annotation GOLD.yaml.

    TEXT defaults to the .txt file next to GOLD.yaml with the same stem
    (article.gold.yaml -> article.txt)."""
    try:
        gold = load_gold(gold_file)
    except GoldFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if result_file:
        result = load_result(result_file)
    else:
        text_path = Path(text_file) if text_file else _text_next_to(Path(gold_file))
        from ..analyse import analyse

        result = analyse(text_path.read_bytes(), source=str(text_path), published=published).to_dict()
    figures, errors = score_article(result, gold)
    out: dict[str, Any] = {"gold": gold_file, "figures": figures, "errors": errors}

    def render(console: Any) -> None:
        rows = [(k, figures[k]) for k in figures]
        console.print(figures_table(f"article: {gold_file}", rows, ("figure", "value")))
        console.print(
            f"summary: events F1 {figures['events_f1']:.2f} (P {figures['events_precision']:.2f}, "
            f"core R {figures['events_core_recall']:.2f}), entities R {figures['entities_recall']:.2f}, "
            f"quotes R {figures['quotes_recall']:.2f}, places geo {figures['places_geo_acc']:.2f}, "
            f"times {figures['times_value_acc']:.2f}"
        )
        if show_errors:
            console.print(error_table(errors, ("kind", "item", "id", "gold", "predicted", "text", "context")))

    emit(out, as_json=as_json, show_errors=show_errors, render=render)


def _text_next_to(gold_path: Path) -> Path:
    stem = gold_path.name.split(".")[0]
    candidate = gold_path.with_name(stem + ".txt")
    if not candidate.exists():
        raise click.ClickException(
            f"no TEXT given and {candidate} does not exist; pass the article text file"
        )
    return candidate
