"""Lie-downs reached from a long side edge and kneeling; two upright stays (evaluation/ways_on.py).

Prints, for the sweep's own way from the foot end (the reference, run here too), from a long
side edge and kneeling, how many lying runs start no session by kind and layout, and the
start latency; then the sessions started by kneeling on the heels and by sitting on a side
edge (each must start none). Every case, one seed, on 2x3, 2x4 and 3x3: about 2 minutes on 2
cores; ``--quick`` takes every 10th case of 2x3 (a few seconds). No time is judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.ways_on import cases, report, run_all


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = cases(("2x3",), every=10) if quick else cases(("2x3", "2x4", "3x3"))
    print(f"ways_on: {len(chosen)} runs, one seed", flush=True)
    print("\n".join(report(run_all(chosen))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
