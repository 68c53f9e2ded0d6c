"""The sweep's lie-downs after sitting a while first (evaluation/long_seat.py).

Prints, for a seat held 1-3 s (the sweep's own), 12-18 s and 25-35 s on the way down, how
many lying runs start no session, by kind and layout, and the start latency. One seed on 2x3,
2x4 and 3x3: about a minute per seat length on 2 idle cores; ``--quick`` takes every 20th 2x3
case with the 25-35 s seat (a few seconds). No time is judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.long_seat import cases, report, run_all

LONG_SEAT_S = (12.0, 18.0)
LONGER_SEAT_S = (25.0, 35.0)  # past the 20 s after which the centre's move alone must be 22 cm


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    seats = [LONGER_SEAT_S] if quick else [(1.0, 3.0), LONG_SEAT_S, LONGER_SEAT_S]
    for seat_s in seats:
        chosen = (
            cases(("2x3",), seat_s, every=20) if quick else cases(("2x3", "2x4", "3x3"), seat_s)
        )
        print("\n".join(report(run_all(chosen), seat_s)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
