"""The detection report over the whole scenario library (see controller/detection_report.py).

Prints a row per scenario, then one figure per line: start latency median and max, false and
missed sessions, alert precision and recall, faults raised and cleared.
"""

from __future__ import annotations

import sys

from controller.detection_report import main

if __name__ == "__main__":
    sys.exit(main())
