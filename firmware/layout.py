"""Geometry of the mat: rectangular zones on a platform (pure).

Coordinates: x across from the user's left (0) to right, y along from the head end (0) to
the feet, in metres. The controller uses only this geometry, never the zone names.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from firmware.errors import FirmwareError


class LayoutError(FirmwareError, ValueError):
    """A layout that cannot describe a real mat (overlaps the edge, duplicate names, ...)."""


_EDGE_TOLERANCE_M = 1e-3


@dataclass(frozen=True, slots=True)
class Zone:
    """One load-sensing tile: its name, centre and size."""

    name: str
    x_m: float
    y_m: float
    width_m: float
    length_m: float

    @property
    def x0_m(self) -> float:
        return self.x_m - self.width_m / 2

    @property
    def x1_m(self) -> float:
        return self.x_m + self.width_m / 2

    @property
    def y0_m(self) -> float:
        return self.y_m - self.length_m / 2

    @property
    def y1_m(self) -> float:
        return self.y_m + self.length_m / 2

    @property
    def area_m2(self) -> float:
        return self.width_m * self.length_m


@dataclass(frozen=True, slots=True)
class MatLayout:
    """The platform (``width_m`` × ``length_m``) and its zones, in a fixed order."""

    width_m: float
    length_m: float
    zones: tuple[Zone, ...]

    def __post_init__(self) -> None:
        _check_layout(self)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(z.name for z in self.zones)

    def index(self, name: str) -> int:
        for i, zone in enumerate(self.zones):
            if zone.name == name:
                return i
        raise KeyError(name)

    @classmethod
    def grid(cls, columns: int, rows: int, width_m: float, length_m: float) -> MatLayout:
        """Equal tiles, ``columns`` across and ``rows`` along, named by row and column."""
        if columns < 1 or rows < 1:
            raise LayoutError(f"a grid needs at least one column and row, got {columns}x{rows}")
        tile_w, tile_l = width_m / columns, length_m / rows
        zones = tuple(
            Zone(
                name=f"{_row_name(r, rows)}_{_column_name(c, columns)}",
                x_m=round((c + 0.5) * tile_w, 6),
                y_m=round((r + 0.5) * tile_l, 6),
                width_m=round(tile_w, 6),
                length_m=round(tile_l, 6),
            )
            for r in range(rows)
            for c in range(columns)
        )
        return cls(width_m=width_m, length_m=length_m, zones=zones)

    def to_dict(self) -> dict[str, Any]:
        return {
            "width_m": self.width_m,
            "length_m": self.length_m,
            "zones": [
                {
                    "name": z.name,
                    "x_m": z.x_m,
                    "y_m": z.y_m,
                    "width_m": z.width_m,
                    "length_m": z.length_m,
                }
                for z in self.zones
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> MatLayout:
        """Builds a layout from its JSON form; extra keys are ignored."""
        try:
            zones_raw = data["zones"]
            if not isinstance(zones_raw, Sequence) or isinstance(zones_raw, str):
                raise LayoutError("layout.zones must be a list")
            zones = tuple(_zone_from_dict(i, z) for i, z in enumerate(zones_raw))
            return cls(
                width_m=_number(data["width_m"], "layout.width_m"),
                length_m=_number(data["length_m"], "layout.length_m"),
                zones=zones,
            )
        except KeyError as exc:
            raise LayoutError(f"layout is missing {exc.args[0]!r}") from None
        except TypeError as exc:
            raise LayoutError(f"layout is malformed: {exc}") from None


def _row_name(row: int, rows: int) -> str:
    if rows == 3:
        return ("upper", "middle", "lower")[row]
    if rows == 2:
        return ("upper", "lower")[row]
    return f"row{row + 1}"


def _column_name(column: int, columns: int) -> str:
    if columns == 2:
        return ("left", "right")[column]
    if columns == 3:
        return ("left", "centre", "right")[column]
    return f"col{column + 1}"


def _number(value: Any, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(f"{field} must be a number, got {value!r}")
    return float(value)


def _zone_from_dict(i: int, raw: Any) -> Zone:
    if not isinstance(raw, Mapping):
        raise LayoutError(f"layout.zones[{i}] must be an object")
    name = raw.get("name")
    if not isinstance(name, str) or not name:
        raise LayoutError(f"layout.zones[{i}].name must be a non-empty string")
    fields = ("x_m", "y_m", "width_m", "length_m")
    missing = [f for f in fields if f not in raw]
    if missing:
        raise LayoutError(f"layout.zones[{i}] ({name}) is missing {', '.join(missing)}")
    x, y, w, length = (_number(raw[f], f"layout.zones[{i}].{f}") for f in fields)
    return Zone(name=name, x_m=x, y_m=y, width_m=w, length_m=length)


def _check_layout(layout: MatLayout) -> None:
    if layout.width_m <= 0 or layout.length_m <= 0:
        raise LayoutError("the mat's width_m and length_m must be positive")
    if not layout.zones:
        raise LayoutError("a layout needs at least one zone")
    seen: set[str] = set()
    for zone in layout.zones:
        if zone.name in seen:
            raise LayoutError(f"zone name {zone.name!r} is used twice")
        seen.add(zone.name)
        _check_zone(layout, zone)
    _check_overlaps(layout.zones)


def _check_overlaps(zones: tuple[Zone, ...]) -> None:
    """Two zones that share area would count the load on it twice."""
    tol = _EDGE_TOLERANCE_M
    for i, a in enumerate(zones):
        for b in zones[i + 1 :]:
            across = min(a.x1_m, b.x1_m) - max(a.x0_m, b.x0_m)
            along = min(a.y1_m, b.y1_m) - max(a.y0_m, b.y0_m)
            if across > tol and along > tol:
                raise LayoutError(
                    f"zones {a.name!r} and {b.name!r} overlap ({across * 100:.0f} x "
                    f"{along * 100:.0f} cm): load there would be counted twice"
                )


def _check_zone(layout: MatLayout, zone: Zone) -> None:
    if zone.width_m <= 0 or zone.length_m <= 0:
        raise LayoutError(f"zone {zone.name!r}: width_m and length_m must be positive")
    tol = _EDGE_TOLERANCE_M
    inside = (
        zone.x0_m >= -tol
        and zone.y0_m >= -tol
        and zone.x1_m <= layout.width_m + tol
        and zone.y1_m <= layout.length_m + tol
    )
    if not inside:
        raise LayoutError(
            f"zone {zone.name!r} reaches outside the {layout.width_m} x {layout.length_m} m mat"
        )


DEFAULT_LAYOUT = MatLayout.grid(columns=2, rows=3, width_m=0.5, length_m=1.3)
"""2 columns × 3 rows of tiles on a 0.50 × 1.30 m platform (upper_left … lower_right)."""
