"""The acumat-frames/1 file format: JSON Lines, a header line then one frame per line.

Header: ``{"type": "header", "format": "acumat-frames/1", "rate_hz": 10.0, "layout": {...}}``
plus any extra keys (the simulator adds ``"truth"``). Frame: ``{"t": 12.3, "zones":
{"upper_left": 5.91, ..., "lower_right": null}}``: ``t`` in seconds, non-decreasing; kg after
calibration; ``null`` where a zone had no valid reading. Readers accept extra keys; a zone
missing from a frame counts as ``null``; a zone name the layout does not know is ignored.
The header's rate is a hint, not a promise.

Pure apart from the file reads in ``open_frames``/``bounded_lines``. Lines are decoded with
``orjson`` when it is installed (the ``fast`` extra: about 5 x the stdlib's speed, wheels for
the Pi's aarch64 and armv7l) and with the stdlib ``json`` otherwise; any line ``orjson``
refuses is decoded again by the stdlib, so both accept the same files and give the same errors.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from firmware.errors import FirmwareError
from firmware.frame import ZoneFrame
from firmware.layout import LayoutError, MatLayout

_loads: Callable[[str], Any]
try:
    import orjson

    _loads, JSON_DECODER = orjson.loads, "orjson"
except ImportError:  # the stdlib's decoder: the same frames, about 5 x slower
    _loads, JSON_DECODER = json.loads, "json"

FORMAT = "acumat-frames/1"
# A frame of 256 zones is ~8 kB and a header with its layout and truth a few tens: a longer line
# is refused before it is parsed, so a damaged file cannot take the memory.
MAX_LINE_BYTES = 1 << 20
# Frame times are seconds on some clock (monotonic, or Unix time): beyond this they are garbage.
MAX_ABS_T_S = 1e12
_FLOAT_ONLY = frozenset((float,))


class FrameFileError(FirmwareError, ValueError):
    """A frame file that does not follow acumat-frames/1; names the line and the reason."""

    def __init__(self, line_no: int, reason: str) -> None:
        super().__init__(f"line {line_no}: {reason}")
        self.line_no = line_no
        self.reason = reason


@dataclass(frozen=True, slots=True)
class FrameFileHeader:
    """The header line: layout, the rate hint, and every other key as it was written."""

    layout: MatLayout
    rate_hz: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "header",
            "format": FORMAT,
            "rate_hz": self.rate_hz,
            "layout": self.layout.to_dict(),
            **self.extra,
        }


def parse_header(line: str, line_no: int = 1) -> FrameFileHeader:
    data = _json_object(line, line_no)
    if data.get("type") != "header" or data.get("format") != FORMAT:
        raise FrameFileError(line_no, f'expected a header with "format": "{FORMAT}"')
    rate = data.get("rate_hz", 10.0)
    if isinstance(rate, bool) or not isinstance(rate, int | float) or not rate > 0:
        raise FrameFileError(line_no, f"rate_hz must be a positive number, got {rate!r}")
    if "layout" not in data or not isinstance(data["layout"], dict):
        raise FrameFileError(line_no, "the header has no layout object")
    try:
        layout = MatLayout.from_dict(data["layout"])
    except LayoutError as exc:
        raise FrameFileError(line_no, str(exc)) from None
    extra = {k: v for k, v in data.items() if k not in ("type", "format", "rate_hz", "layout")}
    return FrameFileHeader(layout=layout, rate_hz=float(rate), extra=extra)


class FrameParser:
    """Turns frame lines into ``ZoneFrame``s for one layout, checking order and types."""

    def __init__(self, layout: MatLayout) -> None:
        self._names = layout.names
        # Any t below -MAX_ABS_T_S is refused for its size before its order is looked at.
        self._last_t = -MAX_ABS_T_S

    def parse(self, line: str, line_no: int) -> ZoneFrame:
        data = _json_object(line, line_no)
        return self._common(data) or self._checked(data, line_no)

    def _common(self, data: dict[str, Any]) -> ZoneFrame | None:
        """The usual frame (a float ``t`` in order, a finite float in every zone) with a few
        C-level checks, or None: then ``_checked`` decides and names the problem."""
        t, zones = data.get("t"), data.get("zones")
        if type(t) is not float or type(zones) is not dict:
            return None
        if not self._last_t <= t <= MAX_ABS_T_S:
            return None
        loads = tuple(map(zones.get, self._names))
        # One NaN or infinity makes the sum non-finite; an overflowing sum only costs the slow way.
        if not _FLOAT_ONLY.issuperset(map(type, loads)):
            return None
        if not math.isfinite(sum(cast("tuple[float, ...]", loads))):
            return None
        self._last_t = t
        return ZoneFrame(t, loads)

    def _checked(self, data: dict[str, Any], line_no: int) -> ZoneFrame:
        t = data.get("t")
        if isinstance(t, bool) or not isinstance(t, int | float) or not abs(t) <= MAX_ABS_T_S:
            shown = repr(t) if len(repr(t)) < 40 else f"{repr(t)[:37]}..."
            raise FrameFileError(line_no, f"t must be seconds within ±{MAX_ABS_T_S:g}, got {shown}")
        if t < self._last_t:
            raise FrameFileError(line_no, f"t went backwards ({t} after {self._last_t})")
        zones = data.get("zones")
        if not isinstance(zones, dict):
            raise FrameFileError(line_no, "a frame needs a zones object")
        self._last_t = float(t)
        loads = tuple(_load(zones.get(name), name, line_no) for name in self._names)
        return ZoneFrame(t=float(t), load_kg=loads)


def frame_to_dict(layout: MatLayout, frame: ZoneFrame, digits: int = 3) -> dict[str, Any]:
    return {
        "t": round(frame.t, 4),
        "zones": {
            name: (None if kg is None else round(kg, digits))
            for name, kg in zip(layout.names, frame.load_kg, strict=True)
        },
    }


def write_frames(out: IO[str], header: FrameFileHeader, frames: Iterable[ZoneFrame]) -> int:
    """Writes a header and the frames; returns how many frames were written."""
    out.write(json.dumps(header.to_dict(), separators=(",", ":")) + "\n")
    count = 0
    for frame in frames:
        out.write(json.dumps(frame_to_dict(header.layout, frame), separators=(",", ":")))
        out.write("\n")
        count += 1
    return count


def read_frames(lines: Iterable[str]) -> tuple[FrameFileHeader, Iterator[ZoneFrame]]:
    """Reads the header now and the frames lazily; errors carry 1-based line numbers."""
    it = iter(enumerate(lines, start=1))
    first = _next_content(it)
    if first is None:
        raise FrameFileError(1, "the file is empty: expected a header line")
    header = parse_header(first[1], first[0])
    parser = FrameParser(header.layout)

    def frames() -> Iterator[ZoneFrame]:
        parse = parser.parse
        for line_no, line in it:
            if line.strip():
                yield parse(line, line_no)

    return header, frames()


def bounded_lines(handle: BinaryIO) -> Iterator[str]:
    """The file's lines as text; a line over ``MAX_LINE_BYTES`` (not read whole) or not UTF-8
    raises ``FrameFileError`` with its line number."""
    line_no = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        line_no += 1
        if len(raw) > MAX_LINE_BYTES:
            raise FrameFileError(line_no, f"longer than {MAX_LINE_BYTES // 1024} KiB: not a frame")
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FrameFileError(line_no, f"not UTF-8 text (byte {exc.start + 1})") from None


def open_frames(path: Path) -> tuple[FrameFileHeader, Iterator[ZoneFrame]]:
    """Opens a frame file; the iterator closes the file when exhausted."""
    handle = path.open("rb")
    try:
        header, frames = read_frames(bounded_lines(handle))
    except BaseException:
        handle.close()
        raise

    def closing() -> Iterator[ZoneFrame]:
        with handle:
            yield from frames

    return header, closing()


def _next_content(it: Iterator[tuple[int, str]]) -> tuple[int, str] | None:
    for line_no, line in it:
        if line.strip():
            return line_no, line
    return None


def _json_object(line: str, line_no: int) -> dict[str, Any]:
    try:
        data = _loads(line)
    except (ValueError, RecursionError):  # orjson.JSONDecodeError is a ValueError
        # The stdlib decides: it names the problem, and reads what orjson refuses but the stdlib
        # always accepted (NaN and Infinity, integers beyond 64 bits).
        data = _stdlib_json(line, line_no)
    if not isinstance(data, dict):
        raise FrameFileError(line_no, "expected a JSON object")
    return data


def _stdlib_json(line: str, line_no: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise FrameFileError(line_no, f"not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise FrameFileError(line_no, "not a frame: JSON nested too deeply") from None
    except ValueError:  # an integer beyond Python's digit limit
        raise FrameFileError(line_no, "not a frame: a number with too many digits") from None


def _load(value: Any, name: str, line_no: int) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FrameFileError(line_no, f"zone {name!r}: expected kg or null, got {value!r}")
    if not math.isfinite(value):
        return None
    return float(value)
