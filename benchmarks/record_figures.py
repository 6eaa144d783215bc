"""Re-measure the development-set figures and rewrite tests/evaluate/figures.json (on purpose only).

Same as ``python -m dragoman.evaluate.record``; pass ``--full`` to measure the whole development sets.
"""

from __future__ import annotations

import sys

from dragoman.evaluate.record import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
