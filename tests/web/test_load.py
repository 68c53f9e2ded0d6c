"""Many clients and bad requests at once, against the real service loop (in-process): the
loop keeps its frames, every stream keeps getting states, commands still get answers. How far
they slow the loop is measured by benchmarks/web_load.py (never a time assertion here).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.client import Client, EventStream
from tests.web.harness import RunningMat

STREAMS = 50


@pytest.fixture
def mat(tmp_path: Path) -> Iterator[RunningMat]:
    running = RunningMat(tmp_path, web={"max_streams": STREAMS}).start()
    yield running
    running.stop()


def _abuse(client: Client, rounds: int) -> None:
    """Malformed requests and huge bodies, as fast as one thread sends them."""
    for i in range(rounds):
        client.request(
            "POST", "/api/commands/start", b"{" * 3000, {"Content-Type": "application/json"}
        )
        client.request(
            "POST", "/api/commands/start", b"x" * 200_000, {"Content-Type": "application/json"}
        )
        client.request("POST", "/api/commands/start", b"{}", {"Content-Type": "text/html"})
        with socket.create_connection((client.host, client.port), timeout=5) as s:
            s.sendall(b"\x16\x03\x01 not http at all %d\r\n\r\n" % i)
            s.recv(1024)


def test_fifty_streams_and_abuse_do_not_stop_the_loop(mat: RunningMat) -> None:
    client = mat.client()
    streams: list[EventStream] = [client.events() for _ in range(STREAMS)]
    try:
        assert all(s.status == 200 for s in streams)
        over = client.events()
        assert over.status == 503  # the 51st is turned away, the 50 stay
        over.close()
        frames_before = mat.frames
        abusers = [threading.Thread(target=_abuse, args=(client, 20)) for _ in range(3)]
        for t in abusers:
            t.start()
        for s in streams:  # each stream: its first state, then newer ones while under abuse
            first = s.until(lambda m: m.event == "state").json()["t"]
            assert s.until(lambda m: m.event == "state").json()["t"] > first
        answer = client.command("select_program", {"program": "energy"})
        assert answer.status == 200 and answer.json()["status"] == "ok"
        for t in abusers:
            t.join(timeout=60)
            assert not t.is_alive()
        assert mat.frames > frames_before
    finally:
        for s in streams:
            s.close()


def test_connections_beyond_the_bound_are_answered_503(tmp_path: Path) -> None:
    mat = RunningMat(tmp_path, web={"max_connections": 4, "max_streams": 4}).start()
    try:
        client = mat.client()
        idle = [socket.create_connection((client.host, client.port)) for _ in range(4)]
        refused = client.get("/api/state")
        assert refused.status == 503 and refused.json()["error"] == "too many connections"
        for s in idle:
            s.close()
        for _ in range(100):  # the handlers notice the closed sockets and free their places
            if client.get("/api/info").status == 200:
                break
        else:
            raise AssertionError("the server did not recover its connections")
    finally:
        mat.stop()
