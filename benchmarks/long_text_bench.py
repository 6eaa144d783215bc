"""Peak memory and throughput of ``dragoman analyze`` on a long text, against a normal article.

Builds the long text from the project's own example articles (repeated, paragraph by paragraph,
to the size asked, 5 MB by default), runs the real command on a tiny article (start-up cost), on
ten articles of ordinary length and on the long text, and prints each run's wall time, peak
resident memory (the process and its children, sampled every 0.1 s) and throughput in characters
per second of analysis (wall time minus start-up). ``--line`` adds a text of the same kind with no punctuation
and no line breaks at all.

    python benchmarks/long_text_bench.py [--mb 5] [--line-mb 1]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples").glob("*.txt"))


def _long_text(size: int) -> str:
    base = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in EXAMPLES)
    text = "\n\n".join([base] * (size // len(base.encode()) + 1))
    return text.encode()[:size].decode("utf-8", "ignore")


def _unpunctuated(size: int) -> str:
    base = " ".join(p.read_text(encoding="utf-8") for p in EXAMPLES)
    words = "".join(ch if ch.isalnum() else " " for ch in base).split()
    line = " ".join(words)
    return ((line + " ") * (size // len(line) + 1))[:size]


def _run(paths: list[Path]) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``dragoman analyze --format json PATHS``."""
    exe = shutil.which("dragoman") or str(Path(sys.executable).with_name("dragoman"))
    t0 = time.perf_counter()
    proc = psutil.Popen([exe, "analyze", "--format", "json", *map(str, paths)], stdout=subprocess.DEVNULL)
    peak = 0
    while proc.poll() is None:
        try:
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"analyze failed on {paths[0]} (exit {proc.returncode})")
    return seconds, peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the long text in MB (default 5)")
    ap.add_argument("--line-mb", type=float, default=0.0, help="also a text without punctuation of this size")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        normal = "\n\n".join(p.read_text(encoding="utf-8").strip() for p in EXAMPLES)
        # (name, text, copies): the normal case is ten ordinary-length articles in one run, for a
        # steady rate; each is analysed in one piece
        cases = [
            ("start-up (tiny article)", "Police arrested ten protesters in the capital on Monday, officials said.", 1),
            ("normal articles (10)", normal, 10),
            (f"long text ({args.mb:g} MB)", _long_text(int(args.mb * 1e6)), 1),
        ]
        if args.line_mb:
            cases.append((f"no punctuation ({args.line_mb:g} MB)", _unpunctuated(int(args.line_mb * 1e6)), 1))
        startup = 0.0
        normal_rate = 0.0
        print(f"{'case':28s} {'chars':>10s} {'seconds':>8s} {'peak RSS MB':>12s} {'chars/s':>9s} {'vs normal':>9s}")
        for n, (name, text, copies) in enumerate(cases):
            paths = []
            for k in range(copies):
                path = Path(tmp) / f"case{n}-{k}.txt"
                # ten distinct articles rather than one text repeated
                path.write_text(f"Copy {k + 1}.\n\n{text}" if copies > 1 else text, encoding="utf-8")
                paths.append(path)
            if not n:
                _run(paths)  # a first start builds the user-cache files (gazetteer, KB ruler): not counted
            seconds, peak = _run(paths)
            chars = sum(len(p.read_text(encoding="utf-8")) for p in paths)
            if not startup:
                startup = seconds
                print(f"{name:28s} {chars:10d} {seconds:8.1f} {peak:12.0f}", flush=True)
                continue
            rate = chars / max(1e-6, seconds - startup)
            normal_rate = normal_rate or rate
            print(f"{name:28s} {chars:10d} {seconds:8.1f} {peak:12.0f} {rate:9.0f} {rate / normal_rate:9.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
