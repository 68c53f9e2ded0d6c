"""``acumat monitor``: a live terminal view of the mat (tiles by load, balance, session, alerts).

``--mqtt HOST[:PORT] --mat ID`` watches a mat over MQTT from any machine (with ``--config``,
its ``[mqtt]`` credentials and TLS are used and, with no ``--mqtt``, its broker too).
``--simulate SCENARIO [--speed X]`` or ``--file FILE`` runs a core here. Plain ANSI escapes
(no curses, no TUI package): it redraws in place; ``--no-color`` or ``NO_COLOR`` shades with
block characters; ``--once`` prints one screen (the first MQTT state, or the end of a file).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from controller.core.factory import build_controller
from controller.core.state import MatState
from controller.mqtt.client import MqttSetupError
from controller.mqtt.config import MqttConfig
from controller.mqtt.watch import MqttWatch
from controller.service.config import AppConfig, ConfigError, load_config
from controller.views.monitor import render
from controller.views.monitor_feed import infer_layout, local_states
from firmware.clock import Clock, SystemClock
from firmware.layout import MatLayout
from firmware.source import FrameSource

_HOME, _CLEAR_DOWN, _CLEAR_EOL = "\x1b[H", "\x1b[J", "\x1b[K"
_HIDE, _SHOW = "\x1b[?25l", "\x1b[?25h"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("monitor", help="live terminal view of a mat")
    p.add_argument("--mqtt", metavar="HOST[:PORT]", help="watch a mat through this broker")
    p.add_argument("--mat", help="mat id (default: the config's, else mat1)")
    p.add_argument("--simulate", metavar="SCENARIO", help="run a simulated scenario here")
    p.add_argument("--file", type=Path, help="play an acumat-frames/1 file here")
    p.add_argument("--speed", type=float, default=1.0, help="play X times faster")
    p.add_argument("--config", type=Path, help="TOML config (mat layout, broker, credentials)")
    p.add_argument("--no-color", action="store_true", help="block characters, no colours")
    p.add_argument("--once", action="store_true", help="print one screen and exit")
    p.add_argument("--timeout", type=float, default=10.0, help="--once: wait this long, s")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        for line in exc.problems:
            print(f"acumat: config: {line}", file=sys.stderr)
        return 2
    colour = not (args.no_color or os.environ.get("NO_COLOR") or not sys.stdout.isatty())
    screen = Screen(sys.stdout, live=not args.once and sys.stdout.isatty())
    clock = SystemClock()
    if args.simulate or args.file:
        return _local(args, config, clock, screen, colour)
    mqtt = _mqtt_config(args.mqtt, config)
    if mqtt is None:
        print(
            "acumat monitor: say --mqtt HOST, --simulate SCENARIO or --file FILE", file=sys.stderr
        )
        return 2
    mat_id = args.mat or config.mat.id
    return watch(mqtt, mat_id, config, clock=clock, screen=screen, colour=colour, args=args)


class Screen:
    """Redraws in place on a terminal; prints screens one after another otherwise."""

    def __init__(self, out: TextIO, live: bool) -> None:
        self.out, self.live = out, live

    def show(self, lines: list[str]) -> None:
        if self.live:
            body = f"{_CLEAR_EOL}\n".join(lines)
            self.out.write(f"{_HIDE}{_HOME}{body}{_CLEAR_EOL}\n{_CLEAR_DOWN}")
        else:
            self.out.write("\n".join(lines) + "\n")
        self.out.flush()

    def close(self) -> None:
        if self.live:
            self.out.write(_SHOW)
            self.out.flush()


def _mqtt_config(address: str | None, config: AppConfig) -> MqttConfig | None:
    if address is None:
        return config.mqtt
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "")
    base = config.mqtt.model_dump() if config.mqtt else {}
    return MqttConfig.model_validate({**base, "host": host, "port": int(port or 1883)})


def _local(
    args: argparse.Namespace, config: AppConfig, clock: Clock, screen: Screen, colour: bool
) -> int:
    source = _source(args, clock)
    layout = source.layout
    core = build_controller(layout, config.core())
    label = args.simulate or args.file.name
    try:
        states: Iterator[MatState] = local_states(core, source.frames())
        last = None
        for last in states:
            if not args.once:
                screen.show(render(layout, last, source=label, colour=colour))
        if args.once:
            screen.show(render(layout, last, source=label, colour=colour))
    finally:
        source.close()
        screen.close()
    return 0


def _source(args: argparse.Namespace, clock: Clock) -> FrameSource:
    speed = float("inf") if args.once else args.speed
    if args.file is not None:
        from firmware.filesource import FileSource

        return FileSource(args.file, clock, min(speed, 1e9))
    from firmware.sim.scenarios import build
    from firmware.sim.source import SimulatedSource

    return SimulatedSource(build(args.simulate), clock, speed=min(speed, 1e9))


def watch(
    mqtt: MqttConfig,
    mat_id: str,
    config: AppConfig,
    *,
    clock: Clock,
    screen: Screen,
    colour: bool,
    args: argparse.Namespace,
) -> int:
    """Redraws the watched mat twice a second until interrupted (or once, with ``--once``)."""
    feed = MqttWatch(mqtt, mat_id)
    try:
        feed.start()
    except MqttSetupError as exc:
        print(f"acumat monitor: {exc}", file=sys.stderr)
        return 2
    label = f"{mat_id} via {mqtt.host}:{mqtt.port}"
    described = args.config is not None
    waited_s = 0.0
    try:
        while True:
            state = feed.state
            layout = _layout(config, feed.zone_names, described)
            note = _note(feed)
            if not args.once or state is not None or waited_s >= args.timeout:
                screen.show(render(layout, state, source=label + note, colour=colour))
            if args.once and (state is not None or waited_s >= args.timeout):
                return 0 if state is not None else 1
            clock.sleep(0.5)
            waited_s += 0.5
    finally:
        feed.close()
        screen.close()


def _note(feed: MqttWatch) -> str:
    """What is wrong, after the source's name: the broker connection first, then the mat."""
    problem = feed.problem
    if problem is not None:
        return f" ({problem})"
    return " (mat offline)" if feed.availability == "offline" else ""


def _layout(config: AppConfig, names: list[str], described: bool) -> MatLayout:
    layout = config.mat.layout()
    if described or not names or sorted(layout.names) == sorted(names):
        return layout
    return infer_layout(names)
