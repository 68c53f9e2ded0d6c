"""A body that lay, was covered by another load for a while (a child, a dog on the feet) and
is uncovered again is lying again, though no lie-back was seen; sitting up is not that pose.
(Getting up after lying, which passes through sitting, is in every lying run of the sweep:
``lying reported where nobody lay`` stays 0.)"""

from __future__ import annotations

from functools import cache

from controller.core.controller import MatController
from controller.core.events import Event, PostureChanged, SessionStarted
from controller.core.lain_pose import LainPose
from firmware.frame import ZoneFrame
from firmware.sim.scenarios import build
from firmware.sim.timeline import SimRun

CHILD_KG = 20.0
ON_S, OFF_S = 400.0, 460.0  # mid-lie in relax_session (settled ~35 s, up at ~1290 s)


@cache
def relax() -> SimRun:
    return build("relax_session")


def _postures(events: list[Event]) -> list[tuple[float, str]]:
    return [(e.t, e.posture) for e in events if isinstance(e, PostureChanged)]


def test_lying_again_once_a_child_gets_off_the_feet() -> None:
    run = relax()
    feet = run.layout.index("lower_right")
    core = MatController(run.layout)
    events: list[Event] = []
    for frame in run.frames():
        loads = list(frame.load_kg)
        if ON_S <= frame.t < OFF_S:
            loads[feet] = (loads[feet] or 0.0) + CHILD_KG * min(1.0, (frame.t - ON_S) / 1.5)
        events += core.feed(ZoneFrame(t=frame.t, load_kg=tuple(loads)))
        if frame.t >= 700.0:
            break
    during = [p for t, p in _postures(events) if ON_S <= t < OFF_S]
    after = [(t, p) for t, p in _postures(events) if t >= OFF_S]
    assert during == ["sitting"]  # two bodies, the feet row heavy: not read as one lying
    assert [p for _, p in after] == ["lying"]  # was: sitting until the person got up
    assert after[0][0] - OFF_S <= core.settings.detection.posture_s + 2.0
    assert len([e for e in events if isinstance(e, SessionStarted)]) == 1


def test_the_pose_is_known_by_its_total_and_shares() -> None:
    pose = LainPose()
    lying = [5.5, 5.5, 16.5, 16.5, 12.5, 12.5]
    assert not pose.back_in(lying)  # nothing lain yet
    pose.keep(lying)
    assert pose.back_in(lying)
    arm_moved = [4.0, 5.5, 18.0, 16.5, 12.5, 12.5]  # 1.5 kg across a border: L1 0.043
    assert pose.back_in(arm_moved)
    assert not pose.back_in([kg * 1.2 for kg in lying])  # another 14 kg on it
    assert not pose.back_in([1.0, 1.0, 25.0, 25.0, 9.0, 9.0])  # sat up
    pose.forget()
    assert not pose.back_in(lying)
