"""Short articles written for the web tests, and one full of markup that must never execute."""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from pathlib import Path
from typing import Any

from dragoman.records import ArticleResult, Entity, Mention, Quote


def _escalation_corpus() -> list[tuple[str, str, str]]:
    """The analysis tests' corpus (tests/analysis/corpus.py), loaded by path: the two test folders are
    not packages of one another."""
    path = Path(__file__).resolve().parents[1] / "analysis" / "corpus.py"
    spec = importlib.util.spec_from_file_location("dragoman_tests_escalation_corpus", path)
    assert spec is not None and spec.loader is not None
    module: Any = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.ARTICLES)


# (published, outlet, text): talks in weeks 2025-W10 to W13, threats in W14, attacks in W15 and W16.
ESCALATION = _escalation_corpus()
ALERT_PERIOD = "2025-W15"  # the week of the first attacks, where the escalation alert belongs


def title_of(text: str) -> str:
    """A headline for a corpus article: its first sentence after the dateline."""
    body = text.split(" - ", 1)[-1]
    first = body.split(". ")[0]
    return first if len(first) <= 90 else first[:87].rsplit(" ", 1)[0] + "…"

ARTICLES: list[tuple[str, str, str]] = [
    (
        "2025-01-15",
        "Clashes near Mosul",
        "MOSUL, Jan 15 - Iraqi security forces attacked Islamic State fighters near Mosul on Wednesday, "
        "killing five militants, the Iraqi Ministry of Defence said in a statement.\n\n"
        "\"We will not stop until the area is secure,\" said Defence Minister Thabet al-Abbasi.\n\n"
        "Kataib Hezbollah said it would withdraw its fighters from Jurf al-Sakhar.",
    ),
    (
        "2025-02-10",
        "Iran and Iraq discuss border security",
        "BAGHDAD, Feb 10 - Iran's foreign minister met Iraqi Prime Minister Mohammed Shia al-Sudani in "
        "Baghdad on Monday to discuss cooperation on border security.\n\n"
        "The two governments agreed to expand trade, according to a statement from the prime minister's office.",
    ),
    (
        "2025-03-05",
        "Turkish strikes in northern Iraq",
        "ERBIL, March 5 - Turkey launched air strikes on Kurdistan Workers' Party positions in Duhok "
        "province on Wednesday, Kurdish officials said.\n\n"
        "The Iraqi government condemned the strikes and accused Ankara of violating its sovereignty.",
    ),
    (
        "2025-03-20",
        "Aid reaches Khartoum",
        "KHARTOUM, March 20 - The United Nations delivered food aid to families in Khartoum on Thursday, "
        "the World Food Programme said.\n\n"
        "The Sudanese army and the Rapid Support Forces agreed to a three-day ceasefire to let convoys pass.",
    ),
    (
        "2025-04-02",
        "Protest in Basra",
        "BASRA, April 2 - Hundreds of people protested outside the provincial council in Basra on "
        "Wednesday over power cuts, local officials said.\n\n"
        "Police arrested a dozen demonstrators, and the governor threatened to dismiss the electricity director.",
    ),
]

XSS_NAME = "<img src=x onerror=\"window.__xss=1;alert(1)\">Commander"
XSS_QUOTE = "<script>window.__xss=2;alert(2)</script> we will fight"
XSS_TEXT = (
    "MOSUL, April 5 - <b>Militants</b> attacked a checkpoint near Mosul on Saturday, "
    f"said {XSS_NAME}, according to the army.\n\n"
    f"\"{XSS_QUOTE},\" the commander said. <iframe src=\"javascript:window.__xss=3\"></iframe>\n\n"
    "Iraqi forces arrested three men <svg onload=\"window.__xss=4\"></svg> in Mosul."
)


def poison(result: ArticleResult) -> ArticleResult:
    """Give the analysed markup article an actor and a quote whose names are themselves markup."""
    text = result.article.text
    start = text.index(XSS_NAME)
    evil = Entity(
        id="e900", name=XSS_NAME, kind="military", country="IRQ", sector="MIL", kb_id=None, wikidata=None,
        mentions=(Mention(start, start + len(XSS_NAME), XSS_NAME),),
    )
    qs = text.index(XSS_QUOTE)
    quote = Quote(speaker="e900", speaker_text=XSS_NAME, text=XSS_QUOTE, cue="said", start=qs,
                  end=qs + len(XSS_QUOTE), direct=True)
    events = tuple(replace(ev, actor=("e900",)) if i == 0 else ev for i, ev in enumerate(result.events))
    return replace(result, entities=(*result.entities, evil), quotes=(*result.quotes, quote), events=events)
