"""What the core derives once from a layout: left/right shares, y-bands, zone centres (pure).

The controller depends on geometry only, never on zone names. A zone's load is taken as
spread evenly over its rectangle: a zone that straddles the mat's centre line counts for both
sides in proportion, and along the mat each zone covers the elementary "bands" between the
distinct y-edges of all zones.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from firmware.layout import MatLayout

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Geometry:
    layout: MatLayout
    side_weight: tuple[float, ...]  # per zone: +1 all right of the centre line, -1 all left
    # Zones across the centre line, each with the zones beside it (same rows) on either side.
    straddlers: tuple[tuple[int, tuple[int, ...], tuple[int, ...]], ...]
    x_m: tuple[float, ...]
    y_m: tuple[float, ...]
    band_edges_m: FloatArray  # B + 1 sorted y edges
    zone_to_band: FloatArray  # B × Z: share of each zone's load falling in each band
    zone_terms: tuple[tuple[float, float, float], ...]  # per zone: side_weight, x, y
    centre_x_m: float  # the centre line: half the mat's width

    @property
    def band_count(self) -> int:
        return int(self.zone_to_band.shape[0])


def build_geometry(layout: MatLayout) -> Geometry:
    edges = _band_edges(layout)
    side_weight = tuple(_side_weight(layout, i) for i in range(len(layout.zones)))
    x_m, y_m = tuple(z.x_m for z in layout.zones), tuple(z.y_m for z in layout.zones)
    return Geometry(
        layout=layout,
        side_weight=side_weight,
        straddlers=_straddlers(layout),
        x_m=x_m,
        y_m=y_m,
        band_edges_m=edges,
        zone_to_band=_zone_to_band(layout, edges),
        zone_terms=tuple(zip(side_weight, x_m, y_m, strict=True)),
        centre_x_m=layout.width_m / 2,
    )


def _side_weight(layout: MatLayout, index: int) -> float:
    zone = layout.zones[index]
    mid = layout.width_m / 2
    left = max(0.0, min(zone.x1_m, mid) - zone.x0_m) / zone.width_m
    right = max(0.0, zone.x1_m - max(zone.x0_m, mid)) / zone.width_m
    return right - left


def _straddlers(layout: MatLayout) -> tuple[tuple[int, tuple[int, ...], tuple[int, ...]], ...]:
    mid = layout.width_m / 2
    out = []
    for i, zone in enumerate(layout.zones):
        if not zone.x0_m < mid < zone.x1_m:
            continue
        rows = [
            j
            for j, z in enumerate(layout.zones)
            if j != i and z.y0_m < zone.y1_m and zone.y0_m < z.y1_m
        ]
        left = tuple(j for j in rows if layout.zones[j].x1_m <= zone.x0_m + 1e-6)
        right = tuple(j for j in rows if layout.zones[j].x0_m >= zone.x1_m - 1e-6)
        out.append((i, left, right))
    return tuple(out)


def _band_edges(layout: MatLayout) -> FloatArray:
    raw = sorted({round(v, 4) for z in layout.zones for v in (z.y0_m, z.y1_m)})
    return np.array(raw, dtype=np.float64)


def _zone_to_band(layout: MatLayout, edges: FloatArray) -> FloatArray:
    matrix = np.zeros((len(edges) - 1, len(layout.zones)), dtype=np.float64)
    for j, zone in enumerate(layout.zones):
        lo = np.maximum(edges[:-1], zone.y0_m)
        hi = np.minimum(edges[1:], zone.y1_m)
        matrix[:, j] = np.clip(hi - lo, 0.0, None) / zone.length_m
    return matrix


def segment_mass_in_bands(
    edges: FloatArray, starts_m: FloatArray, ends_m: FloatArray, masses: FloatArray
) -> FloatArray:
    """Mass of uniform 1-D segments [start, end) falling in each band, summed over the
    segments: placements × segments in, placements × bands out."""
    lo = np.maximum(edges[None, None, :-1], starts_m[:, :, None])
    hi = np.minimum(edges[None, None, 1:], ends_m[:, :, None])
    share = np.clip(hi - lo, 0.0, None) / (ends_m - starts_m)[:, :, None]
    result: FloatArray = (share * masses[None, :, None]).sum(axis=1)
    return result
