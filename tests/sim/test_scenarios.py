"""Every scenario: truth present and consistent with the frames, reproducible, any layout."""

from __future__ import annotations

import itertools
import json
from functools import cache

import numpy as np
import pytest

from firmware.layout import MatLayout
from firmware.sim.body import imbalance
from firmware.sim.scenarios import SCENARIOS, UnknownScenarioError, build
from firmware.sim.timeline import SimRun

POSTURES = {"empty", "standing", "sitting", "lying"}
KEYS = {
    "scenario", "description", "seed", "duration_s", "subjects", "segments", "settled_t",
    "left_t", "expected_sessions", "program", "uneven", "uneven_optional", "breathing_spans",
    "faults", "breathing_bpm", "breathing_bpm_end", "lying_expected",
}  # fmt: skip
NAMES = sorted(SCENARIOS)


@cache
def run(name: str) -> SimRun:
    return build(name)


def _times(r: SimRun) -> np.ndarray:
    return np.arange(len(r.loads_kg)) / r.rate_hz


def _segment_at(r: SimRun, t: float) -> dict[str, object]:
    return next(s for s in r.truth["segments"] if s["from_t"] <= t < s["to_t"])


def test_the_library_covers_the_issue() -> None:
    wanted = {
        "relax_session", "heavy_tall", "light_short", "hips_lift", "short_absence",
        "long_absence", "sitting", "long_sitting", "standing", "one_foot", "cat_nap", "bag_left",
        "empty_drift_hour", "shift_left", "shift_right", "natural_asymmetry", "zone_dropout",
        "feet", "sit_then_lie", "breathing_slow", "breathing_fast", "spikes", "day",
    }  # fmt: skip
    assert wanted <= set(SCENARIOS)
    assert any(s.layout is not None and len(s.layout.zones) == 8 for s in SCENARIOS.values())
    assert any(s.layout is not None and len(s.layout.zones) == 9 for s in SCENARIOS.values())


@pytest.mark.parametrize("name", NAMES)
def test_truth_has_every_key_and_is_json(name: str) -> None:
    truth = run(name).truth
    assert set(truth) == KEYS
    assert json.loads(json.dumps(truth)) == truth
    assert truth["scenario"] == name
    assert truth["duration_s"] == pytest.approx(len(run(name).loads_kg) / 10.0)
    assert truth["duration_s"] <= 3600.0
    assert all(s["kind"] in {"person", "cat", "bag"} for s in truth["subjects"])


@pytest.mark.parametrize("name", NAMES)
def test_segments_tile_the_run(name: str) -> None:
    truth = run(name).truth
    segs = truth["segments"]
    assert segs[0]["from_t"] == 0.0
    assert segs[-1]["to_t"] == pytest.approx(truth["duration_s"])
    for a, b in itertools.pairwise(segs):
        assert a["to_t"] == pytest.approx(b["from_t"])
    assert all(s["posture"] in POSTURES and s["from_t"] < s["to_t"] for s in segs)
    if not truth["lying_expected"]:
        assert all(s["posture"] != "lying" for s in segs)


@pytest.mark.parametrize("name", NAMES)
def test_settling_and_leaving_are_where_the_frames_say(name: str) -> None:
    r = run(name)
    truth, t = r.truth, _times(r)
    total = np.nan_to_num(r.loads_kg).sum(axis=1)
    settle_posture = "standing" if truth["program"] == "feet" else "lying"
    for settled in truth["settled_t"]:
        seg = _segment_at(r, settled + 0.05)
        assert seg["posture"] == settle_posture and seg["detail"] != "transition"
        before = _segment_at(r, settled - 0.05)
        assert before["detail"] == "transition"
        assert total[(t > settled) & (t < settled + 5)].min() > 20.0
    for left in truth["left_t"]:
        assert _segment_at(r, left + 0.05)["posture"] == "empty"
        assert np.abs(total[(t > left + 0.5) & (t < left + 10)]).max() < 1.0
    if truth["lying_expected"]:
        assert len(truth["settled_t"]) >= truth["expected_sessions"] >= 1
        assert truth["breathing_bpm"] is not None
        assert 4 <= truth["breathing_bpm_end"] <= truth["breathing_bpm"] <= 40


@pytest.mark.parametrize("name", NAMES)
def test_uneven_intervals_show_in_the_frames(name: str) -> None:
    r = run(name)
    t = _times(r)
    loads = np.nan_to_num(r.loads_kg)
    for key, low, high in (("uneven", 0.23, 1.01), ("uneven_optional", 0.13, 0.27)):
        for u in r.truth[key]:
            inside = loads[(t > u["from_t"] + 1) & (t < u["to_t"] - 1)]
            imb = np.array([imbalance(r.layout, row) for row in inside[::20]])
            sign = 1 if u["side"] == "right" else -1
            assert (sign * imb > low).all() and (sign * imb < high).all()


def test_the_shift_scenarios_are_uneven_by_the_issue_s_figure() -> None:
    for name in ("shift_left", "shift_right", "shift_left_2x4"):
        r = run(name)
        (u,) = r.truth["uneven"]
        assert u["side"] == name.split("_")[1]
        t, loads = _times(r), np.nan_to_num(r.loads_kg)
        inside = loads[(t > u["from_t"] + 1) & (t < u["to_t"] - 1)]
        imb = np.abs([imbalance(r.layout, row) for row in inside[::20]])
        assert (imb > 0.3).all() and (imb < 0.5).all()


def _lying_imbalance(r: SimRun) -> np.ndarray:
    t, loads = _times(r), np.nan_to_num(r.loads_kg)
    rows = [
        imbalance(r.layout, loads[i])
        for seg in r.truth["segments"]
        if str(seg["detail"]).startswith("lying supine")
        for i in np.flatnonzero((t > seg["from_t"] + 3) & (t < seg["to_t"]))[::50]
    ]
    return np.array(rows)


def test_natural_asymmetry_is_a_few_percent_and_never_uneven() -> None:
    r = run("natural_asymmetry")
    assert r.truth["uneven"] == []
    imb = np.abs(_lying_imbalance(r))
    assert 0.02 < float(np.median(imb)) < 0.07
    assert imb.max() < 0.12


def test_a_centred_person_is_not_uneven() -> None:
    assert np.abs(_lying_imbalance(run("relax_session"))).max() < 0.12


@pytest.mark.parametrize("name", NAMES)
def test_faults_are_the_null_readings(name: str) -> None:
    r = run(name)
    t = _times(r)
    missing = np.isnan(r.loads_kg)
    expected = np.zeros_like(missing)
    for f in r.truth["faults"]:
        expected[(t >= f["from_t"]) & (t < f["to_t"]), r.layout.index(f["zone"])] = True
    assert (missing == expected).all()


def test_zone_dropout_takes_out_a_loaded_zone_mid_session() -> None:
    r = run("zone_dropout")
    (fault,) = r.truth["faults"]
    assert fault["to_t"] - fault["from_t"] == pytest.approx(20.0)
    lying = _segment_at(r, fault["from_t"])
    assert lying["posture"] == "lying" and lying["to_t"] > fault["to_t"]
    frames = list(r.frames())
    during = frames[round(fault["from_t"] * 10) + 1]
    i = r.layout.index(fault["zone"])
    assert during.load_kg[i] is None and during.fault(i) == "not_ready"


def test_people_of_every_size_load_the_mat_like_people() -> None:
    for name, low, high in (("light_short", 25.0, 46.0), ("heavy_tall", 95.0, 150.0)):
        r = run(name)
        seg = next(s for s in r.truth["segments"] if s["detail"] == "lying supine")
        t = _times(r)
        total = np.nan_to_num(r.loads_kg)[(t > seg["from_t"] + 3) & (t < seg["to_t"])].sum(1)
        assert low < float(np.median(total)) < high


def test_non_people_stay_light() -> None:
    for name in ("cat_nap", "bag_left", "empty_drift_hour"):
        total = np.nan_to_num(run(name).loads_kg).sum(axis=1)
        assert np.percentile(total, 99) < 16.0


def test_seeds_reproduce_bit_for_bit() -> None:
    a, b = build("day", seed=7), build("day", seed=7)
    assert np.array_equal(a.loads_kg, b.loads_kg, equal_nan=True)
    assert a.truth == b.truth
    c = build("day", seed=8)
    assert not np.array_equal(a.loads_kg[:1000], c.loads_kg[:1000], equal_nan=True)
    assert build("relax_session").truth["seed"] == run("relax_session").truth["seed"]


@pytest.mark.parametrize("layout", [MatLayout.grid(2, 4, 0.6, 1.8), MatLayout.grid(3, 3, 0.5, 1.3)])
def test_any_layout_can_be_asked_for(layout: MatLayout) -> None:
    r = build("short_absence", layout=layout)
    assert r.layout == layout and r.loads_kg.shape[1] == len(layout.zones)
    assert len(r.truth["settled_t"]) == 2 and r.truth["expected_sessions"] == 1
    frame = next(iter(r.frames()))
    assert frame.t == 0.0 and len(frame.load_kg) == len(layout.zones)


def test_unknown_scenarios_are_refused() -> None:
    with pytest.raises(UnknownScenarioError):
        build("no_such_thing")
    with pytest.raises(KeyError):
        build("no_such_thing")


def test_header_carries_the_truth_and_the_name() -> None:
    r = run("cat_nap")
    header = r.header().to_dict()
    assert header["scenario"] == "cat_nap" and header["truth"] == r.truth
    assert header["rate_hz"] == 10.0 and header["layout"] == r.layout.to_dict()


def test_frames_give_every_row_once_in_order_across_chunks() -> None:
    r = run("zone_dropout")  # longer than one chunk, with missing readings in it
    frames = list(r.frames())
    assert len(frames) == len(r.loads_kg) > 600
    assert [f.t for f in frames] == [round(i / r.rate_hz, 6) for i in range(len(r.loads_kg))]
    rows = [[np.nan if v is None else v for v in f.load_kg] for f in frames]
    assert np.array_equal(np.array(rows), r.loads_kg, equal_nan=True)
