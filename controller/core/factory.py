"""The one way to build a ``MatController`` from the core's settings (pure).

The service, ``acumat replay``, the monitor, the report and the detection report all build
their controller here, so breathing (on unless ``[breathing] enabled = false``) and every
other setting reach each of them the same way.
"""

from __future__ import annotations

from controller.core.breathing import BreathingEstimator
from controller.core.controller import MatController
from controller.core.settings import CoreSettings
from firmware.layout import MatLayout


def build_controller(layout: MatLayout, settings: CoreSettings | None = None) -> MatController:
    """A controller for ``layout`` with ``settings`` (the defaults when ``None``)."""
    settings = settings or CoreSettings()
    breathing = (
        BreathingEstimator(layout, settings.breathing) if settings.breathing.enabled else None
    )
    return MatController(layout, settings, breathing=breathing)
