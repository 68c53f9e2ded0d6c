"""``acumat monitor``: a live terminal view of the mat (tiles by load, balance, session, alerts).

``--mqtt HOST[:PORT] --mat ID`` watches a mat over MQTT from any machine (with ``--config``,
its ``[mqtt]`` credentials and TLS are used and, with no ``--mqtt``, its broker too).
``--simulate SCENARIO [--speed X]`` or ``--file FILE`` runs a core here. Plain ANSI escapes
(no curses, no TUI package): it redraws in place; ``--no-color`` or ``NO_COLOR`` shades with
block characters; ``--once`` prints one screen (the first MQTT state, or the end of a file).
On a terminal the screen is fitted to its size at every redraw (``shutil.get_terminal_size``).
Over MQTT the screen says when the broker cannot be reached or refuses, and when the mat is
offline (its last posture is then not shown as if it were live). A typo (an unknown
scenario, a missing file, a speed that is not a positive number, a mat id that ``[mat] id``
would refuse) is one line and exit 2.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from firmware.clock import Clock, SystemClock
from firmware.framefile import FrameFileError
from firmware.layout import MatLayout

# The core (numpy), the config and the MQTT watch (paho) are imported where they
# are used: `acumat monitor --help` loads none of them (tests/contract/test_lazy_imports.py).
if TYPE_CHECKING:
    from controller.core.state import MatState
    from controller.mqtt.config import MqttConfig
    from controller.mqtt.watch import MqttWatch
    from controller.service.config import AppConfig
    from firmware.source import FrameSource

_HOME, _CLEAR_DOWN, _CLEAR_EOL = "\x1b[H", "\x1b[J", "\x1b[K"
_HIDE, _SHOW = "\x1b[?25l", "\x1b[?25h"
# How long a broker may stay silent before the screen says it cannot be reached; paho keeps
# retrying behind it (with backoff), so the screen clears as soon as it connects.
CONNECT_GRACE_S = 3.0
# --once: how much longer than --timeout its last screen waits for the first connect attempt's
# outcome, so that it can say why (a name lookup, a refused port); a host that does not answer
# at all gets the general line
FIRST_ATTEMPT_WAIT_S = 2.0


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
    from controller.cli.config_arg import load_or_say

    config = load_or_say(args.config)
    if config is None:
        return 2
    colour = not (args.no_color or os.environ.get("NO_COLOR") or not sys.stdout.isatty())
    live = not args.once and sys.stdout.isatty()
    screen = Screen(sys.stdout, live=live, size=shutil.get_terminal_size if live else None)
    clock = SystemClock()
    if args.simulate or args.file:
        return _local(args, config, clock, screen, colour)
    try:
        mqtt = _mqtt_config(args.mqtt, config)
    except ValueError as exc:  # a port that is not a number, or out of range
        print(f"acumat monitor: --mqtt {args.mqtt}: {_first_line(exc)}", file=sys.stderr)
        return 2
    if mqtt is None:
        print(
            "acumat monitor: say --mqtt HOST, --simulate SCENARIO or --file FILE", file=sys.stderr
        )
        return 2
    mat_id = config.mat.id if args.mat is None else args.mat  # '--mat ""' is a typo to say
    problem = _mat_id_problem(mat_id)
    if problem:  # '#' or '+' would be a wildcard in the topics watched
        print(f"acumat monitor: --mat: {problem}", file=sys.stderr)
        return 2
    return watch(mqtt, mat_id, config, clock=clock, screen=screen, colour=colour, args=args)


class Screen:
    """Redraws in place on a terminal; prints screens one after another otherwise.

    ``size`` gives the terminal's (columns, lines) at each redraw (None: not a terminal, so
    the drawing is not fitted)."""

    def __init__(
        self, out: TextIO, live: bool, size: Callable[[], os.terminal_size] | None = None
    ) -> None:
        self.out, self.live, self._size = out, live, size

    @property
    def size(self) -> tuple[int, int] | None:
        if self._size is None:
            return None
        columns, lines = self._size()
        return columns, lines

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
    from controller.mqtt.config import MqttConfig
    from firmware.schema import as_data, parse

    if address is None:
        return config.mqtt
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "")
    if port and not port.isdigit():
        raise ValueError(f"the port must be a number, got {port!r}")
    base = as_data(config.mqtt) if config.mqtt else {}
    return parse(MqttConfig, {**base, "host": host, "port": int(port or 1883)})


def _mat_id_problem(mat_id: str) -> str | None:
    """Why ``mat_id`` cannot be a mat's id (the rule of ``[mat] id``), or None."""
    from controller.service.config import MatConfig
    from firmware.schema import SchemaError, parse

    try:
        parse(MatConfig, {"id": mat_id})
    except SchemaError as exc:
        return exc.problems[0][1]
    return None


def _first_line(exc: ValueError) -> str:
    from firmware.schema import SchemaError

    if isinstance(exc, SchemaError):
        return exc.lines()[0]
    return str(exc)


def _local(
    args: argparse.Namespace, config: AppConfig, clock: Clock, screen: Screen, colour: bool
) -> int:
    from controller.core.factory import build_controller
    from controller.views.monitor_feed import local_states

    try:
        source = _source(args, config, clock)
    except (ValueError, OSError) as exc:
        print(f"acumat monitor: {_why(args, exc)}", file=sys.stderr)
        return 2
    layout = source.layout
    core = build_controller(layout, config.core())
    label = args.simulate or args.file.name
    try:
        states: Iterator[MatState] = local_states(core, source.frames())
        last = None
        for last in states:
            if not args.once:
                screen.show(_render(layout, last, screen, source=label, colour=colour))
        if args.once:
            screen.show(_render(layout, last, screen, source=label, colour=colour))
    except FrameFileError as exc:  # a damaged line in the middle of the file
        print(f"acumat monitor: {args.file}: {exc}", file=sys.stderr)
        return 2
    finally:
        source.close()
        screen.close()
    return 0


def _source(args: argparse.Namespace, config: AppConfig, clock: Clock) -> FrameSource:
    """The scenario or file through the service's own ``open_source`` (and its checks)."""
    from controller.service.config import SourceConfig
    from controller.service.sources import open_source

    if not (args.speed > 0 and not math.isinf(args.speed)):  # also refuses nan
        raise ValueError(f"--speed must be a positive number, got {args.speed}")
    speed = 1e9 if args.once else args.speed
    if args.file is not None:
        wanted = SourceConfig(kind="file", file=args.file, speed=speed)
    else:
        wanted = SourceConfig(kind="simulate", scenario=args.simulate, speed=speed)
    return open_source(replace(config, source=wanted), clock)


def _why(args: argparse.Namespace, exc: Exception) -> str:
    if isinstance(exc, FrameFileError):
        return f"{args.file}: {exc}"
    if isinstance(exc, FileNotFoundError):
        return f"{args.file}: no such file"
    if isinstance(exc, OSError):
        return f"{args.file}: {exc.strerror or exc}"
    return str(exc).removeprefix("source.scenario: ")


def _render(layout: MatLayout, state: MatState | None, screen: Screen, **kw: Any) -> list[str]:
    from controller.views.monitor import render

    return render(layout, state, size=screen.size, **kw)


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
    from controller.mqtt.client import MqttSetupError
    from controller.mqtt.watch import MqttWatch

    feed = MqttWatch(mqtt, mat_id)
    try:
        feed.start()
    except MqttSetupError as exc:
        print(f"acumat monitor: {exc}", file=sys.stderr)
        return 2
    broker = f"{mqtt.host}:{mqtt.port}"
    label = f"{mat_id} via {broker}"
    described = args.config is not None
    waited_s = 0.0
    try:
        while True:
            # An offline mat's last state is history, not what is on the mat now.
            state = None if feed.availability == "offline" else feed.state
            layout = _layout(config, feed.zone_names, described)
            done = state is not None or waited_s >= args.timeout
            # A --once wait that ends inside the broker's grace still says why it got nothing.
            waited_or_over_s = max(waited_s, CONNECT_GRACE_S) if args.once and done else waited_s
            if args.once and done and state is None:
                feed.wait_first_attempt(FIRST_ATTEMPT_WAIT_S)  # so the note can say why
            note = feed_note(feed, waited_or_over_s, broker)
            if not args.once or done:
                screen.show(_render(layout, state, screen, source=label, note=note, colour=colour))
            if args.once and done:
                if state is None and note:
                    print(f"acumat monitor: {note}", file=sys.stderr)
                return 0 if state is not None else 1
            clock.sleep(0.5)
            waited_s += 0.5
    finally:
        feed.close()
        screen.close()


def feed_note(feed: MqttWatch, waited_s: float, broker: str) -> str:
    """What is wrong with the feed, most basic first: the broker, then the mat."""
    problem = feed.problem
    if problem is not None:
        return problem
    if not feed.connected:
        if waited_s < CONNECT_GRACE_S:
            return ""
        cause = feed.unreachable
        if cause is not None:
            return f"cannot reach the broker: {cause} (still trying)"
        return (
            f"cannot reach the broker at {broker} (still trying; is it running, is the port right?)"
        )
    if feed.availability == "offline":
        last = feed.state
        seen = f" (last seen: {last.posture}, {last.load_kg:.1f} kg)" if last is not None else ""
        return f"mat offline: its service is stopped or lost the broker{seen}"
    if feed.state is None and waited_s >= CONNECT_GRACE_S:
        return f"connected to {broker}; nothing from this mat yet (is --mat right?)"
    return ""


def _layout(config: AppConfig, names: list[str], described: bool) -> MatLayout:
    from controller.views.monitor_feed import infer_layout

    layout = config.mat.layout()
    if described or not names or sorted(layout.names) == sorted(names):
        return layout
    return infer_layout(names)
