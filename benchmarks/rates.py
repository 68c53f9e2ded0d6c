"""The detection sweep at 2, 5, 10 and 80 frames/s, simulated natively (evaluation/rates.py).

Prints one line per rate: lying runs missed, false sessions in upright runs, start latency
(median, p95, max), beside the 10 Hz reference of the same run; then every missed and false
run by name. The sweep's cases with one seed on 2x3, 2x4 and 3x3 (3,075 runs a rate): about
10 minutes on 2 cores, most of it at 80 Hz; ``--quick`` takes every 40th case of 2x3 (a few
seconds). ``--rates 2,5`` picks rates (the reference is always run). No time is judged.
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.rates import RATES_HZ, REFERENCE_HZ, cases, rate_lines, rate_outcomes


def _rates(argv: list[str]) -> list[float]:
    if "--rates" not in argv:
        return list(RATES_HZ)
    asked = [float(x) for x in argv[argv.index("--rates") + 1].split(",")]
    return sorted({*asked, REFERENCE_HZ})


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    chosen = cases(("2x3",), every=40) if quick else cases(("2x3", "2x4", "3x3"))
    print(f"rates: {len(chosen)} runs a rate, one seed", flush=True)
    runs = []
    for rate_hz in _rates(argv):
        runs.append(rate_outcomes(chosen, rate_hz))
        print(rate_lines(runs[-1:])[0], flush=True)
    print("\n".join(["summary:", *rate_lines(runs)]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
