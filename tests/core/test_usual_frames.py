"""The controller's short ways through the usual frame give what the general ways give, bit
for bit (hypothesis): the loads read as they are when none is negative, the session's usual
frame straight to ``running_frame``, presence's and balance's quiet frames, motion's sum
without ``abs`` and stillness judged in the same call."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from controller.core.balance import BalanceMonitor, measure
from controller.core.controller import MatController
from controller.core.events import Event, OccupancyChanged
from controller.core.motion import MotionMeter
from controller.core.occupancy import Presence
from controller.core.session import Inputs, SessionMachine
from controller.core.sessionrecord import OpenSession
from controller.core.settings import BalanceSettings, DetectionSettings
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT
from firmware.sim.scenarios import build

ZONES = len(DEFAULT_LAYOUT.zones)
# a body on the mat (every zone loaded), an empty mat's noise about 0, and tiles lifted
KG = st.one_of(st.floats(0.5, 40.0), st.floats(-0.3, 0.3), st.just(0.0), st.just(-0.0))


@given(st.lists(st.lists(KG, min_size=ZONES, max_size=ZONES), min_size=1, max_size=40))
@example([[10.0] * ZONES] * 30 + [[10.0] * (ZONES - 1) + [-0.1]] * 5)
def test_loads_with_no_negative_serve_as_the_positive_loads(rows: list[list[float]]) -> None:
    """Where no zone reads 0 or less, the controller hands the loads and their total to the
    stages as the positive loads: the balance reading is the one ``measure`` makes, which
    reads negatives as 0 and sums the result itself."""
    core = MatController(DEFAULT_LAYOUT)
    for i, row in enumerate(rows):
        core.feed(ZoneFrame(t=i / 10, load_kg=tuple(row)))
        assert core._reading == measure(core._geometry, core._loads)
        assert core._total == sum(core._loads)


class Twinned(SessionMachine):
    """A session machine that, on every usual frame the controller hands it, also runs a copy
    of itself through ``on_frame`` with the frame's ``Inputs`` and compares."""

    inputs: Callable[[float, float | None], Inputs]  # the controller's (t, gap_from)
    stall_s = 5.0
    usual = 0
    twin = False
    previous_t: float | None = None

    def on_frame(self, x: Inputs) -> list[Event]:
        self.previous_t = x.t
        return super().on_frame(x)

    def running_frame(
        self, session: OpenSession, t: float, uneven: bool, still: bool, imbalance: float | None
    ) -> list[Event]:
        if self.twin:
            return super().running_frame(session, t, uneven, still, imbalance)
        previous_t, self.previous_t = self.previous_t, t
        gap = previous_t is not None and t - previous_t > self.stall_s
        twin = copy.deepcopy(self)
        twin.twin = True
        x = self.inputs(t, previous_t if gap else None)
        assert (x.occupied, x.judged, x.gap_from, x.left_at) == (True, True, None, None)
        expected = twin.on_frame(x)
        found = super().running_frame(session, t, uneven, still, imbalance)
        assert found == expected
        assert self.save(t, t) == twin.save(t, t)
        self.usual += 1
        return found


@pytest.mark.parametrize(
    ("name", "hole_s"),
    [
        ("relax_session", None),
        ("relax_session", (300.0, 306.0)),  # no frames for 6 s (stall_s 5 s): a gap
        ("short_absence", None),
        ("zone_dropout", None),
        ("dead_zone", None),
        ("board_lost", None),
    ],
)
def test_the_usual_session_frame_is_on_frame_s(
    name: str, hole_s: tuple[float, float] | None
) -> None:
    """The controller hands a frame straight to ``running_frame`` when a session runs, the
    person is on the mat and judged, and no gap came before: the events and the session are
    those of ``on_frame`` fed the frame's ``Inputs`` (on the library's stories with absences,
    dead zones and a lost board, and one with a hole in its frames)."""
    run = build(name)
    core = MatController(run.layout)
    sessions = core.sessions = Twinned(core.settings.session)
    sessions.inputs = lambda t, gap_from: core._session_inputs(t, gap_from, True, None)
    sessions.stall_s = core.settings.faults.stall_s
    for frame in run.frames():
        if hole_s is None or not hole_s[0] < frame.t < hole_s[1]:
            core.feed(frame)
    assert sessions.usual > 100


READING = st.tuples(
    st.floats(0.05, 0.2),  # the step from the frame before
    st.one_of(st.none(), st.floats(-1.0, 1.0), st.floats(-0.25, 0.25)),  # about the threshold
    st.sampled_from([True, True, True, False]),  # evaluate
    st.one_of(st.none(), st.floats(-0.3, 0.3)),  # offset from the centre line
)


@given(st.lists(READING, min_size=1, max_size=120))
@example([(0.1, 0.2, True, 0.0)] * 60)  # at the threshold itself
@example([(0.1, 0.5, True, 0.1)] * 60 + [(0.1, 0.0, True, None)] * 60)  # raised and cleared
def test_balance_s_quiet_frame_is_the_full_judgement_s(
    readings: list[tuple[float, float | None, bool, float | None]],
) -> None:
    """A frame whose smoothed imbalance lies inside the alert band, with no alert on, returns
    at one comparison: the events, the smoothed values and the timers are those of the full
    judgement on every frame."""
    usual, full = BalanceMonitor(BalanceSettings()), BalanceMonitor(BalanceSettings())
    full._alert = 0.0  # no value lies strictly inside (-0, 0): every frame is judged in full
    t = 0.0
    for dt, imbalance, evaluate, offset_m in readings:
        t += dt
        assert usual.update(t, imbalance, evaluate, offset_m) == full.update(
            t, imbalance, evaluate, offset_m
        )
        assert (usual.smoothed, usual.offset_m, usual.active, usual.side, usual._since) == (
            full.smoothed, full.offset_m, full.active, full.side, full._since,
        )  # fmt: skip


@given(
    st.lists(
        st.tuples(
            st.floats(-0.05, 0.3),  # the step (time may stand or go back)
            st.lists(st.floats(-2.0, 30.0), min_size=3, max_size=3),
            st.booleans(),  # occupied
        ),
        min_size=1,
        max_size=40,
    )
)
def test_motion_and_stillness_are_the_textbook_ones(
    steps: list[tuple[float, list[float], bool]],
) -> None:
    """The load in motion is Σ |fast − slow| over the zones (``abs`` written out); stillness
    and whether the zeros may follow are judged from it in the same call, as the controller
    judged them after the motion's update."""
    d = DetectionSettings()
    meter = MotionMeter(3, d)
    fast: list[float] | None = None
    slow: list[float] = []
    expected, still_since, t = 0.0, None, 0.0
    for dt, loads, occupied in steps:
        last_t, t = t, t + dt
        total = sum(loads)
        may_zero = meter.update(t, loads, total, occupied)
        if fast is None:
            fast, slow = list(loads), list(loads)
        elif t - last_t > 0.0:
            a_fast = 1.0 - math.exp(-(t - last_t) / max(0.1, 0.3 * (t - last_t)))
            a_slow = 1.0 - math.exp(-(t - last_t) / max(0.5, 1.2 * (t - last_t)))
            fast = [f + a_fast * (kg - f) for f, kg in zip(fast, loads, strict=True)]
            slow = [s + a_slow * (kg - s) for s, kg in zip(slow, loads, strict=True)]
            expected = sum(abs(f - s) for f, s in zip(fast, slow, strict=True))
        if not occupied:
            still_since = None
            zero = abs(total) < d.zero_band_kg and expected < d.still_ratio * d.person_kg
        else:
            zero = False
            if expected >= d.still_ratio * max(total, 1.0):
                still_since = None
            elif still_since is None:
                still_since = t
        assert (meter.motion_kg, meter.still_since, may_zero) == (expected, still_since, zero)


@given(
    st.lists(
        st.tuples(
            st.floats(0.0, 0.5),
            # the thresholds, and a load left behind (light, then gone)
            st.one_of(st.floats(0.0, 80.0), st.sampled_from([12.0, 20.0, 15.0, 28.0])),
            st.sampled_from([True, True, True, False]),  # judged
            st.booleans(),  # still on the frame before
        ),
        max_size=120,
    )
)
@example([(0.1, 30.0, True, True)] * 20 + [(0.1, 5.0, True, False)] * 20)  # arrives, leaves
@example(
    [(0.1, 60.0, True, True)] * 20
    + [(0.5, 15.0, True, False)] * 30
    + [(0.1, 40.0, True, False)] * 10
)  # a bag left, someone back
def test_presence_s_quiet_frame_is_update_s(
    steps: list[tuple[float, float, bool, bool]],
) -> None:
    """``Presence.frame`` returns at once on a frame that crosses nothing: presence, the edges
    under way, the visit's load, what was left, when the person was last seen and the events
    are those of ``rest`` (still, on the mat) and ``update`` (``hold`` on a frame not judged)
    on every frame."""
    quick, full = Presence(DetectionSettings()), Presence(DetectionSettings())
    leave_kg = DetectionSettings().leave_kg
    t = seen_t = 0.0
    for dt, total_kg, judged, still in steps:
        t += dt
        events: list[Event] = []
        left_at = quick.frame(t, total_kg, judged, events, still)
        if judged and still and full.occupied and total_kg >= leave_kg:
            full.rest(total_kg)
        edge = full.update(t, total_kg) if judged else None
        if not judged:
            full.hold()
        if judged and full.occupied:
            seen_t = t
        assert (quick.occupied, quick._edge_since, quick._light_since, quick.seen_t) == (
            full.occupied, full._edge_since, full._light_since, seen_t,
        )  # fmt: skip
        assert (quick.visit_kg, quick.base_kg) == (full.visit_kg, full.base_kg)
        assert left_at == (edge[1] if edge is not None and not edge[0] else None)
        assert [e.occupied for e in events if isinstance(e, OccupancyChanged)] == (
            [] if edge is None else [edge[0]]
        )
