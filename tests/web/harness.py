"""The real service in-process for the web tests: simulator, core, the web adapter (test I/O).

``RunningMat`` starts ``Service`` on a thread with a looping simulated scenario paced by the
system clock at ``speed`` × real time, and the web adapter on a free loopback port; with
``mqtt_port`` the MQTT adapter too, sharing its event numbering with the page as ``acumat run``
wires them. It is the service ``acumat run`` builds, minus history and console; ``stop()`` ends
the loop and closes the adapters as a SIGTERM would.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from controller.core.factory import build_controller
from controller.mqtt.adapter import MqttAdapter
from controller.mqtt.config import MqttConfig
from controller.mqtt.outbox import stamper_without_mqtt
from controller.service.loop import Service
from controller.service.paths import StatePaths
from controller.service.ports import Adapter
from controller.web.adapter import WebAdapter
from controller.web.config import WebConfig
from firmware.clock import SystemClock, WallAt
from firmware.sim.scenarios import build
from firmware.sim.source import SimulatedSource
from tests.web.client import Client

TOKEN = "test-token-0123456789abcdef"


@dataclass
class RunningMat:
    state_dir: Path
    scenario: str = "relax_session"
    speed: float = 20.0
    web: dict[str, Any] = field(default_factory=dict)
    token: str | None = None
    mqtt_port: int | None = None
    service: Service | None = None
    adapter: WebAdapter | None = None
    mqtt: MqttAdapter | None = None
    _thread: threading.Thread | None = None

    def start(self) -> RunningMat:
        clock, wall_at = SystemClock(), WallAt()
        run = build(self.scenario)
        core = build_controller(run.layout)
        config = WebConfig(listen="127.0.0.1:0", **self.web)
        paths, adapters = StatePaths(self.state_dir), list[Adapter]()
        if self.mqtt_port is None:
            stamper = stamper_without_mqtt(paths.outbox("webmat"), "webmat", wall_at, clock=clock)
        else:
            self.mqtt = MqttAdapter(
                MqttConfig(host="127.0.0.1", port=self.mqtt_port, close_timeout_s=2.0),
                mat_id="webmat",
                mat_name="Test mat",
                layout=run.layout,
                programs=sorted(core.settings.session.programs),
                clock=clock,
                wall_at=wall_at,
                outbox_path=paths.outbox("webmat"),
                history_path=paths.history,
            )
            stamper = self.mqtt.stamper
            adapters.append(self.mqtt)
        self.adapter = WebAdapter(
            config,
            token=self.token,
            mat_id="webmat",
            mat_name="Test mat",
            layout=run.layout,
            programs=core.settings.session.programs,
            source_kind="simulate",
            clock=clock,
            wall_at=wall_at,
            history_path=paths.history,
            calibration_path=paths.calibration,
            stamper=stamper,
            mqtt_status=None if self.mqtt is None else self.mqtt.page_status,
        )
        adapters.append(self.adapter)
        source = SimulatedSource(run, clock, speed=self.speed, loop=True)
        self.service = Service(
            core=core,
            source=source,
            adapters=adapters,
            on_first_frame=lambda f: wall_at.anchor(f.t, clock.wall()),
        )
        self._thread = threading.Thread(target=self.service.run, daemon=True)
        self._thread.start()
        return self

    def client(self, token: str | None = None) -> Client:
        assert self.adapter is not None
        host, port = self.adapter.address
        return Client(host, port, token=token)

    @property
    def frames(self) -> int:
        assert self.service is not None
        return self.service.frames_seen

    def stop(self) -> None:
        assert self.service is not None and self._thread is not None
        self.service.stop()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the service loop did not stop"
