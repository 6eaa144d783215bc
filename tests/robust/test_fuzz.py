"""Fuzzing: mutated articles (hypothesis picks the mutations, payloads and publication dates) give
a sound result or a typed InputError, never anything else. A longer run is
benchmarks/fuzz_articles.py."""

from __future__ import annotations

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dragoman.analyse import analyse
from dragoman.errors import InputError
from dragoman.robustness import mutate, result_problems

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.txt"))
# the opening of each example article keeps every analysis short
BASES = [p.read_text(encoding="utf-8")[:700] for p in EXAMPLES]
PUBLISHED = st.one_of(st.none(), st.text(max_size=30),
                      st.sampled_from(["2024-02-30", "Mon, 19 Dec 2016", "0000-01-01", "99999", "2024-06-01"]))


@settings(max_examples=50, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(base=st.sampled_from(BASES), seed=st.integers(0, 2**32 - 1), payload=st.text(max_size=60),
       steps=st.integers(1, 4), published=PUBLISHED)
def test_mutated_articles_give_sound_results_or_input_errors(
        pipeline, base: str, seed: int, payload: str, steps: int, published: str | None) -> None:
    data = mutate(base, random.Random(seed), payload, steps=steps)
    try:
        result = analyse(data, published=published, pipeline=pipeline)
    except InputError:
        return
    assert result_problems(result) == []
