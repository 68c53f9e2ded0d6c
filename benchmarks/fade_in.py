"""The detection sweep with no way onto the mat: each pose faded in (evaluation/fade_in.py).

Prints, for fades of 1 s and 3 s, how many lying runs start no session and how many upright
runs start one, by kind. One seed on 2x3, 2x4 and 3x3: about 3 minutes on 2 idle cores;
``--quick`` takes every 20th case of 2x3 with a 3 s fade (a few seconds). No time is judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.fade_in import cases, report, run_all


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = cases(("2x3",), every=20) if quick else cases(("2x3", "2x4", "3x3"))
    for fade_s in (3.0,) if quick else (1.0, 3.0):
        print("\n".join(report(run_all(chosen, fade_s), fade_s)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
