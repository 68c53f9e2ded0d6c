"""The sweep's lie-downs reached from a long side edge and kneeling, and two upright stays (pure).

The cases (``firmware.sim.ways_on``'s stories) are the sweep's lying kinds that a way can
reach (``KINDS``), bodies, spots and layouts, one seed; the reference is the sweep's own cases
of the same kinds (arriving from the foot end), run beside them. The side edge alternates
left and right over the spots. Upright: kneeling on the heels with the knees on every row
border and mid-row, toes either way; sitting on either long edge level with every row border
and mid-row. ``report`` counts lying runs that start no session by way × kind × layout, the
start latency, and the sessions the upright stays start.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from evaluation.sweep import AXES_M, HEADS_M, LAYOUTS, Case, lying_cases
from evaluation.sweep_report import latency_summary, map_cases, run_case
from firmware.sim.bodies import BODIES
from firmware.sim.posture_stories import SEAT_PAUSE_S, Spot
from firmware.sim.upright_stories import row_borders
from firmware.sim.ways_on import SIDE_EDGES, WAYS, Way, edge_stay, kneeling_stay, way_story

KINDS = ("supine", "knees_up", "prone", "side_left", "side_right", "curled_left", "curled_right")
REFERENCE = "foot_end"  # the sweep's own way, its cases as they are
STAYS = ("kneeling_stay", "edge_stay")


@dataclass(frozen=True, slots=True)
class WayOutcome:
    way: str
    kind: str
    layout: str
    group: str
    missed: int
    false: int
    lying_reported: bool
    latencies_s: tuple[float, ...]


def _spots() -> Iterator[tuple[int, str, Spot]]:
    i = 0
    for head in HEADS_M:
        for axis in AXES_M:
            yield i, f"head{head * 100:+.0f}cm,axis{axis * 100:+.0f}cm", Spot(head, axis)
            i += 1


def _way_cases(way_name: str, layout: str, seed: int) -> Iterator[Case]:
    for kind in KINDS:
        for b, body in enumerate(BODIES.values()):
            for i, place, spot in _spots():
                way = Way(way_name, SIDE_EDGES[(i + b) % 2])
                where = f"{place},{way.edge}" if way_name == "side_edge" else place
                story = way_story(way, kind, body, spot)
                yield Case("lying", f"{way_name}:{kind}", body.name, where, layout, seed, story, 1)


def _places(layout: str) -> list[float]:
    mat = LAYOUTS[layout]
    return sorted({*row_borders(mat), *(round(z.y_m, 4) for z in mat.zones)})


def _stay_cases(layout: str, seed: int) -> Iterator[Case]:
    for body in BODIES.values():
        for y in _places(layout):
            for toes in (1, -1):
                story = kneeling_stay(body, y, toes)
                where = f"knees{y:.2f},toes{toes:+d}"
                yield Case("upright", "kneeling_stay", body.name, where, layout, seed, story, 0)
            for edge in SIDE_EDGES:
                story, where = edge_stay(body, edge, y), f"{edge}{y:.2f}"
                yield Case("upright", "edge_stay", body.name, where, layout, seed, story, 0)


def cases(layouts: tuple[str, ...], every: int = 1, seed: int = 1) -> list[Case]:
    """The reference, both ways and the stays on ``layouts``, every ``every``-th of each."""
    reference = [c for c in lying_cases(layouts, (seed,), SEAT_PAUSE_S) if c.kind in KINDS]
    ways = [c for w in WAYS for layout in layouts for c in _way_cases(w, layout, seed)]
    stays = [c for layout in layouts for c in _stay_cases(layout, seed)]
    return [*reference[::every], *ways[::every], *stays[::every]]


def _outcome(case: Case) -> WayOutcome:
    score = run_case(case).score
    way, _, kind = case.kind.rpartition(":")
    return WayOutcome(
        way or (REFERENCE if case.group == "lying" else "stay"),
        kind,
        case.layout,
        case.group,
        score.missed_sessions,
        score.false_sessions,
        score.lying_reported,
        tuple(score.latencies_s),
    )


def run_all(chosen: list[Case], workers: int = 2) -> list[WayOutcome]:
    return map_cases(_outcome, chosen, workers)


def _latency(outcomes: list[WayOutcome]) -> str:
    latency = latency_summary([x for o in outcomes for x in o.latencies_s])
    return f"start latency s: {latency or '-'}"


def _way_lines(way: str, mine: list[WayOutcome], layouts: list[str]) -> list[str]:
    missed = sum(o.missed for o in mine)
    lines = [f"{way}: lying missed {missed} of {len(mine)}; {_latency(mine)}"]
    table: Counter[tuple[str, str]] = Counter()
    runs: Counter[str] = Counter()
    for o in mine:
        table[o.kind, o.layout] += o.missed
        runs[o.kind] += 1
    lines.append(f"  {'missed':<14}" + "".join(f"{x:>6}" for x in layouts) + "  of")
    for kind in KINDS:
        if runs[kind]:
            row = "".join(f"{table[kind, x]:>6}" for x in layouts)
            lines.append(f"  {kind:<14}{row}  {runs[kind]}")
    return lines


def report(outcomes: list[WayOutcome]) -> list[str]:
    """Lying missed by way × kind × layout with the start latency; the stays' false sessions."""
    layouts = [x for x in LAYOUTS if any(o.layout == x for o in outcomes)]
    lines: list[str] = []
    for way in (REFERENCE, *WAYS):
        mine = [o for o in outcomes if o.group == "lying" and o.way == way]
        if mine:
            lines += _way_lines(way + (" (reference)" if way == REFERENCE else ""), mine, layouts)
    for stay in STAYS:
        mine = [o for o in outcomes if o.group == "upright" and o.kind == stay]
        if mine:
            by_layout = ", ".join(
                f"{x} {sum(o.false for o in mine if o.layout == x)}" for x in layouts
            )
            lines.append(
                f"{stay}: false sessions {sum(o.false for o in mine)} in {len(mine)} runs "
                f"({by_layout}); lying reported in {sum(o.lying_reported for o in mine)}"
            )
    return lines
