"""Sets of hand-annotated articles, scored as a whole: the real development articles and the own ones.

An *article set* is a folder of gold annotations in the schema of the shared reference annotation
(``<slug>.gold.yaml``). The text of each article is found in one of two ways:

- a ``<slug>.source.yaml`` next to the gold names a record of a public dataset (``file`` under the
  data root, ``doc_id``, ``id_field``, ``text_field``) and the sha256 of its text; the text is read
  from the dataset, rebuilt when ``text_build`` says so (``restore_paragraphs``: the record lost its
  paragraph breaks, which come back between sentences of its ``sentences`` list that touch), and
  checked against the hash. The texts never live in the repository.
- otherwise the text is ``<slug>.txt`` in a ``texts`` folder given with the set (the project's own
  articles: ``tests/gold`` annotates ``examples/<slug>.txt``).

Each article is analysed with the publication date its annotation gives (``published`` of the
source, else the gold's ``document.published``) and scored by :func:`.article.score_article`, the
rules of ``eval/score_article.py``. The set's figures are the means of the articles' figures.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import DragomanError
from .article import load_gold, score_article

if TYPE_CHECKING:
    from ..nlp import Pipeline

__all__ = [
    "ArticleSpec",
    "SET_FIGURES",
    "SourceError",
    "discover",
    "evaluate_articles",
    "load_source_text",
    "restore_paragraphs",
    "summarise",
]

# the figures averaged over a set, in table order
SET_FIGURES = (
    "events_f1",
    "events_precision",
    "events_core_recall",
    "events_core_recall_full",
    "entity_country_acc",
    "entity_sector_acc",
    "quotes_recall",
    "quotes_speaker_acc",
    "attributions_recall",
    "places_recall",
    "places_geo_acc",
    "times_value_acc",
)


class SourceError(DragomanError):
    """A source record cannot be found or its text does not match the recorded hash."""


@dataclass(frozen=True)
class ArticleSpec:
    """One annotated article: its name, gold file, where its text comes from and its date."""

    slug: str
    gold: Path
    text_file: Path | None = None
    source: Path | None = None


def discover(folder: Path, texts: Path | None = None) -> list[ArticleSpec]:
    """Every ``*.gold.yaml`` of ``folder`` with its source record or text file, sorted by slug."""
    specs = []
    for gold in sorted(folder.glob("*.gold.yaml")):
        slug = gold.name[: -len(".gold.yaml")]
        source = folder / f"{slug}.source.yaml"
        if source.exists():
            specs.append(ArticleSpec(slug, gold, source=source))
        elif texts is not None and (texts / f"{slug}.txt").exists():
            specs.append(ArticleSpec(slug, gold, text_file=texts / f"{slug}.txt"))
        else:
            raise SourceError(f"{gold}: neither {source.name} nor a text file {slug}.txt to analyse")
    return specs


def restore_paragraphs(text: str, sentences: Sequence[str]) -> str:
    """Put back the line breaks a dataset deleted between paragraphs.

    ``sentences`` are the record's sentences in order; each is found in ``text`` after the previous
    one, and where two of them touch (nothing between them) a newline goes in between. Everything
    else of the text is kept as it is."""
    pieces: list[str] = []
    cursor = 0
    previous_end: int | None = None
    for sentence in sentences:
        at = text.find(sentence, cursor)
        if at < 0:
            raise SourceError(f"restore_paragraphs: a sentence is not in the text: {sentence[:60]!r}")
        pieces.append(text[cursor:at])
        if previous_end is not None and at == previous_end:
            pieces.append("\n")
        pieces.append(sentence)
        cursor = previous_end = at + len(sentence)
    pieces.append(text[cursor:])
    return "".join(pieces)


def _sentence_strings(record: Mapping[str, Any]) -> list[str]:
    out = []
    for sentence in record.get("sentences") or []:
        # WikiEvents: [[token, start, end], …] followed by the sentence string
        out.append(sentence[1] if isinstance(sentence, list | tuple) else str(sentence))
    return out


def load_source_text(source: Mapping[str, Any], data_root: Path) -> str:
    """The text of the record a ``.source.yaml`` names, rebuilt and checked against its sha256."""
    path = data_root / source["file"]
    id_fields = [source["id_field"]] if source.get("id_field") else ["doc_id", "id"]
    wanted = str(source["doc_id"])
    found = []
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if any(str(record.get(f)) == wanted for f in id_fields):
                    found.append(record)
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: no such dataset file (pass the data folder of ../shared/eval)") from exc
    if len(found) != 1:
        raise SourceError(f"{path}: {len(found)} records with id {wanted!r}, expected exactly one")
    text = found[0][source.get("text_field", "text")]
    build = source.get("text_build")
    if build == "restore_paragraphs":
        text = restore_paragraphs(text, _sentence_strings(found[0]))
    elif build:
        raise SourceError(f"{wanted}: unknown text_build {build!r}")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if digest != source["sha256_of_text"]:
        raise SourceError(f"{path} {wanted}: text sha256 {digest} differs from the recorded {source['sha256_of_text']}")
    return text


def _published(source: Mapping[str, Any] | None, gold: Mapping[str, Any]) -> str | None:
    value = (source or {}).get("published") or (gold.get("document") or {}).get("published")
    return str(value) if value else None


def evaluate_articles(
    specs: Iterable[ArticleSpec], *, data_root: Path, pipeline: Pipeline | None = None
) -> list[dict[str, Any]]:
    """Analyse and score each article: one dict per article with ``slug``, ``figures``, ``errors``
    and the gold's ``kind`` (from a ``# kind:`` comment line, when the annotator gave one)."""
    import yaml

    from ..analyse import analyse
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    out = []
    for spec in specs:
        gold = load_gold(spec.gold)
        source = None
        if spec.source is not None:
            source = yaml.safe_load(spec.source.read_text(encoding="utf-8"))
            text = load_source_text(source, data_root)
        else:
            assert spec.text_file is not None
            text = spec.text_file.read_text(encoding="utf-8")
        result = analyse(text, source=spec.slug, published=_published(source, gold), pipeline=pipe)
        figures, errors = score_article(result.to_dict(), gold)
        out.append({"slug": spec.slug, "kind": _kind(spec.gold), "figures": figures, "errors": errors})
    return out


def _kind(gold_path: Path) -> str | None:
    for line in gold_path.read_text(encoding="utf-8").splitlines()[:40]:
        stripped = line.lstrip("# ").strip()
        if stripped.lower().startswith("kind:"):
            return stripped.split(":", 1)[1].strip() or None
    return None


def summarise(scored: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The set's figures: the mean of each article figure, the article count and the errors by cause."""
    figures: dict[str, Any] = {"articles": len(scored)}
    for key in SET_FIGURES:
        values = [float(a["figures"][key]) for a in scored if key in a["figures"]]
        figures[key] = sum(values) / len(values) if values else 0.0
    causes: Counter[str] = Counter()
    for article in scored:
        for err in article["errors"]:
            causes[error_cause(err)] += 1
    figures["error_causes"] = dict(causes.most_common())
    return figures


def error_cause(err: Mapping[str, Any]) -> str:
    """A short name for the cause of a scorer error: its kind, what it concerns, and for events whether
    the missed event was a core one."""
    item, kind = err.get("item", "?"), err.get("kind", "?")
    if item == "event" and kind == "miss":
        return "event missed (core)" if err.get("core") else "event missed (non-core)"
    return f"{item} {kind.replace('_', ' ')}"
