"""Analysis over coded results: one-article briefs, trends, escalation, actor networks and reports.

Every public function returns records with ``to_dict()`` (plain, JSON-ready dicts and lists) so that
the CLI, the web layer and tests read the same figures.
"""

from __future__ import annotations

from .brief import Brief, Statement, article_brief, render_brief_html, render_brief_markdown, render_brief_text

__all__ = [
    "Brief",
    "Statement",
    "article_brief",
    "render_brief_html",
    "render_brief_markdown",
    "render_brief_text",
]
