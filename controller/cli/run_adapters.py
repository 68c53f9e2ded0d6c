"""Which adapters ``acumat run`` builds from its config: storage (history, recordings), the
console or event log, MQTT, and the web page (shell). Each imports its package where it is
built, so a run loads only what its config turns on.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from controller.service.paths import StatePaths
from firmware.clock import Clock, WallAt

if TYPE_CHECKING:
    from controller.core.controller import MatController
    from controller.service.config import AppConfig
    from controller.service.ports import Adapter


def storage_adapters(
    config: AppConfig,
    clock: Clock,
    core: MatController,
    wall_at: WallAt,
    paths: StatePaths | None,
) -> list[Adapter]:
    """History first (a finished session's row goes before anything bulky), then recordings,
    which give way when space runs short (``[storage] min_free_mb``)."""
    from controller.storage.habits import BEGINNER
    from controller.storage.history_adapter import HistoryAdapter
    from controller.storage.recorder import SessionRecorder

    if paths is None:
        return []
    storage = config.storage
    recorder = None
    if storage.recordings_keep > 0:
        recorder = SessionRecorder(
            paths.recordings,
            config.mat.id,
            core.layout,
            wall_at,
            keep=storage.recordings_keep,
            min_free_bytes=int(storage.min_free_mb * 1e6),
            clock=clock,
        )
    # The history grows the beginner target by command, when that program exists.
    history = HistoryAdapter(
        paths.history,
        config.mat.id,
        wall_at,
        beginner=BEGINNER in core.settings.session.programs,
        make_room=None if recorder is None else recorder.make_room,
        clock=clock,
    )
    return [history] if recorder is None else [history, recorder]


def output_adapters(  # noqa: PLR0917
    config: AppConfig,
    clock: Clock,
    core: MatController,
    wall_at: WallAt,
    quiet: bool,
    paths: StatePaths,
) -> list[Adapter]:
    """The console or the event log, and MQTT (its outbox in ``paths``, a temporary directory
    when the state directory cannot be used)."""
    from controller.service.console import ConsoleAdapter
    from controller.service.logs import EventLog

    adapters: list[Adapter] = []
    broker = None
    if config.mqtt is not None:  # the MQTT adapter sets it, the console's status line shows it
        from controller.mqtt.status import BrokerStatus

        broker = BrokerStatus()
    if quiet:  # as a service: events go to the journal, one line each
        adapters.append(EventLog())
    else:
        links = [] if broker is None else [broker]
        adapters.append(ConsoleAdapter(sys.stdout, live=sys.stdout.isatty(), links=links))
    if config.mqtt is not None:
        from controller.mqtt.adapter import MqttAdapter

        adapters.append(
            MqttAdapter(
                config.mqtt,
                mat_id=config.mat.id,
                mat_name=config.mat.name,
                layout=core.layout,
                programs=sorted(config.session.programs),
                clock=clock,
                wall_at=wall_at,
                outbox_path=paths.outbox(config.mat.id),
                history_path=paths.history,
                status=broker,
            )
        )
    return adapters


def web_adapter(  # noqa: PLR0917
    config: AppConfig,
    clock: Clock,
    core: MatController,
    wall_at: WallAt,
    adapters: list[Adapter],
    outbox_dir: Path,
) -> Adapter:
    """The page's adapter; ``ValueError`` with one line when it must not or cannot start. Its
    events are numbered by MQTT's stamper, or with MQTT off by the outbox in ``outbox_dir``
    kept for numbering only: one ``seq`` either way."""
    from controller.mqtt.outbox import stamper_without_mqtt
    from controller.web.adapter import WebAdapter
    from controller.web.config import refusal

    assert config.web is not None
    try:
        token = config.web.resolved_token()
    except OSError as exc:  # the file name is fine to show, its content never
        where = f"web.token_file {config.web.token_file}"
        raise ValueError(f"web: cannot read {where}: {exc.strerror}") from None
    problem = refusal(config.web, token)
    if problem is not None:
        raise ValueError(problem)
    mqtt = None
    if config.mqtt is not None:  # paho is imported only when MQTT is on
        from controller.mqtt.adapter import MqttAdapter

        mqtt = next((a for a in adapters if isinstance(a, MqttAdapter)), None)
    paths = StatePaths.for_source(config.storage.dir, config.source.simulated)
    if mqtt is not None:
        stamper = mqtt.stamper
    else:
        outbox = StatePaths(outbox_dir).outbox(config.mat.id)
        stamper = stamper_without_mqtt(outbox, config.mat.id, wall_at, clock=clock)
    try:
        return WebAdapter(
            config.web,
            token=token,
            mat_id=config.mat.id,
            mat_name=config.mat.name,
            layout=core.layout,
            programs=core.settings.session.programs,
            source_kind=config.source.kind,
            clock=clock,
            wall_at=wall_at,
            history_path=paths.history,
            calibration_path=StatePaths(config.storage.dir).calibration,
            stamper=stamper,
            mqtt_status=None if mqtt is None else mqtt.page_status,
        )
    except OSError as exc:
        stamper.close()
        raise ValueError(f"web: cannot listen on {config.web.listen}: {exc.strerror}") from None
