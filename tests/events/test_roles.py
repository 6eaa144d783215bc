"""Actor and recipient roles on sentences written for these tests (roles.yaml): who did what to whom."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from dragoman.analyse import analyse

# roles.yaml, and roles_*.yaml by construction (roles_implicit.yaml: agents a clause leaves implicit)
CASES = [case for path in sorted(Path(__file__).parent.glob("roles*.yaml"))
         for case in yaml.safe_load(path.read_text(encoding="utf-8"))]


def _countries(result, ids) -> set[str]:
    return {result.entity(i).country for i in ids if result.entity(i) and result.entity(i).country}


def _names(result, ids) -> list[str]:
    return [result.entity(i).name.lower() for i in ids if result.entity(i)]


@pytest.mark.parametrize("case", CASES, ids=[c["text"][:40] for c in CASES])
def test_roles(case: dict, pipeline) -> None:
    result = analyse(case["text"], published=case["published"], pipeline=pipeline)
    coded = [(e.event, e.trigger.text, _names(result, e.actor), _names(result, e.recipient)) for e in result.events]
    for want in case["expect"]:
        found = [e for e in result.events if e.event == want["event"]
                 and want.get("trigger", e.trigger.text).lower() in e.trigger.text.lower()]
        assert found, f"no {want['event']} with trigger {want.get('trigger')!r}; coded: {coded}"
        if "count" in want:
            assert len([e for e in result.events if e.event == want["event"]]) == want["count"], coded
        ev = found[0]
        for role in ("actor", "recipient"):
            ids = getattr(ev, role)
            if role in want:
                assert set(want[role]) <= _countries(result, ids), (role, coded)
            if f"not_{role}" in want:
                assert not set(want[f"not_{role}"]) & _countries(result, ids), (role, coded)
            if f"{role}_name" in want:
                assert any(want[f"{role}_name"].lower() in n for n in _names(result, ids)), (role, coded)
            if f"not_{role}_name" in want:
                assert not any(want[f"not_{role}_name"].lower() in n for n in _names(result, ids)), (role, coded)
