"""The detection report over the whole scenario library (see evaluation/detection_report.py).

Prints a row per scenario, then one figure per line: start latency median and max, false and
missed sessions, alert precision and recall, faults raised and cleared.
"""

from __future__ import annotations

import sys
from pathlib import Path

# evaluation/ is not installed with the product: it sits beside benchmarks/ in the checkout.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluation.detection_report import main

if __name__ == "__main__":
    sys.exit(main())
