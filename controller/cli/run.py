"""``acumat run``: the service: a frame source through the core to console, history, MQTT.

``acumat run --simulate [SCENARIO] [--speed X]`` is the main job in simulation: the same loop
that runs on the Pi, fed by the body simulator in real time (or X times faster).
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from controller.service.paths import StatePaths
from firmware.clock import Clock, SystemClock, WallAt
from firmware.framefile import FrameFileError

# The rest is imported where it is used: `acumat run --help` and `acumat --help` load no
# numpy or paho (tests/contract/test_lazy_imports.py).
if TYPE_CHECKING:
    from controller.core.settings import CoreSettings
    from controller.service.config import AppConfig
    from controller.service.loop import Lifecycle, Service
    from firmware.frame import ZoneFrame
    from firmware.source import FrameSource

log = logging.getLogger("acumat")
DEFAULT_SCENARIO = "relax_session"


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser("run", help="run the mat service")
    p.add_argument("--config", type=Path, help="TOML configuration file")
    source = p.add_mutually_exclusive_group()  # one source: naming two is a mistake, said
    source.add_argument(
        "--simulate",
        nargs="?",
        const=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help=f"feed the simulator (default scenario: {DEFAULT_SCENARIO})",
    )
    source.add_argument("--file", type=Path, help="play a recorded acumat-frames/1 file")
    p.add_argument("--speed", type=float, help="play X times faster than real time")
    p.add_argument("--state-dir", type=Path, help="where history and state live")
    p.add_argument(
        "--quiet",
        action="store_true",
        help="no console view and no cautions: one log line per event, as under systemd",
    )
    p.add_argument(
        "--web",
        metavar="HOST:PORT",
        help="serve the mat's web page there (loopback unless [web] has a token)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from controller.cli.config_arg import load_or_say
    from controller.cli.run_flags import say_flag_problems, with_flags
    from controller.service.config import ConfigError
    from controller.service.logs import configure_logging

    configure_logging(logging.INFO)
    config = load_or_say(args.config)
    if config is None:
        return 2
    try:
        config = with_flags(config, args)
    except ConfigError as exc:  # a flag's value, judged as the file's would be
        say_flag_problems(exc.problems)
        return 2
    return serve(config, SystemClock(), quiet=args.quiet)


def serve(config: AppConfig, clock: Clock, quiet: bool = False) -> int:
    from controller.service.heap import fix_mmap_threshold
    from controller.storage.files import unusable

    fix_mmap_threshold()  # before the scenario and the core are built: see its module
    # A simulated run keeps its own files (StatePaths.for_source): its sessions are not the mat's,
    # and its journal is its mat id's own (demos of several mat ids share the folder).
    state = StatePaths.for_source(config.storage.dir, config.source.simulated, config.mat.id)
    problem = unusable(config.storage.dir) or unusable(state.root)
    # Before the source opens: a second service must not touch the first one's pins or files.
    with _state_dir_held(None if problem is not None else state) as held:
        if not held:
            return 2
        return _open_and_serve(config, clock, state, problem, quiet)


@contextmanager
def _state_dir_held(state: StatePaths | None) -> Iterator[bool]:
    """Holds ``state``'s run lock while the service runs; False (said on stderr) when another
    acumat holds it. Nothing to lock without a usable directory; a lock file that cannot be
    made is said once and the run goes on (the directory itself was proved writable)."""
    from controller.service.runlock import RunLock, StateDirBusyError

    if state is None:
        yield True
        return
    lock = RunLock(state.run_lock)
    try:
        lock.acquire()
    except StateDirBusyError as exc:
        print(f"acumat: {exc}: stop it first (`sudo systemctl stop acumat` if it is the "
              "service), or give this run its own --state-dir", file=sys.stderr)  # fmt: skip
        yield False
        return
    except OSError as exc:
        log.warning("cannot lock the state directory (%s): running without the lock", exc)
    try:
        yield True
    finally:
        lock.release()


def _open_and_serve(
    config: AppConfig, clock: Clock, state: StatePaths, problem: str | None, quiet: bool
) -> int:
    from controller.service.sources import open_source

    try:
        source = open_source(config, clock)
    except (KeyError, ValueError, OSError) as exc:
        where = config.source.file if isinstance(exc, FrameFileError) else config.source.kind
        why: object = exc
        if isinstance(exc, OSError) and exc.strerror is not None:  # without "[Errno n]"
            why = f"{exc.filename}: {exc.strerror}"
        print(f"acumat: cannot open the {where} source: {why}", file=sys.stderr)
        return 2
    if problem is not None and config.storage.unusable == "exit":
        print(f"acumat: the state directory {config.storage.dir} {problem}; exiting "
              "([storage] unusable = 'exit')", file=sys.stderr)  # fmt: skip
        source.close()
        return 2
    paths = None if problem is not None else state
    if problem is not None:
        log.warning("the state directory %s %s: running without storing (no history, "
                    "recordings or session journal) until it is fixed and acumat restarted "
                    "([storage] unusable = 'run')", config.storage.dir, problem)  # fmt: skip
    with _volatile_dir(config if problem is not None else None) as mqtt_dir:
        return _serve(config, clock, source, paths, mqtt_dir or state.root, quiet)


@contextmanager
def _volatile_dir(config: AppConfig | None) -> Iterator[Path | None]:
    """Without a state directory the MQTT outbox (which numbers the page's events too) lives in
    a temporary one, gone at exit."""
    if config is None or (config.mqtt is None and config.web is None):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="acumat-") as volatile:
        if config.mqtt is not None:
            log.warning("MQTT events wait in %s, lost if acumat stops before they are sent",
                        volatile)  # fmt: skip
        yield Path(volatile)


def _serve(  # noqa: PLR0917
    config: AppConfig,
    clock: Clock,
    source: FrameSource,
    paths: StatePaths | None,
    mqtt_dir: Path,
    quiet: bool,
) -> int:
    from controller.cli.run_adapters import output_adapters, storage_adapters, web_adapter
    from controller.core.factory import build_controller
    from controller.service.journal import SessionJournal
    from controller.service.loop import Service
    from controller.service.resume import settle_first_frame
    from firmware.hwconfig import HARDWARE_KINDS

    if not quiet:  # the first time this mat runs, the person should read the cautions
        _cautions(paths)
    wall_at = WallAt()
    core = build_controller(source.layout, _core_settings(config))
    journal = None if paths is None else SessionJournal(paths.journal, wall_at, clock=clock)

    def first_frame(frame: ZoneFrame) -> None:
        wall_at.anchor(frame.t, clock.wall())
        if paths is not None:  # without stored state a body found there may have lain there
            mat_id, simulated = config.mat.id, config.source.simulated
            settle_first_frame(core, paths, mat_id, frame.t, clock.wall(), simulated=simulated)

    try:
        adapters = [*storage_adapters(config, clock, core, wall_at, paths)]
        adapters += output_adapters(config, clock, core, wall_at, quiet, StatePaths(mqtt_dir))
        if config.web is not None:
            adapters.append(web_adapter(config, clock, core, wall_at, adapters, mqtt_dir))
    except (ValueError, OSError) as exc:  # an unreadable password or TLS file
        print(f"acumat: {exc}", file=sys.stderr)
        source.close()
        return 2
    service = Service(
        core=core,
        source=source,
        adapters=adapters,
        journal=journal,  # after the adapters: a finished session is stored before its file goes
        lifecycle=_lifecycle(clock, "running without storing" if paths is None else None),
        on_first_frame=first_frame,
        clock=clock,  # stalls and failure logging on the one clock
        # a live source's frames are dated by the clock: when the system clock is set under
        # it (a Pi booted with its saved time, then NTP), wall time follows
        wall_at=wall_at if config.source.kind in HARDWARE_KINDS else None,
    )
    previous = _on_signals(service)
    where = "not stored" if paths is None else f"in {paths.root}"
    log.info("mat %s: %s source, state %s", config.mat.id, config.source.kind, where)
    try:
        return service.run()
    except FrameFileError as exc:  # a damaged line mid-file: adapters were closed, nothing lost
        print(f"acumat: {config.source.file}: {exc}", file=sys.stderr)
        return 2
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _cautions(paths: StatePaths | None) -> None:
    from controller.service import cautions

    if paths is None:  # nowhere to remember that they were shown: show them each time
        sys.stdout.write(cautions.text())
        return
    try:
        cautions.show_once(paths.cautions_marker, sys.stdout)
    except OSError as exc:
        log.warning("cannot remember that the cautions were shown: %s", exc)


def _core_settings(config: AppConfig) -> CoreSettings:
    """A simulated scenario made for a program (``feet``) selects it unless the config does."""
    settings = config.core()
    if not config.source.simulated or config.program_given:
        return settings
    from firmware.sim.scenarios import SCENARIOS

    spec = SCENARIOS.get(config.source.scenario)
    if spec is None or spec.program not in settings.session.programs:
        return settings
    return settings.with_program(spec.program)


def _lifecycle(clock: Clock, status: str | None = None) -> Lifecycle:
    from controller.service.loop import Lifecycle

    try:
        from controller.service.sdnotify import Notifier
    except ImportError:
        return Lifecycle()
    notifier = Notifier(clock)
    if status is not None:  # `systemctl status acumat` shows it
        notifier.status(status)
    return notifier


# What a person did, in the words they know ("signal 2" said nothing to a new user).
_SIGNAL_NAMES: dict[int, str] = {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}


def _on_signals(service: Service) -> dict[int, Any]:
    def stop(signum: int, _frame: object) -> None:
        log.info("%s: stopping", _SIGNAL_NAMES.get(signum, f"signal {signum}"))
        service.stop()

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}
