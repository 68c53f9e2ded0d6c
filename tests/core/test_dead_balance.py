"""Balance with a dead zone: the dead tile may hold the body's counterweight.

Found by injecting faults into frame files (docs/reliability.md): a body curled to its left, the
foot zone under its curled legs dead for 10 min, got an ``uneven_load`` (right) for the whole
spell. Leaving the dead zone out with its mirror partner judged the upper body alone (0.41)
while the whole body was even (0.04). The body was seen whole before the zone died: what the
live zones miss of its weight lies on the dead tile, and balance weighs it there.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache

import pytest

from controller.core.controller import MatController
from controller.core.coverage import build_coverage
from controller.core.events import Event, SessionStarted, UnevenLoad
from controller.core.settings import CoreSettings
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun


@cache
def scenario(name: str) -> SimRun:
    return build(name)


def killed(frames: Iterable[ZoneFrame], zone: int, from_t: float) -> Iterator[ZoneFrame]:
    """The frames with ``zone`` reading nothing from ``from_t`` to the end."""
    for f in frames:
        if f.t < from_t:
            yield f
        else:
            loads = list(f.load_kg)
            loads[zone] = None
            yield ZoneFrame(f.t, tuple(loads))


def run_with_dead(name: str, zone: str, after_settled_s: float) -> list[Event]:
    run = scenario(name)
    core = MatController(run.layout, CoreSettings())
    dead_from_t = run.truth["settled_t"][0] + after_settled_s
    frames = killed(run.frames(), run.layout.index(zone), dead_from_t)
    return [event for frame in frames for event in core.feed(frame)]


def alerts(events: list[Event]) -> list[UnevenLoad]:
    return [e for e in events if isinstance(e, UnevenLoad) and e.active]


def test_a_curled_body_over_a_dead_foot_zone_raises_no_uneven_alert() -> None:
    events = run_with_dead("lie_curled_left", "lower_left", after_settled_s=60.0)
    assert any(isinstance(e, SessionStarted) for e in events)
    assert alerts(events) == []  # was: right, 0.39, from ~15 s after the zone died to the end


def test_its_mirror_zone_dead_raises_none_either() -> None:
    assert alerts(run_with_dead("lie_curled_left", "lower_right", after_settled_s=60.0)) == []


def test_a_shift_to_the_left_with_a_dead_zone_still_raises_its_alert() -> None:
    # The zone dies before the shift; its pair (lower_right) carries little once shifted.
    run = scenario("shift_left")
    events = run_with_dead("shift_left", "lower_left", after_settled_s=60.0)
    found = alerts(events)
    assert [e.side for e in found] == ["left"]
    assert found[0].t == pytest.approx(run.truth["uneven"][0]["from_t"], abs=20.0)


def test_a_side_lying_body_keeps_its_alert_while_a_zone_is_dead() -> None:
    run = scenario("lie_side_left")
    core = MatController(run.layout, CoreSettings())
    whole = [e for f in run.frames() for e in core.feed(f) if isinstance(e, UnevenLoad)]
    events = run_with_dead("lie_side_left", "upper_left", after_settled_s=60.0)
    ups = [e for e in events if isinstance(e, UnevenLoad)]
    assert [(e.active, e.side) for e in ups] == [(True, "left"), (False, "left")]
    # cleared as they get up (the get-up seen 2 s later with the zone dead), not before
    assert [e.t for e in ups] == pytest.approx([e.t for e in whole], abs=5.0)


def test_the_missing_weight_lies_on_the_dead_tiles_as_it_lay_then() -> None:
    cov = build_coverage(DEFAULT_LAYOUT)  # upper_left, upper_right, middle_*, lower_*
    whole = [10.0, 10.0, 15.0, 15.0, 12.0, 3.0]
    dead = [False, False, False, False, True, False]
    now = [11.0, 10.0, 15.0, 15.0, 0.0, 2.0]  # the legs moved a kilogram up
    assert cov.missing_loads(now, dead, whole) == [11.0, 10.0, 15.0, 15.0, 12.0, 2.0]
    # more on the live zones than the body weighed: nothing is put on the dead tile
    assert cov.missing_loads([20.0, 20.0, 15.0, 15.0, 0.0, 3.0], dead, whole)[4] == 0.0
    # two dead zones share what is missing as they shared the weight then
    two = [False, False, True, False, True, False]
    out = cov.missing_loads([10.0, 10.0, 0.0, 15.0, 0.0, 3.0], two, whole)
    assert out[2] == pytest.approx(27.0 * 15.0 / 27.0) and out[4] == pytest.approx(12.0)
    # dead tiles that carried nothing then share it by area
    out = cov.missing_loads([10.0, 10.0, 0.0, 15.0, 0.0, 3.0], two, [10, 10, 0, 15, 0, 15.0])
    assert out[2] == pytest.approx(6.0) and out[4] == pytest.approx(6.0)


def test_a_body_come_after_the_zone_died_is_judged_on_the_mirror_pairs_left() -> None:
    # Dead from the start: the body's weight was never seen whole; its pair is left out too.
    run = scenario("lie_curled_left")
    core = MatController(run.layout, CoreSettings())
    frames = killed(run.frames(), run.layout.index("lower_left"), 0.0)
    found = alerts([event for frame in frames for event in core.feed(frame)])
    assert [e.side for e in found] == ["right"]  # the known false alert (docs/reliability.md)


def test_a_zone_gone_bad_before_the_body_lay_still_gives_no_weight_to_trust() -> None:
    # Gone bad on the way down, the zone held a value the body then moved off for ``hold_s``:
    # the weight of frames with a held value is not the body's (it gave a false left alert
    # from the lie-down to the end); the mirror pairs left are judged, as with no weight known.
    run = scenario("relax_session")
    core = MatController(run.layout, CoreSettings())
    dead_from_t = run.truth["settled_t"][0] - 8.0
    frames = killed(run.frames(), run.layout.index("lower_left"), dead_from_t)
    assert alerts([event for frame in frames for event in core.feed(frame)]) == []
