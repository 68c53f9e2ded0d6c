"""The one rule for repeated failures (``Every``, ``Trouble``), for the controller's packages.

Defined in ``firmware/trouble.py`` (the bottom layer, so the sampling loop keeps it too); this
module hands the same names to storage, MQTT and the service. I/O: ``Trouble`` logs.
"""

from __future__ import annotations

from firmware.trouble import ONCE_A_MINUTE_S, Every, Trouble, and_more, cause

__all__ = ["ONCE_A_MINUTE_S", "Every", "Trouble", "and_more", "cause"]
