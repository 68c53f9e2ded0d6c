"""The detection report: the scenario library, then the full sweep (evaluation/sweep.py).

Prints a row per library scenario and its figures, then the sweep's runs (every posture x
placement x body x 3 seeds x layouts 2x3, 2x4, 3x3; the report prints how many) summed up per
group, layout and kind: start latency (median, 95th percentile, max), sessions missed and
false, the time sitting and standing are reported as themselves, alert precision, recall and
wrong-side alerts, breathing error and abstention. About 2 minutes on 2 idle cores;
``--quick`` (2x3, one seed) about 15 s, ``--library`` the library alone (~10 s).
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.detection_report import main

if __name__ == "__main__":
    sys.exit(main())
