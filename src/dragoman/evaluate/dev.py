"""``dragoman evaluate dev``: every development set that bears on events and actors, in one table.

The sets (each can be chosen with ``--sets``):

- ``reference``: the shared reference article (``examples/iraq-militias-disarm``);
- ``real``: the real development articles annotated independently (``../shared/eval/articles``);
- ``real-own``: the real articles this project annotated blind (``eval/articles`` in the repository);
  ``real-all`` is both real sets together, the figure the events issue's targets are about;
- ``own``: the project's own articles (``tests/gold`` annotating ``examples/``);
- ``plover``: PLOVER gold-standard records (dev half);
- ``cameo-quad`` and ``cameo-actors``: CAMEO-coded news sentences (quad class; source and target);
- ``wikievents``: WikiEvents dev documents (triggers, types, attacker and target);
- ``quotes``: PolNeAR dev articles (attributions and their sources, ``evaluate quotes``);
- ``lgl`` and ``geovirus``: geoparsing of local US news and of WikiNews (``evaluate geo``; LGL with
  associative toponyms counted, as its annotators marked them).

Each row shows a figure, its value and, where the project has one, its target. ``--errors`` adds,
for each set, its failures grouped by cause, with examples. ``--record FILE`` writes the figures as
JSON (``docs/dev-figures.json`` is the recorded table of the repository).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .report import emit, figures_table

if TYPE_CHECKING:
    from ..nlp import Pipeline

__all__ = ["DEV_SETS", "DevPaths", "command", "measure_dev", "rows_of"]


@dataclass(frozen=True)
class DevPaths:
    """Where the development data lives: the shared folder and the repository's own annotations."""

    shared: Path
    repo: Path

    @property
    def data(self) -> Path:
        return self.shared / "eval" / "data"


# figure name -> (target, label) per set; a target of None is reported without a verdict
TARGETS: dict[str, dict[str, tuple[float | None, str]]] = {
    "reference": {
        "events_f1": (0.90, "events F1"),
        "events_core_recall_full": (0.85, "full-triple core recall"),
        "quotes_recall": (1.0, "quotes recall"),
        "quotes_speaker_acc": (1.0, "speaker accuracy"),
    },
    "real": {
        "events_f1": (0.65, "mean events F1"),
        "events_precision": (None, "events precision"),
        "events_core_recall": (None, "core recall"),
        "events_core_recall_full": (None, "full-triple core recall"),
        "entity_country_acc": (None, "entity country accuracy"),
        "quotes_recall": (None, "quotes recall"),
        "quotes_speaker_acc": (None, "speaker accuracy"),
        "places_geo_acc": (None, "places geo accuracy"),
    },
    "real-all": {
        "events_f1": (0.70, "mean events F1"),
        "events_precision": (None, "events precision"),
        "events_core_recall": (0.75, "core recall"),
        "events_core_recall_full": (0.55, "full-triple core recall"),
        "entity_country_acc": (0.92, "entity country accuracy"),
        "quotes_recall": (0.90, "quotes recall"),
        "quotes_speaker_acc": (0.90, "speaker accuracy"),
        "places_geo_acc": (0.90, "places geo accuracy"),
    },
    "own": {
        "events_f1": (0.708, "mean events F1"),
        "events_core_recall": (None, "core recall"),
        "events_core_recall_full": (None, "full-triple core recall"),
        "entity_country_acc": (None, "entity country accuracy"),
        "quotes_speaker_acc": (None, "speaker accuracy"),
    },
    "plover": {
        "type_accuracy": (0.85, "type accuracy"),
        "macro_f1": (None, "macro-F1"),
        "actor_country_f1": (0.87, "actor-country F1"),
        "recipient_country_f1": (0.80, "recipient-country F1"),
    },
    "cameo-quad": {"accuracy": (0.85, "quad accuracy (4 classes)"), "macro_f1": (None, "quad macro-F1"),
                   "plover_class_accuracy": (None, "accuracy with PLOVER quads")},
    "cameo-actors": {
        "actor_overlap": (0.90, "actor overlaps source"),
        "recipient_overlap": (0.75, "recipient overlaps target"),
        "actor_f1": (None, "actor token F1"),
        "recipient_f1": (None, "recipient token F1"),
    },
    "wikievents": {
        "trigger_recall": (0.60, "trigger recall (nouns included)"),
        "noun_trigger_recall": (None, "noun trigger recall"),
        "verb_trigger_recall": (None, "verb trigger recall"),
        "trigger_precision": (None, "trigger precision"),
        "type_accuracy": (0.85, "type accuracy"),
        "attacker_match": (None, "attacker match"),
        "target_match": (None, "target match"),
    },
    "quotes": {
        "all_content_f1": (0.70, "all attributions: content F1"),
        "all_quote_source_f1": (0.55, "all attributions: quote+source F1"),
        "direct_quote_source_f1": (0.80, "direct quotes: quote+source F1"),
        "direct_source_overlap_accuracy": (0.90, "direct quotes: source overlap accuracy"),
    },
    "lgl": {
        "f1": (0.80, "toponym F1"),
        "acc_161km": (0.90, "accuracy within 161 km"),
        "median_km": (None, "median error km"),
    },
    "geovirus": {
        "f1": (0.90, "toponym F1"),
        "acc_161km": (0.95, "accuracy within 161 km"),
        "median_km": (None, "median error km"),
    },
}
# the project's own real articles are reported like the whole real set, right after it, without
# targets of their own
_ordered: dict[str, dict[str, tuple[float | None, str]]] = {}
for _name, _figures in TARGETS.items():
    _ordered[_name] = _figures
    if _name == "real-all":
        _ordered["real-own"] = {k: (None, label) for k, (_, label) in _figures.items()}
TARGETS = _ordered


def _article_sets(paths: DevPaths, name: str) -> list[Any]:
    from .articles import discover

    if name == "reference":
        examples = paths.shared / "examples"
        return [s for s in discover(examples, texts=examples) if s.slug == "iraq-militias-disarm"]
    if name == "real":
        return discover(paths.shared / "eval" / "articles")
    if name == "real-own":
        folder = paths.repo / "eval" / "articles"
        return discover(folder) if folder.is_dir() else []
    if name == "own":
        return discover(paths.repo / "tests" / "gold", texts=paths.repo / "examples")
    raise KeyError(name)


def _run_articles(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .articles import evaluate_articles, summarise

    specs = _article_sets(paths, name)[:limit]
    scored = evaluate_articles(specs, data_root=paths.data, pipeline=pipe)
    figures = summarise(scored)
    figures["per_article"] = {
        a["slug"]: {
            k: a["figures"][k]
            for k in (
                "events_f1",
                "events_core_recall",
                "events_core_recall_full",
                "quotes_speaker_acc",
                "places_geo_acc",
            )
        }
        for a in scored
    }
    figures["errors"] = [{"article": a["slug"], **e} for a in scored for e in a["errors"]]
    return figures


def _run_plover(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .plover import evaluate_plover

    f = evaluate_plover(paths.data / "plover_gsr_dev.jsonl", pipeline=pipe, limit=limit, show_progress=show)
    return {
        "records": f["records"],
        "type_accuracy": f["type_accuracy"],
        "macro_f1": f["macro_f1"],
        "quad_accuracy": f["quad_accuracy"],
        "actor_country_f1": f["actor_country"]["f1"],
        "recipient_country_f1": f["recipient_country"]["f1"],
        "errors": f["errors"],
    }


def _run_quad(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .cameo import evaluate_quad

    return evaluate_quad(paths.data / "cameo_quad_dev.jsonl", pipeline=pipe, limit=limit, show_progress=show)


def _run_actors(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .cameo import evaluate_actors

    f = evaluate_actors(paths.data / "cameo_actors_dev.jsonl", pipeline=pipe, limit=limit, show_progress=show)
    return {
        "sentences": f["sentences"],
        "actor_overlap": f["actor"]["overlap_share"],
        "recipient_overlap": f["recipient"]["overlap_share"],
        "actor_f1": f["actor"]["f1"],
        "recipient_f1": f["recipient"]["f1"],
        "errors": f["errors"],
    }


def _run_wikievents(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .wikievents import evaluate_wikievents

    return evaluate_wikievents(paths.data / "wikievents_dev.jsonl", pipeline=pipe, limit=limit, show_progress=show)


def _run_quotes(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .quotes import score_file

    f = score_file(paths.data / "polnear_dev.jsonl", limit=limit)
    out: dict[str, Any] = {"documents": f["documents"], "errors": f.get("errors", [])}
    for part in ("all", "direct"):
        out.update({f"{part}_{k}": v for k, v in f[part].items()})
    return out


def _run_geo(paths: DevPaths, name: str, pipe: Pipeline, limit: int | None, show: bool) -> dict[str, Any]:
    from .geo import evaluate_geo

    # LGL's annotators marked adjectival toponyms ("Iraqi") as toponyms; GeoVirus' did not
    return evaluate_geo(paths.data / f"{name}_dev.jsonl", limit=limit, associative=name in ASSOCIATIVE_SETS)


ASSOCIATIVE_SETS = frozenset({"lgl"})

Runner = Callable[[DevPaths, str, "Pipeline", "int | None", bool], dict[str, Any]]
DEV_SETS: dict[str, Runner] = {
    "reference": _run_articles,
    "real": _run_articles,
    "real-own": _run_articles,
    "own": _run_articles,
    "plover": _run_plover,
    "cameo-quad": _run_quad,
    "cameo-actors": _run_actors,
    "wikievents": _run_wikievents,
    "quotes": _run_quotes,
    "lgl": _run_geo,
    "geovirus": _run_geo,
}


def measure_dev(
    paths: DevPaths,
    sets: Sequence[str] = tuple(DEV_SETS),
    *,
    pipeline: Pipeline | None = None,
    limit: int | None = None,
    show_progress: bool = False,
) -> dict[str, dict[str, Any]]:
    """The figures of each chosen set (with its ``errors``); ``real-all`` joins ``real`` and ``real-own``."""
    from ..nlp import load_pipeline

    pipe = pipeline or load_pipeline()
    wanted = list(sets)
    if "real-all" in wanted:
        wanted = [s for s in wanted if s != "real-all"] + [s for s in ("real", "real-own") if s not in wanted]
    out: dict[str, dict[str, Any]] = {}
    for name in DEV_SETS:
        if name in wanted:
            out[name] = DEV_SETS[name](paths, name, pipe, limit, show_progress)
    if "real-all" in sets and "real" in out and "real-own" in out:
        out["real-all"] = _join_articles(out["real"], out["real-own"])
    return out


def _join_articles(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    """Article-set figures of two sets together: means weighted by their article counts."""
    na, nb = a["articles"], b["articles"]
    joined: dict[str, Any] = {"articles": na + nb}
    for key, value in a.items():
        if isinstance(value, float):
            joined[key] = (value * na + float(b.get(key, 0.0)) * nb) / (na + nb) if na + nb else 0.0
    causes = Counter(a.get("error_causes", {})) + Counter(b.get("error_causes", {}))
    joined["error_causes"] = dict(causes.most_common())
    joined["per_article"] = {**a.get("per_article", {}), **b.get("per_article", {})}
    joined["errors"] = [*a.get("errors", []), *b.get("errors", [])]
    return joined


def rows_of(figures: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, Any, Any, str]]:
    """Table rows (set, figure, value, target, verdict) for the sets measured, in set order."""
    rows = []
    for name, targets in TARGETS.items():
        if name not in figures:
            continue
        f = figures[name]
        size = f.get("articles", f.get("records", f.get("sentences", f.get("documents"))))
        first = True
        for key, (target, label) in targets.items():
            value = f.get(key)
            verdict = "" if target is None or value is None else ("ok" if value >= target - 1e-9 else "below")
            rows.append((f"{name} ({size})" if first else "", label, value, target, verdict))
            first = False
    return rows


def _grouped_errors(name: str, f: Mapping[str, Any], per_cause: int = 3) -> list[dict[str, Any]]:
    """Up to ``per_cause`` examples of each cause of failure in a set, most frequent cause first."""
    from .articles import error_cause

    errors = f.get("errors") or []
    by_cause: dict[str, list[Mapping[str, Any]]] = {}
    for err in errors:
        if "item" in err:
            cause = error_cause(err)
        elif "kind" in err:
            cause = str(err["kind"])
        elif "gold" in err and "predicted" in err:
            cause = f"{err['gold']} -> {err['predicted']}"
        else:
            cause = "actor or recipient missed"
        by_cause.setdefault(cause, []).append(err)
    rows = []
    for cause, items in sorted(by_cause.items(), key=lambda kv: -len(kv[1])):
        for err in items[:per_cause]:
            where = err.get("article") or err.get("doc") or err.get("id") or ""
            what = err.get("context") or err.get("text") or ""
            detail = " / ".join(str(err[k]) for k in ("gold", "predicted") if err.get(k) is not None)
            rows.append(
                {
                    "set": name,
                    "cause": f"{cause} ({len(items)})",
                    "where": where,
                    "detail": detail,
                    "text": str(what)[:160],
                }
            )
    return rows


def record(figures: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """Write the figures (without error lists) as JSON, with the date and dragoman's version."""
    from .. import __version__

    slim = {name: {k: v for k, v in f.items() if k != "errors"} for name, f in figures.items()}
    path.write_text(
        json.dumps(
            {"measured": date.today().isoformat(), "dragoman": __version__, "sets": slim},
            indent=2,
            ensure_ascii=False,
            default=str,
        )
        + "\n",
        encoding="utf-8",
    )


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[3]


@click.command("dev")
@click.option(
    "--shared",
    "shared",
    type=click.Path(file_okay=False, path_type=Path),
    help="The shared folder with eval/data and eval/articles (default: ../shared beside the repository).",
)
@click.option(
    "--repo",
    "repo",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository with eval/articles, tests/gold and examples (default: this checkout).",
)
@click.option(
    "--sets",
    "sets",
    default=",".join(["reference", "real-all", "own", *list(DEV_SETS)[4:]]),
    show_default=True,
    help="Comma-separated sets: " + ", ".join([*DEV_SETS, "real-all"]) + ".",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="Only N items of each set: the first N articles or records, N evenly spaced CAMEO sentences.",
)
@click.option(
    "--record",
    "record_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the figures as JSON to this file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON (for machines).")
@click.option("--errors", "show_errors", is_flag=True, help="List each set's failures, grouped by cause.")
def command(
    shared: Path | None,
    repo: Path | None,
    sets: str,
    limit: int | None,
    record_to: Path | None,
    as_json: bool,
    show_errors: bool,
) -> None:
    """Run every development set on events and actors and print one table (targets from the issues)."""
    repo = repo or _repo_root()
    shared = shared or repo.parent / "shared"
    chosen = [s.strip() for s in sets.split(",") if s.strip()]
    unknown = [s for s in chosen if s not in DEV_SETS and s != "real-all"]
    if unknown:
        raise click.BadParameter(
            f"unknown set(s) {', '.join(unknown)}; choose from {', '.join([*DEV_SETS, 'real-all'])}",
            param_hint="--sets",
        )
    if not (shared / "eval" / "data").is_dir():
        raise click.ClickException(f"no development data under {shared / 'eval' / 'data'}; pass --shared")
    paths = DevPaths(shared=shared, repo=repo)
    figures = measure_dev(paths, chosen, limit=limit, show_progress=not as_json)
    if record_to is not None:
        record(figures, record_to)
    grouped = [row for name, f in figures.items() for row in _grouped_errors(name, f)] if show_errors else []
    out: dict[str, Any] = {name: {k: v for k, v in f.items() if k != "errors"} for name, f in figures.items()}
    if show_errors:
        out["errors"] = grouped

    def render(console: Any) -> None:
        from .report import error_table

        console.print(figures_table("development sets", rows_of(figures), ("set", "figure", "value", "target", "")))
        if show_errors:
            console.print(error_table(grouped, ("set", "cause", "where", "detail", "text"), title="failures by cause"))

    emit(out, as_json=as_json, show_errors=show_errors, render=render)
