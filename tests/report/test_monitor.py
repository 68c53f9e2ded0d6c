"""acumat monitor: the pure rendering (2x3 and 3x3), payload parsing and the MQTT watch."""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.cli import main
from controller.cli.monitor import Screen, _local, feed_note, watch
from controller.core.controller import MatController
from controller.core.state import MatState, SessionSnapshot
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import MqttConfig
from controller.mqtt.watch import MqttWatch
from controller.service.config import AppConfig
from controller.service.paths import StatePaths
from controller.views.monitor import COP_MARK, balance_text, canvas_for, render, zone_map
from controller.views.monitor_feed import infer_layout, local_states
from controller.wire.payloads import state_from_payload, state_payload
from firmware.clock import FakeClock, WallAt
from firmware.frame import ZoneFrame
from firmware.layout import DEFAULT_LAYOUT, MatLayout
from firmware.schema import parse
from firmware.sim.scenarios import build
from tests.mqtt.broker import Broker, free_port, wait_until

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
GRID_3X3 = MatLayout.grid(3, 3, 0.5, 1.3)


def lying(layout: MatLayout, loads: list[float], **kw: object) -> MatState:
    zones = dict(zip(layout.names, loads, strict=True))
    session = SessionSnapshot(state="running", program="relax", session=3, elapsed_s=754.0,
                              target_s=1200.0)  # fmt: skip
    values: dict[str, object] = dict(
        t=1.0, posture="lying", occupied=True, load_kg=sum(loads), zones_kg=zones,
        imbalance=-0.31, cop_x_m=0.2, cop_y_m=0.6, session=session, uneven=True,
        uneven_side="left", breathing_bpm=11.5,
    )  # fmt: skip
    values.update(kw)
    return MatState(**values)  # type: ignore[arg-type]


def plain(lines: list[str]) -> list[str]:
    return [ANSI.sub("", line) for line in lines]


@pytest.mark.parametrize(("layout", "columns"), [(DEFAULT_LAYOUT, 2), (GRID_3X3, 3)])
def test_tiles_sit_where_the_layout_puts_them(layout: MatLayout, columns: int) -> None:
    canvas = canvas_for(layout, max_cols=60, max_rows=24)
    assert canvas.rows == 24
    assert abs(canvas.cols / canvas.rows - 2 * 0.5 / 1.3) < 0.05  # the mat's proportions
    grid = zone_map(layout, canvas)
    top_left, bottom_right = grid[0][0], grid[-1][-1]
    assert top_left is not None and layout.zones[top_left].y_m < 0.3
    assert bottom_right == len(layout.zones) - 1
    assert len(set(grid[0])) == columns  # one band of tiles across the head end
    assert {i for row in grid for i in row} == set(range(len(layout.zones)))


@pytest.mark.parametrize("layout", [DEFAULT_LAYOUT, GRID_3X3])
def test_each_tile_shows_its_load_and_the_status_below(layout: MatLayout) -> None:
    loads = [float(4 + 3 * i) + 0.25 for i in range(len(layout.zones))]
    lines = plain(render(layout, lying(layout, loads), colour=True))
    text = "\n".join(lines)
    for kg in loads:
        assert f"{kg:.1f}" in text or f"{kg:.0f}" in text
    assert COP_MARK in text
    mat = lines[2:-6]
    assert len({len(line) for line in mat}) == 1  # every mat line the same visible width
    assert lines[1].strip() == "head" and lines[-6].strip() == "feet"
    assert "posture   lying" in text
    assert "running relax 12:34 of 20:00" in text
    assert "11.5 /min" in text
    assert "UNEVEN LOAD (left)" in text
    assert "L [" in text and "-0.31" in text


def test_heavier_tiles_get_warmer_colours_and_darker_shades() -> None:
    loads = [1.0, 1.0, 30.0, 1.0, 1.0, 1.0]  # middle_left carries the weight
    coloured = render(DEFAULT_LAYOUT, lying(DEFAULT_LAYOUT, loads))
    middle_row = coloured[2 + 12]
    assert "48;5;196m" in middle_row  # red background on the heavy tile
    assert "48;5;196m" not in coloured[2 + 2]  # not at the head end
    shaded = render(DEFAULT_LAYOUT, lying(DEFAULT_LAYOUT, loads), colour=False)
    assert "█" in shaded[2 + 12] and "█" not in shaded[2 + 2]
    assert not any("\x1b" in line for line in shaded)


def test_faulty_zone_and_no_data_are_said_plainly() -> None:
    state = lying(DEFAULT_LAYOUT, [5.0] * 6, faults={"upper_left": "stuck"})
    text = "\n".join(plain(render(DEFAULT_LAYOUT, state)))
    assert "fault" in text and "FAULT upper_left: stuck" in text
    waiting = render(DEFAULT_LAYOUT, None, source="mat1 via host:1883", colour=False)
    assert "waiting for data from mat1 via host:1883" in waiting[-1]


def test_state_payload_reads_back(tmp_path: Path) -> None:
    state = lying(DEFAULT_LAYOUT, [5.0, 6.0, 7.0, 8.0, 9.0, 10.0])
    back = state_from_payload(json.loads(state_payload(state, "mat1", 1_767_000_000.0)))
    assert back == state


def test_grid_layouts_are_rebuilt_from_zone_names() -> None:
    assert infer_layout(DEFAULT_LAYOUT.names) == DEFAULT_LAYOUT
    assert infer_layout(reversed(GRID_3X3.names)) == GRID_3X3
    odd = infer_layout(["head", "back", "seat"])
    assert odd.names == ("head", "back", "seat")
    assert [z.y_m for z in odd.zones] == sorted(z.y_m for z in odd.zones)


def test_local_states_follow_the_core_and_end_settled() -> None:
    frames = [ZoneFrame(t=i / 10, load_kg=(0.0,) * 6) for i in range(100)]
    states = list(local_states(MatController(DEFAULT_LAYOUT), frames, every_s=1.0))
    assert len(states) == 11  # one a second of frame time, and one after the end
    assert states[-1].t == pytest.approx(9.9)


def test_local_states_never_show_elapsed_time_going_back_at_a_pause() -> None:
    run = build("short_absence", DEFAULT_LAYOUT)
    states = list(local_states(MatController(DEFAULT_LAYOUT), run.frames(), every_s=0.1))
    assert any(s.session.state == "paused" for s in states)  # the pause the hold is about
    shown = [(s.session.session, s.session.elapsed_s) for s in states if s.session.session]
    assert all(b >= a for (n, a), (m, b) in itertools.pairwise(shown) if n == m)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[Broker]:
    b = Broker(tmp_path / "broker").start()
    yield b
    b.stop()


@pytest.mark.broker
def test_monitor_reads_a_state_a_running_adapter_published(broker: Broker, tmp_path: Path) -> None:
    config = parse(MqttConfig, {"host": "127.0.0.1", "port": broker.port, "close_timeout_s": 2.0})
    paths, clock, wall_at = StatePaths(tmp_path / "state"), FakeClock(), WallAt()
    wall_at.anchor(0.0, clock.wall())
    adapter = MqttAdapter(
        config, mat_id="mat7", mat_name="Mat 7", layout=GRID_3X3, programs=("relax",),
        clock=clock, wall_at=wall_at, outbox_path=paths.outbox("mat7"),
        history_path=paths.history,
    )  # fmt: skip
    loads = [2.0, 3.0, 2.5, 9.0, 12.0, 8.5, 6.0, 7.0, 5.5]
    adapter.start()
    watch = MqttWatch(config, "mat7")
    try:
        assert wait_until(adapter.connected.is_set)
        state = lying(GRID_3X3, loads)
        adapter.on_frame(ZoneFrame(t=1.0, load_kg=tuple(loads)), [], state)
        watch.start()  # after the publish: the retained state arrives on subscribe
        assert wait_until(lambda: watch.state is not None and len(watch.zone_names) == 9)
        assert watch.availability == "online"
        assert watch.state == state
        assert infer_layout(watch.zone_names) == GRID_3X3
        text = "\n".join(plain(render(infer_layout(watch.zone_names), watch.state)))
        assert "12.0" in text and "running relax 12:34" in text
    finally:
        watch.close()
        adapter.close()


def _visible(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in plain(lines)]


@pytest.mark.parametrize("size", [(80, 24), (40, 24), (80, 12), (60, 16)])
@pytest.mark.parametrize("layout", [DEFAULT_LAYOUT, GRID_3X3])
def test_the_screen_fits_the_terminal(size: tuple[int, int], layout: MatLayout) -> None:
    cols, rows = size
    state = lying(layout, [float(3 + i) for i in range(len(layout.zones))])
    lines = _visible(render(layout, state, source="mat1 via broker.lan:1883", size=size))
    assert len(lines) <= rows - 1  # the cursor's line: nothing scrolls the title away
    assert max(len(line) for line in lines) <= cols - 1  # nothing wraps
    assert lines[0].startswith("acumat monitor")
    assert any(line.startswith("posture   lying") for line in lines)
    if rows >= 16:  # a terminal this tall keeps everything, the ends of the mat included
        assert lines[1].strip() == "head"
        assert sum(line.startswith(("balance", "breathing", "alerts")) for line in lines) == 3


def test_a_short_terminal_drops_the_least_useful_lines_first() -> None:
    state = lying(DEFAULT_LAYOUT, [5.0] * 6)
    names = [line.split()[0] for line in _visible(render(DEFAULT_LAYOUT, state, size=(80, 12)))]
    assert "breathing" not in names and "head" not in names and "feet" not in names
    assert {"posture", "balance", "session", "alerts"} <= set(names)
    tall = [line.split()[0] for line in _visible(render(DEFAULT_LAYOUT, state, size=(80, 40)))]
    assert {"head", "feet", "breathing"} <= set(tall)
    assert len(tall) == 1 + 1 + 24 + 1 + 5  # title, head, tiles (no more than 24 rows), feet


def test_the_balance_says_its_sign_in_words_and_shrinks_to_fit() -> None:
    assert balance_text(-0.31) == "L [-------•--|----------] R -0.31 left heavier"
    assert balance_text(0.12).endswith("R +0.12 right heavier")
    assert balance_text(0.001).endswith("+0.00 even")
    narrow = balance_text(0.5, width=29)
    assert len(narrow) <= 29 and narrow.startswith("L [") and narrow.endswith("R +0.50")
    assert balance_text(0.5, width=12) == "+0.50 right "
    assert balance_text(None) == "—"


def test_a_note_replaces_the_status_when_there_is_no_state() -> None:
    lines = _visible(render(DEFAULT_LAYOUT, None, note="mat offline", size=(80, 24)))
    assert lines[1] == "mat offline"
    assert not any(line.startswith(("posture", "waiting")) for line in lines)


MAT_ID_RULE = "must be 1 to 64 letters, digits, _ or -"  # [mat] id's rule


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--simulate", "nosuch"], "unknown scenario 'nosuch' (acumat simulate --list shows"),
        (["--simulate", "standng"], "did you mean standing"),
        (["--file", "missing.jsonl"], "missing.jsonl: no such file"),
        (["--simulate", "standing", "--speed", "0"], "--speed must be a positive number"),
        (["--simulate", "standing", "--speed", "nan"], "--speed must be a positive number"),
        (["--mqtt", "host:abc"], "--mqtt host:abc: the port must be a number"),
        (["--mqtt", "host:0"], "--mqtt host:0: port: must be >= 1, got 0"),
        # a wildcard in the id once crashed paho's thread with a traceback, then blamed the broker
        (["--mqtt", "host", "--mat", "bad/#"], f"--mat: {MAT_ID_RULE}, got 'bad/#'"),
        (["--mqtt", "host", "--mat", "bed+room"], f"--mat: {MAT_ID_RULE}, got 'bed+room'"),
    ],
)
def test_a_typo_is_one_line_and_exit_2(
    argv: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["monitor", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith("acumat monitor: ") and says in line


def test_a_damaged_frame_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "frames.jsonl"
    path.write_text('{"format": "something else"}\n', encoding="utf-8")
    assert main(["monitor", "--file", str(path), "--once"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"acumat monitor: {path}: line 1: ")


def _args(**kw: object) -> argparse.Namespace:
    values: dict[str, object] = dict(once=True, timeout=5.0, config=None, speed=1.0)
    values.update(kw)
    return argparse.Namespace(**values)


def test_a_local_run_is_drawn_at_the_terminals_size() -> None:
    out = io.StringIO()
    screen = Screen(out, live=True, size=lambda: os.terminal_size((40, 20)))
    args = _args(simulate="standing", file=None, once=False, speed=1e6)
    assert _local(args, AppConfig(), FakeClock(), screen, colour=False) == 0
    last = out.getvalue().split("\x1b[H")[-1]
    lines = _visible(last.split("\n"))[:-1]  # the part after the last newline is the cursor's
    assert 5 < len(lines) <= 19
    assert max(len(line) for line in lines) <= 39


def test_a_closed_port_is_said_on_the_screen_and_in_the_exit_code(
    capsys: pytest.CaptureFixture[str],
) -> None:
    port = free_port()  # nothing listens there
    mqtt = parse(MqttConfig, {"host": "127.0.0.1", "port": port})
    out = io.StringIO()
    code = watch(mqtt, "mat1", AppConfig(), clock=FakeClock(), screen=Screen(out, live=False),
                 colour=False, args=_args())  # fmt: skip
    assert code == 1
    reason = f"cannot reach the broker: connection refused: nothing listens on 127.0.0.1:{port}"
    assert reason in out.getvalue().splitlines()[1]
    assert reason in capsys.readouterr().err


@pytest.mark.broker
def test_an_offline_mat_is_said_and_its_last_posture_not_shown(
    broker: Broker, tmp_path: Path
) -> None:
    config = parse(MqttConfig, {"host": "127.0.0.1", "port": broker.port, "close_timeout_s": 2.0})
    where = f"127.0.0.1:{broker.port}"
    silent = MqttWatch(config, "nobody")
    silent.start()
    try:
        assert wait_until(lambda: silent.connected)
        assert feed_note(silent, 5.0, where) == (
            f"connected to {where}; nothing from this mat yet (is --mat right?)"
        )
    finally:
        silent.close()
    paths, clock, wall_at = StatePaths(tmp_path / "state"), FakeClock(), WallAt()
    wall_at.anchor(0.0, clock.wall())
    adapter = MqttAdapter(
        config, mat_id="mat7", mat_name="Mat 7", layout=DEFAULT_LAYOUT, programs=("relax",),
        clock=clock, wall_at=wall_at, outbox_path=paths.outbox("mat7"),
        history_path=paths.history,
    )  # fmt: skip
    adapter.start()
    assert wait_until(adapter.connected.is_set)
    loads = [5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
    adapter.on_frame(ZoneFrame(t=1.0, load_kg=tuple(loads)), [], lying(DEFAULT_LAYOUT, loads))
    adapter.close()  # says offline, retained
    feed = MqttWatch(config, "mat7")
    feed.start()
    try:
        assert wait_until(lambda: feed.availability == "offline" and feed.state is not None)
        note = feed_note(feed, 0.0, where)
        assert (
            note
            == "mat offline: its service is stopped or lost the broker (last seen: lying, 45.0 kg)"
        )
    finally:
        feed.close()


def test_a_long_reason_is_wrapped_on_a_narrow_screen_not_cut() -> None:
    """The cause came last in the line and was cut at 40 columns ("host name not f")."""
    note = (
        "cannot reach the broker: host name not found: mqtt.example.lan "
        "(Name or service not known) (still trying)"
    )
    lines = render(DEFAULT_LAYOUT, None, note=note, colour=False, size=(40, 30))
    wrapped = lines[1:4]
    assert all(len(line) <= 39 for line in lines)
    assert " ".join(wrapped) == note
    assert lines[4].strip() == "head"
