"""Long fuzz run: analyse N mutated articles and count what the invariants forbid.

Each article is one of the project's example articles (or the texts in ``--texts`` folders), cut to
at most ``--chars`` characters and put through random mutations (``dragoman.robustness.mutate``:
huge numbers, broken markup, control characters, lone surrogates, deletions, repetitions, no
punctuation, other encodings, flipped bytes) with a random or junk publication date. Counts:
results, typed input errors by type, unexpected exceptions (anything but ``InputError``) and
invariant violations (``dragoman.robustness.result_problems``). Exits 1 if either of the last two
is not zero. The seed makes a run repeatable, and ``--skip K`` continues one where it stopped:
the first K articles of the seed's sequence are made but not analysed, so ``--seed 1 -n 4000``
and ``--seed 1 -n 6000 --skip 4000`` together analyse what ``--seed 1 -n 10000`` does. A
progress line every 100 articles (on stderr) says how far a run got.

    python benchmarks/fuzz_articles.py [-n 10000] [--seed 1] [--skip 0] [--seconds 0] [--texts DIR ...]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
JUNK_DATES = ["2024-02-30", "Mon, 19 Dec 2016", "yesterday", "0000-00-00", "1" * 40,
              "2024-06-01T25:99:00Z", "\x00", "19 December 2016", "2015"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=10_000, help="articles to analyse (default 10,000)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--skip", type=int, default=0, help="continue a run: skip the first K articles of the seed")
    ap.add_argument("--chars", type=int, default=1500, help="cut each base article to this many characters")
    ap.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0: no limit)")
    ap.add_argument("--texts", nargs="*", default=[], help="more folders of .txt articles to mutate")
    args = ap.parse_args()

    from dragoman.analyse import analyse
    from dragoman.errors import InputError
    from dragoman.nlp import load_pipeline
    from dragoman.robustness import mutate, result_problems

    paths = sorted((ROOT / "examples").glob("*.txt"))
    for folder in args.texts:
        paths += sorted(Path(folder).glob("*.txt"))
    bases = [p.read_text(encoding="utf-8", errors="replace")[: args.chars] for p in paths]
    pipe = load_pipeline()
    rng = random.Random(args.seed)
    outcomes: Counter[str] = Counter()
    unexpected: list[str] = []
    violations: list[str] = []
    t0 = time.perf_counter()
    done = 0
    for i in range(args.skip + args.n):
        if args.seconds and time.perf_counter() - t0 > args.seconds:
            break
        payload = "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(0, 30)))
        data = mutate(rng.choice(bases), rng, payload, steps=rng.randrange(1, 5))
        published = rng.choice(JUNK_DATES) if rng.random() < 0.2 else None
        if i < args.skip:
            continue
        try:
            result = analyse(data, published=published, pipeline=pipe)
        except InputError as exc:
            outcomes[f"InputError:{type(exc).__name__}"] += 1
        except Exception as exc:  # what the fuzz run is looking for
            outcomes["unexpected"] += 1
            unexpected.append(f"#{i} {type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}")
        else:
            problems = result_problems(result)
            outcomes["result"] += 1
            if problems:
                outcomes["violating"] += 1
                violations.append(f"#{i}: {problems[:3]}")
        done += 1
        if done % 100 == 0:
            print(f"{done} articles (#{args.skip}-#{i}), {time.perf_counter() - t0:.0f} s: {dict(outcomes)}",
                  file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - t0
    print(f"articles: {done} in {elapsed:.0f} s ({done / elapsed:.1f}/s), seed {args.seed}, from #{args.skip}")
    for key, count in sorted(outcomes.items()):
        print(f"  {key:40s} {count}")
    print(f"unexpected exceptions: {len(unexpected)}; invariant violations: {len(violations)}")
    for line in unexpected[:10] + violations[:10]:
        print(line)
    if unexpected or violations:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
