"""gpiozero's default pin factory, chosen quietly (thin I/O shell: imports gpiozero lazily).

With ``pin_library = "auto"`` gpiozero tries its pin libraries in turn (lgpio, RPi.GPIO,
pigpio, then its own native one) and warns a ``PinFactoryFallback`` for each that fails,
eight lines on stderr before its one-line "Unable to load any default pin factory!". On a
laptop, in CI or on a Pi whose user may not open the pins, a person needs one line instead:
``default_pin_factory`` keeps those warnings to the choice itself, logs each reason at debug
level, and raises ``NoGpioError`` naming what was tried and what to do. ``gpio_refusal``
turns that, or lgpio's own error when the user may not open the gpiochip, into the line.
"""

from __future__ import annotations

import logging
import sys
import warnings
from typing import Any

from firmware.errors import FirmwareError

log = logging.getLogger(__name__)

# What a person does about it, on a Pi and elsewhere.
NO_GPIO_HINT = (
    "on a Raspberry Pi, install python3-lgpio and add the user to the gpio group"
    " (sudo usermod -aG gpio $USER, then log in again); elsewhere `acumat run` can use"
    ' [source] kind = "simulate" (calibrate and tare need the boards)'
)


class NoGpioError(FirmwareError, ImportError):
    """No pin library gpiozero knows could open this machine's GPIO pins."""


def default_pin_factory() -> Any:
    """gpiozero's own pick of pin factory (``Device.pin_factory``, set once per process).

    A fallback on the way is logged at debug level; ``NoGpioError`` when every library failed.
    """
    from gpiozero import Device
    from gpiozero.exc import BadPinFactory, PinFactoryFallback

    if Device.pin_factory is not None:
        return Device.pin_factory
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PinFactoryFallback)
        try:
            Device.ensure_pin_factory()
        except BadPinFactory as exc:
            tried = _fallbacks(caught, PinFactoryFallback)
            if not tried:  # $GPIOZERO_PIN_FACTORY named one that is not there: say it as is
                raise
            names = ", ".join(name for name, _ in tried)
            raise NoGpioError(
                f"no GPIO here: no pin library could open the pins (tried {names}); " + NO_GPIO_HINT
            ) from exc
        finally:
            _pass_on(caught, PinFactoryFallback)
    return Device.pin_factory


def gpio_refusal(exc: Exception) -> str | None:
    """What to tell a person when ``exc`` says this machine's pins cannot be opened, or None."""
    if isinstance(exc, NoGpioError):
        return str(exc)
    error = getattr(sys.modules.get("lgpio"), "error", None)
    if isinstance(error, type) and isinstance(exc, error):
        # lgpio is installed but may not open the gpiochip: a user outside the gpio group
        return f"lgpio cannot open the pins ({exc}); {NO_GPIO_HINT}"
    return None


def _fallbacks(caught: list[warnings.WarningMessage], kind: type[Warning]) -> list[tuple[str, str]]:
    """(library, reason) of each fallback, from gpiozero's "Falling back from NAME: REASON"."""
    pairs = []
    for w in caught:
        if issubclass(w.category, kind):
            text = str(w.message).removeprefix("Falling back from ")
            name, _, reason = text.partition(": ")
            pairs.append((name, reason))
    return pairs


def _pass_on(caught: list[warnings.WarningMessage], kind: type[Warning]) -> None:
    """The fallbacks at debug level; any other warning (the native factory's) is re-issued."""
    for name, reason in _fallbacks(caught, kind):
        log.debug("gpiozero: pin library %s not used: %s", name, reason)
    for w in caught:
        if not issubclass(w.category, kind):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
