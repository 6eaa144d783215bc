"""Peak memory and throughput of ``dragoman analyze`` on a long text, against a normal article.

Builds the long text from the project's own example articles (repeated, paragraph by paragraph,
to the size asked, 5 MB by default), runs the real command on a tiny article (start-up cost), on a
normal article and on the long text, and prints each run's wall time, peak resident memory
(the process and its children, sampled every 0.1 s) and throughput in characters per second of
analysis (wall time minus start-up). ``--line`` adds a text of the same kind with no punctuation
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


def _run(path: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of ``dragoman analyze --format json path``."""
    exe = shutil.which("dragoman") or str(Path(sys.executable).with_name("dragoman"))
    t0 = time.perf_counter()
    proc = psutil.Popen([exe, "analyze", "--format", "json", str(path)], stdout=subprocess.DEVNULL)
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
        raise SystemExit(f"analyze failed on {path} (exit {proc.returncode})")
    return seconds, peak / 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0, help="size of the long text in MB (default 5)")
    ap.add_argument("--line-mb", type=float, default=0.0, help="also a text without punctuation of this size")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = {
            "tiny": "Police arrested ten protesters in the capital on Monday, officials said.",
            # every example as one text: an article of ordinary length (analysed in one piece)
            "normal article": "\n\n".join(p.read_text(encoding="utf-8").strip() for p in EXAMPLES),
            f"long text ({args.mb:g} MB)": _long_text(int(args.mb * 1e6)),
        }
        if args.line_mb:
            cases[f"no punctuation ({args.line_mb:g} MB)"] = _unpunctuated(int(args.line_mb * 1e6))
        startup = 0.0
        normal_rate = 0.0
        print(f"{'case':28s} {'chars':>10s} {'seconds':>8s} {'peak RSS MB':>12s} {'chars/s':>9s} {'vs normal':>9s}")
        for name, text in cases.items():
            path = Path(tmp) / "article.txt"
            path.write_text(text, encoding="utf-8")
            seconds, peak = _run(path)
            if name == "tiny":
                startup = seconds
                print(f"{name:28s} {len(text):10d} {seconds:8.1f} {peak:12.0f} {'(start-up)':>9s}")
                continue
            rate = len(text) / max(1e-6, seconds - startup)
            normal_rate = normal_rate or rate
            print(f"{name:28s} {len(text):10d} {seconds:8.1f} {peak:12.0f} {rate:9.0f} {rate / normal_rate:9.2f}",
                  flush=True)


if __name__ == "__main__":
    main()
