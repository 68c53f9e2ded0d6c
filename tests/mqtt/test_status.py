"""The console's status line shows the broker's state as the MQTT adapter last set it."""

from __future__ import annotations

import io
import threading

from controller.mqtt.status import BrokerState, BrokerStatus
from controller.service.console import ConsoleAdapter
from tests.mqtt.conftest import frame, mat_state


def test_the_status_line_ends_with_the_broker_state() -> None:
    out = io.StringIO()
    status = BrokerStatus()
    console = ConsoleAdapter(out, live=False, links=[status])
    console.on_frame(frame(0.0), [], mat_state(0.0))
    status.set(BrokerState("refused", "Not authorized"))
    console.on_frame(frame(1.0), [], mat_state(1.0))
    status.set(BrokerState("connected"))
    console.on_frame(frame(2.0), [], mat_state(2.0))
    lines = out.getvalue().splitlines()
    assert [line.split("no session")[-1].strip() for line in lines] == [
        "mqtt connecting",
        "mqtt refused: Not authorized",
        "mqtt connected",
    ]


def test_readers_never_see_a_state_half_set() -> None:
    status = BrokerStatus()
    states = [BrokerState("unreachable", f"reason {n}") for n in range(200)]
    seen: list[BrokerState] = []

    def read() -> None:
        for _ in range(2000):
            seen.append(status.current)

    reader = threading.Thread(target=read)
    reader.start()
    for state in states:
        status.set(state)
    reader.join()
    assert set(seen) <= {BrokerState(), *states}
