"""Per-zone calibration: offset (tare) and scale (counts per kg), and the maths to find them.

``kg = (counts - offset_counts) / scale_counts_per_kg``. Values are validated where they
enter: a scale with the wrong sign (the bridge's signal wires are swapped) or an absurd size
is refused with a message that says what to do. The tare averages a window taken while the
mat is empty and still; a known weight on one zone gives its scale. The maths are pure;
``load_calibration``/``save_calibration`` and ``CalibrationStore`` (hot reload when the file
changes) do the file I/O of ``calibration.json`` (format ``acumat-calibration/1``) in the
state directory.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from firmware.clock import Clock
from firmware.errors import FirmwareError

# A 50 kg half-bridge quartet on an HX711 at gain 128 gives ~10^4 counts/kg; anything
# outside 10 .. 10^7 is a wiring or arithmetic mistake, not a load cell.
MIN_SCALE_COUNTS_PER_KG = 10.0
MAX_SCALE_COUNTS_PER_KG = 1e7
MAX_OFFSET_COUNTS = float(0x7FFFFF)
MIN_TARE_SAMPLES = 5
FORMAT = "acumat-calibration/1"
FILENAME = "calibration.json"


class CalibrationError(FirmwareError, ValueError):
    """A calibration value, file or measurement that cannot be right (with what to do)."""


@dataclass(frozen=True, slots=True)
class ZoneCalibration:
    offset_counts: float = 0.0
    scale_counts_per_kg: float | None = None

    def to_kg(self, counts: float) -> float | None:
        """``None`` while the zone has no scale yet."""
        if self.scale_counts_per_kg is None:
            return None
        return (counts - self.offset_counts) / self.scale_counts_per_kg


@dataclass(frozen=True, slots=True)
class Calibration:
    """Calibration by zone name; zones not listed read as uncalibrated."""

    zones: Mapping[str, ZoneCalibration] = field(default_factory=dict)

    def zone(self, name: str) -> ZoneCalibration:
        return self.zones.get(name, ZoneCalibration())

    def with_zone(self, name: str, zone: ZoneCalibration) -> Calibration:
        return Calibration({**self.zones, name: zone})

    def over(self, base: Calibration) -> Calibration:
        """This calibration where it has a zone, ``base`` (e.g. the TOML's) elsewhere."""
        return Calibration({**base.zones, **self.zones})


def checked_zone(
    name: str, offset_counts: float, scale_counts_per_kg: float | None
) -> ZoneCalibration:
    """A validated zone calibration, or ``CalibrationError`` saying what is wrong."""
    if not math.isfinite(offset_counts) or abs(offset_counts) > MAX_OFFSET_COUNTS:
        raise CalibrationError(
            f"zone {name}: offset_counts {offset_counts} is outside the HX711's ±8388607"
        )
    if scale_counts_per_kg is None:
        return ZoneCalibration(offset_counts, None)
    scale = scale_counts_per_kg
    if not math.isfinite(scale) or scale == 0:
        raise CalibrationError(f"zone {name}: scale_counts_per_kg must be a non-zero number")
    if scale < 0:
        raise CalibrationError(
            f"zone {name}: scale_counts_per_kg is negative ({scale:g}): counts fall as weight"
            " is added, so the bridge's signal wires (A+/A-) are swapped; swap them, or set"
            " invert = true for this zone, and calibrate again"
        )
    if not MIN_SCALE_COUNTS_PER_KG <= scale <= MAX_SCALE_COUNTS_PER_KG:
        raise CalibrationError(
            f"zone {name}: scale_counts_per_kg {scale:g} is absurd (expected"
            f" {MIN_SCALE_COUNTS_PER_KG:g} to {MAX_SCALE_COUNTS_PER_KG:g}; load cells on an"
            " HX711 give about 1e3 to 1e5): check the known weight and the wiring"
        )
    return ZoneCalibration(float(offset_counts), float(scale))


def tare(
    samples: Sequence[Sequence[int | None]],
    names: Sequence[str],
    current: Calibration,
    still_kg: float = 0.2,
    empty_kg: float | None = 15.0,
) -> Calibration:
    """New offsets from samples (one row per read, one column per zone) of an empty, still mat.

    Refuses a zone that moved by more than ``still_kg`` (peak to peak) or, when it already
    has a scale, carries more than ``empty_kg`` over its old zero (``None``: don't check).
    """
    result = current
    for i, name in enumerate(names):
        values = [row[i] for row in samples if row[i] is not None]
        zone = current.zone(name)
        offset = _still_mean(name, values, zone, still_kg)
        shift_kg = zone.to_kg(offset)
        if empty_kg is not None and shift_kg is not None and abs(shift_kg) > empty_kg:
            raise CalibrationError(
                f"zone {name} carries {shift_kg:+.1f} kg against its last zero: is the mat"
                " empty? (tare with force to accept it)"
            )
        result = result.with_zone(name, checked_zone(name, offset, zone.scale_counts_per_kg))
    return result


def _still_mean(
    name: str, values: Sequence[int | None], zone: ZoneCalibration, still_kg: float
) -> float:
    numbers = [float(v) for v in values if v is not None]
    if len(numbers) < MIN_TARE_SAMPLES:
        raise CalibrationError(
            f"zone {name}: only {len(numbers)} good readings (need {MIN_TARE_SAMPLES}):"
            " is its board connected?"
        )
    spread = max(numbers) - min(numbers)
    if zone.scale_counts_per_kg is not None and spread / zone.scale_counts_per_kg > still_kg:
        raise CalibrationError(
            f"zone {name} moved by {spread / zone.scale_counts_per_kg:.2f} kg while taring"
            f" (limit {still_kg:g} kg): keep the mat empty and still"
        )
    return _mean(numbers)


def _mean(numbers: Sequence[float]) -> float:
    # statistics.fmean's own arithmetic, without importing statistics (with decimal and
    # fractions: ~0.7 MB resident in the service, which reads calibration.json at start)
    return math.fsum(numbers) / len(numbers)


def scale_from_known_weight(
    name: str, samples: Sequence[int | None], offset_counts: float, known_kg: float
) -> float:
    """Counts per kg from readings with ``known_kg`` resting on zone ``name`` alone."""
    if not known_kg > 0:
        raise CalibrationError(f"zone {name}: the known weight must be > 0 kg, not {known_kg}")
    numbers = [float(v) for v in samples if v is not None]
    if len(numbers) < MIN_TARE_SAMPLES:
        raise CalibrationError(f"zone {name}: only {len(numbers)} good readings with the weight")
    scale = (_mean(numbers) - offset_counts) / known_kg
    checked_zone(name, offset_counts, scale)
    return scale


def calibration_to_json(calibration: Calibration, wall_s: float) -> str:
    zones = {
        name: {"offset_counts": z.offset_counts, "scale_counts_per_kg": z.scale_counts_per_kg}
        for name, z in sorted(calibration.zones.items())
    }
    return json.dumps({"format": FORMAT, "saved_wall_s": wall_s, "zones": zones}, indent=2)


def calibration_from_json(text: str, where: str = FILENAME) -> Calibration:
    """Parses and validates; every problem is a ``CalibrationError`` naming ``where``."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalibrationError(f"{where}: not JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CalibrationError(f"{where}: not an {FORMAT} file")
    zones = data.get("zones")
    if not isinstance(zones, dict):
        raise CalibrationError(f"{where}: 'zones' must be an object of zone name → values")
    return Calibration({name: _zone_from_json(where, name, raw) for name, raw in zones.items()})


def _zone_from_json(where: str, name: str, raw: Any) -> ZoneCalibration:
    raw = raw if isinstance(raw, dict) else {"offset_counts": None}
    offset = raw.get("offset_counts", 0.0)
    scale = raw.get("scale_counts_per_kg")
    numbers = (offset, scale if scale is not None else 1.0)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
        raise CalibrationError(
            f"{where}: zone {name}: offset_counts and scale_counts_per_kg must be numbers"
        )
    try:
        return checked_zone(name, float(offset or 0.0), None if scale is None else float(scale))
    except CalibrationError as exc:
        raise CalibrationError(f"{where}: {exc}") from None


def load_calibration(path: Path) -> Calibration:
    """The file's calibration; an absent file is an empty calibration."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Calibration()
    return calibration_from_json(text, str(path))


def save_calibration(path: Path, calibration: Calibration, wall_s: float) -> None:
    """Writes atomically (temporary file, then rename) so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(calibration_to_json(calibration, wall_s) + "\n", encoding="utf-8")
    os.replace(tmp, path)


class CalibrationStore:
    """The file's calibration over a base (the TOML's), re-read when the file changes.

    An invalid new file is not applied: the last good calibration stays and ``last_error``
    says why, so a typo made while the service runs never turns weights into nonsense.
    """

    def __init__(self, path: Path, base: Calibration, clock: Clock, check_every_s: float = 1.0):
        self.path, self._base, self._clock = path, base, clock
        self._check_every_s = check_every_s
        self._next_check_s = clock.monotonic() + check_every_s
        self._stamp = self._file_stamp()
        self.current = load_calibration(path).over(base)
        self.last_error: str | None = None

    def maybe_reload(self) -> bool:
        """Re-reads the file if it changed (checked at most every ``check_every_s``)."""
        now = self._clock.monotonic()
        if now < self._next_check_s:
            return False
        self._next_check_s = now + self._check_every_s
        stamp = self._file_stamp()
        if stamp == self._stamp:
            return False
        self._stamp = stamp
        try:
            self.current = load_calibration(self.path).over(self._base)
        except CalibrationError as exc:
            self.last_error = str(exc)
            return False
        self.last_error = None
        return True

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return None
        return st.st_mtime_ns, st.st_size
