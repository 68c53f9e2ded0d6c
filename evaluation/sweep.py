"""The detection sweep: every posture × placement × body × seed × layout, as cases (pure).

Lying: each kind of ``firmware.sim.posture_stories`` with the head 10 cm beyond the head end,
at it, or 15 cm inside, and the body's axis 12 cm left, centred or 12 cm right, for every body
of ``firmware.sim.bodies``. Upright (must start nothing): long-sitting with the seat on every row
border, 5 cm either side of it and mid-row, facing either way; cross-legged on borders and
mid-row; sitting on each edge with the feet off the mat; standing on borders, mid-row and off
the centre line; and the library's one-foot, cat and bag stories; last, knees-up sitting at
the long-sitting seats (standing still where the feet go, sitting down behind them as a
lie-down begins, and staying minutes with weight shifts). Each on 2 × 3 (0.5 × 1.3 m),
2 × 4 (0.6 × 1.8 m) and 3 × 3 (0.5 × 1.3 m), with three seeds. ``slice_cases`` picks the
representative few the test suite replays.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from firmware.layout import MatLayout
from firmware.sim.bodies import BODIES
from firmware.sim.other_stories import OTHER_SPECS
from firmware.sim.posture_stories import LYING_KINDS, SEAT_PAUSE_S, Spot, lying_story
from firmware.sim.timeline import ScenarioSpec, Story
from firmware.sim.upright_stories import (
    EDGES,
    cross_legged_at,
    edge_sitting,
    knees_up_at,
    long_sitting_at,
    row_borders,
    standing_at,
)

LAYOUTS: dict[str, MatLayout] = {
    "2x3": MatLayout.grid(2, 3, 0.5, 1.3),
    "2x4": MatLayout.grid(2, 4, 0.6, 1.8),
    "3x3": MatLayout.grid(3, 3, 0.5, 1.3),
}
SEEDS = (1, 2, 3)
HEADS_M = (-0.10, 0.0, 0.15)
AXES_M = (-0.12, 0.0, 0.12)
LIBRARY_OTHERS = ("one_foot", "cat_nap", "bag_left")


@dataclass(frozen=True, slots=True)
class Case:
    group: str  # "lying" or "upright"
    kind: str
    body: str
    where: str  # the placement, readable
    layout: str
    seed: int
    story: Story
    expected_sessions: int

    @property
    def name(self) -> str:
        return f"{self.kind}/{self.body}/{self.where}/{self.layout}/s{self.seed}"

    def spec(self) -> ScenarioSpec:
        return ScenarioSpec(
            self.name,
            self.name,
            self.story,
            self.expected_sessions,
            lying_expected=self.group == "lying",
        )

    def run_seed(self) -> int:
        """A seed of its own per case (the case's seed number mixed with its name)."""
        return zlib.crc32(self.name.encode()) & 0x7FFFFFFF


def _lying(layout: str, seed: int, seat_s: tuple[float, float] = SEAT_PAUSE_S) -> Iterator[Case]:
    for kind in LYING_KINDS:
        for body in BODIES.values():
            for head in HEADS_M:
                for axis in AXES_M:
                    where = f"head{head * 100:+.0f}cm,axis{axis * 100:+.0f}cm"
                    story = lying_story(kind, body, Spot(head, axis), seat_s=seat_s)
                    yield Case("lying", kind, body.name, where, layout, seed, story, 1)


def lying_cases(
    layouts: tuple[str, ...], seeds: tuple[int, ...], seat_s: tuple[float, float]
) -> list[Case]:
    """The sweep's lying cases with the seat held ``seat_s`` (drawn) on the way down."""
    return [c for layout in layouts for seed in seeds for c in _lying(layout, seed, seat_s)]


def _seats(mat: MatLayout) -> list[float]:
    borders = row_borders(mat)
    rows = sorted({round(z.y_m, 4) for z in mat.zones})
    near = [b + d for b in borders for d in (-0.05, 0.05)]
    return sorted({round(y, 3) for y in [*borders, *near, *rows]})


def _upright(layout: str, seed: int) -> Iterator[Case]:
    mat = LAYOUTS[layout]
    for body in BODIES.values():

        def case(kind: str, where: str, story: Story, _b: str = body.name) -> Case:
            return Case("upright", kind, _b, where, layout, seed, story, 0)

        for y in _seats(mat):
            for d in (1, -1):
                yield case("long_sitting", f"seat{y:.2f},dir{d:+d}", long_sitting_at(body, y, d))
        for y in [*row_borders(mat), *sorted({round(z.y_m, 4) for z in mat.zones})]:
            d = 1 if y < mat.length_m / 2 else -1
            yield case("cross_legged", f"seat{y:.2f}", cross_legged_at(body, y, d))
            for axis in (0.0, 0.12):
                story = standing_at(body, y, axis)
                yield case("standing", f"feet{y:.2f},axis{axis * 100:+.0f}cm", story)
        for edge in EDGES:
            yield case("edge_sitting", edge, edge_sitting(body, edge))
    others = {s.name: s for s in OTHER_SPECS}
    for name in LIBRARY_OTHERS:
        yield Case("upright", name, "-", "library", layout, seed, others[name].story, 0)
    yield from _knees_up(layout, seed)


def _knees_up(layout: str, seed: int) -> Iterator[Case]:
    """Knees-up sitting that stays, after the other upright cases (so adding it left the test
    suite's slice of those as it was)."""
    for body in BODIES.values():
        for y in _seats(LAYOUTS[layout]):
            for d in (1, -1):
                where, story = f"seat{y:.2f},dir{d:+d}", knees_up_at(body, y, d)
                yield Case("upright", "knees_up_sitting", body.name, where, layout, seed, story, 0)


def all_cases(
    layouts: tuple[str, ...] = tuple(LAYOUTS), seeds: tuple[int, ...] = SEEDS
) -> list[Case]:
    return [
        case
        for layout in layouts
        for seed in seeds
        for case in (*_lying(layout, seed), *_upright(layout, seed))
    ]


def slice_cases() -> list[Case]:
    """The test suite's slice: every lying kind and every upright kind at a few placements,
    bodies and layouts (one seed), about a tenth of a layout's sweep."""
    picked: list[Case] = []
    for layout in LAYOUTS:
        cases = all_cases((layout,), (1,))
        picked += cases[:: 23 if layout == "2x3" else 61]
    return picked
