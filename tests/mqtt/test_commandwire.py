"""Command payloads: whatever arrives becomes a command or an error, never an exception."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from controller.core.commands import COMMAND_NAMES, CommandResult, SelectProgram, StartSession, Tare
from controller.mqtt.adapter import MqttAdapter
from controller.wire.commands import ParsedCommand, parse_command, result_payload
from tests.mqtt.broker import Recorder, wait_until
from tests.mqtt.conftest import MAT1, AdapterFactory, started

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
# Topic levels MQTT allows (no control characters, wildcards or separators).
names = st.sampled_from(COMMAND_NAMES) | st.text(
    st.characters(whitelist_categories=("L", "N", "Pd", "Pc")), min_size=1, max_size=12
)
payloads = (
    st.binary(min_size=1, max_size=200)  # an empty payload is not answered (test_retained)
    | json_values.map(lambda v: json.dumps(v).encode())
    | st.dictionaries(
        st.sampled_from(["program", "transaction", "x"]), json_values, max_size=3
    ).map(lambda d: json.dumps(d).encode())
)


_ADAPTERS: dict[int, MqttAdapter] = {}


def _check(parsed: ParsedCommand) -> None:
    assert (parsed.command is None) != (parsed.error is None)
    body = json.loads(
        result_payload(parsed.transaction, CommandResult.failure(parsed.error or "x"))
    )
    assert body["status"] == "error" and set(body) == {"status", "error", "transaction"}


@given(names, payloads)
def test_any_payload_parses_to_a_command_or_an_error(name: str, payload: bytes) -> None:
    _check(parse_command(name, payload))


@pytest.mark.parametrize(
    ("name", "payload", "expected"),
    [
        ("start", b"", StartSession()),
        ("start", b'{"program": "relax"}', StartSession(program="relax")),
        ("select_program", b' {"program": "sleep", "transaction": 1} ', SelectProgram("sleep")),
        ("tare", b"{}", Tare()),
    ],
)
def test_valid_commands(name: str, payload: bytes, expected: object) -> None:
    assert parse_command(name, payload).command == expected


@pytest.mark.parametrize(
    ("name", "payload", "error"),
    [
        ("select_program", b"{}", "program must be"),
        ("start", b'{"program": 5}', "program must be"),
        ("stop", b'{"force": true}', "unknown field(s): force"),
        ("start", b"[1]", "malformed payload"),
        ("start", b"{", "malformed payload"),
        ("start", b"\xff", "malformed payload"),
        ("start", b" " * 5000, "malformed payload"),
        ("reboot", b"{}", "unknown command"),
        ("start", b"[" * 100_000, "malformed payload"),
    ],
)
def test_bad_commands_say_why(name: str, payload: bytes, error: str) -> None:
    parsed = parse_command(name, payload)
    assert parsed.command is None and error in str(parsed.error)


def test_transaction_is_echoed_even_when_the_command_is_bad() -> None:
    parsed = parse_command("stop", b'{"transaction": "abc", "bogus": 1}')
    assert parsed.transaction == "abc" and parsed.command is None
    nan = parse_command("stop", b'{"transaction": NaN}')
    assert (
        json.loads(result_payload(nan.transaction, CommandResult.success()))["transaction"] is None
    )


@pytest.mark.broker
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(commands=st.lists(st.tuples(names, payloads), min_size=1, max_size=5))
def test_a_running_adapter_answers_every_payload(
    make_adapter: AdapterFactory, recorder: Recorder, commands: list[tuple[str, bytes]]
) -> None:
    key = id(recorder)  # hypothesis reuses function-scoped fixtures across examples
    if key not in _ADAPTERS:
        _ADAPTERS.clear()
        _ADAPTERS[key] = started(make_adapter())
    adapter = _ADAPTERS[key]
    before = sum(m.topic.endswith("/result") for m in recorder.messages)
    for name, payload in commands:
        recorder.publish(MAT1.command(name), payload)

    def answered() -> int:
        for request in adapter.take_commands():  # the service loop's part: answer each one
            request.reply(CommandResult.success())
        return sum(m.topic.endswith("/result") for m in list(recorder.messages)) - before

    assert wait_until(lambda: answered() >= len(commands))
    assert answered() == len(commands)
    assert adapter._worker.is_alive()
