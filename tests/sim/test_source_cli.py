"""The simulated frame source (paced by a fake clock) and ``acumat simulate``."""

from __future__ import annotations

import io
import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from controller.cli import main
from controller.cli.simulate import parse_layout
from controller.service.config import parse_config
from controller.service.playlist import ScenarioPlaylist, scenario_names
from controller.service.sources import open_source
from firmware.clock import FakeClock
from firmware.framefile import open_frames, read_frames
from firmware.layout import DEFAULT_LAYOUT, LayoutError
from firmware.sim.scenarios import SCENARIOS, build
from firmware.sim.source import SimulatedSource
from firmware.source import FrameSource


def test_the_source_paces_frames_by_the_clock_and_keeps_their_times() -> None:
    run = build("standing")
    clock = FakeClock(start_s=100.0)
    source: FrameSource = SimulatedSource(run, clock, speed=4.0)
    assert source.layout == run.layout
    seen = []
    for frame in source.frames():
        seen.append((frame.t, clock.monotonic()))
    assert [t for t, _ in seen] == [f.t for f in run.frames()]
    assert seen[0] == (0.0, 100.0)
    for t, now in seen[::100]:
        assert now == pytest.approx(100.0 + t / 4.0)


def test_the_source_loops_with_time_running_on_and_stops_when_closed() -> None:
    run = build("standing")
    period = len(run.loads_kg) / run.rate_hz
    source = SimulatedSource(run, FakeClock(), speed=100.0, loop=True)
    times = []
    for frame in source.frames():
        times.append(frame.t)
        if len(times) == 2 * len(run.loads_kg) + 5:
            source.close()
    assert len(times) == 2 * len(run.loads_kg) + 5
    assert times[len(run.loads_kg)] == pytest.approx(period)
    assert all(b > a for a, b in itertools.pairwise(times))


def test_speed_must_be_positive() -> None:
    with pytest.raises(ValueError, match="speed"):
        SimulatedSource(build("standing"), FakeClock(), speed=0.0)


def test_simulate_writes_a_frame_file_that_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "zone_dropout.jsonl"
    assert main(["simulate", "zone_dropout", "--out", str(out), "--seed", "11"]) == 0
    header, frames = open_frames(out)
    run = build("zone_dropout", seed=11)
    assert header.extra["scenario"] == "zone_dropout"
    assert header.extra["truth"] == run.truth and header.extra["truth"]["seed"] == 11
    assert header.layout == run.layout
    loads = np.array([[np.nan if v is None else v for v in f.load_kg] for f in frames])
    assert loads.shape == run.loads_kg.shape
    assert np.allclose(loads, run.loads_kg, atol=6e-4, equal_nan=True)


def test_simulate_to_stdout_on_another_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "standing", "--out", "-", "--layout", "3x3:0.5x1.3"]) == 0
    header, frames = read_frames(io.StringIO(capsys.readouterr().out))
    assert len(header.layout.zones) == 9
    assert header.extra["truth"]["scenario"] == "standing"
    assert sum(1 for _ in frames) == round(header.extra["truth"]["duration_s"] * 10)


def test_simulate_list_names_every_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(SCENARIOS)
    assert all(len(line.split(maxsplit=1)) == 2 for line in lines)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "nope", "--out", "-"], "unknown scenario"),
        (["simulate", "standin", "--out", "-"], "did you mean standing"),
        (["simulate", "all", "--out", "-"], "acumat simulate --list shows them"),
        (["simulate", "standing"], "--out"),
        (["simulate", "--out", "-"], "name a scenario"),
        (["simulate", "standing", "--out", "-", "--layout", "2by4"], "--layout"),
    ],
)
def test_simulate_refuses_bad_requests(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_parse_layout() -> None:
    layout = parse_layout("2x4:0.6x1.8")
    assert (layout.width_m, layout.length_m, len(layout.zones)) == (0.6, 1.8, 8)
    with pytest.raises(LayoutError):
        parse_layout("0x4:0.6x1.8")


def test_frames_files_hold_json_nulls_for_dropped_zones(tmp_path: Path) -> None:
    out = tmp_path / "f.jsonl"
    assert main(["simulate", "zone_dropout", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert any(None in json.loads(line)["zones"].values() for line in lines[1:])


def test_a_playlist_plays_scenarios_in_turn_with_time_running_on() -> None:
    standing, one_foot = build("standing"), build("one_foot")
    clock = FakeClock(start_s=50.0)
    source = ScenarioPlaylist(["standing", "one_foot"], clock, speed=10.0)
    assert source.layout == standing.layout
    frames = list(source.frames())
    assert len(frames) == len(standing.loads_kg) + len(one_foot.loads_kg)
    assert all(b.t > a.t for a, b in itertools.pairwise(frames))
    second = frames[len(standing.loads_kg)]
    assert second.t == pytest.approx(len(standing.loads_kg) / standing.rate_hz)
    assert second.load_kg == next(one_foot.frames()).load_kg
    assert clock.monotonic() == pytest.approx(50.0 + frames[-1].t / 10.0)


def test_a_looping_playlist_never_ends_and_each_round_is_new() -> None:
    standing = build("standing")
    n = len(standing.loads_kg)
    source = ScenarioPlaylist(["standing"], FakeClock(), speed=1e6, loop=True)
    frames = []
    for frame in source.frames():
        frames.append(frame)
        if len(frames) == 3 * n + 1:
            source.close()
    assert len(frames) == 3 * n + 1
    assert all(b.t > a.t for a, b in itertools.pairwise(frames))
    assert frames[n].t == pytest.approx(n / standing.rate_hz)
    assert [f.load_kg for f in frames[:n]] == [f.load_kg for f in standing.frames()]
    assert [f.load_kg for f in frames[n : 2 * n]] != [f.load_kg for f in frames[:n]]


def test_all_plays_the_library_on_one_layout() -> None:
    assert scenario_names("all") == list(SCENARIOS)
    assert scenario_names("feet") == ["feet"]
    source = ScenarioPlaylist(scenario_names("all"), FakeClock(), speed=1e6)
    last_t = -1.0
    for frame in source.frames():
        assert frame.t > last_t and len(frame.load_kg) == len(DEFAULT_LAYOUT.zones)
        last_t = frame.t
    total_s = sum(len(build(n, layout=DEFAULT_LAYOUT).loads_kg) / 10.0 for n in SCENARIOS)
    assert last_t == pytest.approx(total_s - 0.1, abs=1e-3)


@pytest.mark.parametrize(
    ("source", "kind"),
    [
        ({"scenario": "all"}, ScenarioPlaylist),
        ({"scenario": "standing", "loop": True}, ScenarioPlaylist),
        ({"scenario": "standing"}, SimulatedSource),
    ],
)
def test_the_config_chooses_the_playlist(source: dict[str, object], kind: type) -> None:
    config = parse_config({"source": {"kind": "simulate", **source}})
    opened = open_source(config, FakeClock())
    assert isinstance(opened, kind)
    assert opened.layout == DEFAULT_LAYOUT
    grid = parse_config({"mat": {"columns": 3, "rows": 3}, "source": source})
    assert len(open_source(grid, FakeClock()).layout.zones) == 9
