"""The JSON API and the event stream against the real service loop (in-process, simulated).

The service runs the relax scenario at 20× on a thread with the web adapter; every check goes
through real HTTP on loopback, as a page or a script would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from controller.core.commands import COMMAND_NAMES
from controller.wire.payloads import SCHEMA_VERSION
from tests.web.client import Client, wait_until
from tests.web.harness import TOKEN, RunningMat

STATE_KEYS = {
    "schema_version", "ts", "mat", "t", "posture", "occupied", "load_kg", "zones_kg",
    "imbalance", "cop_x_m", "cop_y_m", "session", "uneven", "uneven_side", "faults",
    "breathing_bpm", "alerts", "fault",
}  # fmt: skip


@pytest.fixture(scope="module")
def mat(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMat]:
    running = RunningMat(tmp_path_factory.mktemp("web")).start()
    yield running
    running.stop()


@pytest.fixture
def client(mat: RunningMat) -> Client:
    return mat.client()


def wait_for_state(client: Client) -> dict[str, object]:
    assert wait_until(lambda: client.get("/api/state").status == 200), "no state"
    data: dict[str, object] = client.get("/api/state").json()
    return data


def test_state_is_the_mqtt_state_shape(client: Client) -> None:
    state = wait_for_state(client)
    assert set(state) == STATE_KEYS
    assert state["schema_version"] == SCHEMA_VERSION and state["mat"] == "webmat"


def test_info_describes_the_mat_for_the_page(client: Client) -> None:
    info = client.get("/api/info").json()
    assert info["mat"] == "webmat" and info["token_required"] is False
    assert [z["name"] for z in info["layout"]["zones"]] == [
        "upper_left", "upper_right", "middle_left", "middle_right", "lower_left", "lower_right"
    ]  # fmt: skip
    assert info["programs"]["relax"]["target_s"] == 1200
    assert info["commands"] == list(COMMAND_NAMES)


def test_status_says_calibration_and_mqtt(client: Client) -> None:
    status = client.get("/api/status").json()
    assert status["mqtt"] == {"configured": False}
    assert status["calibration"]["needed"] is False


def test_history_is_what_acumat_history_json_gives(client: Client) -> None:
    data = client.get("/api/history").json()
    assert data["schema_version"] == 1 and data["sessions"] == []
    assert data["habits"]["streak_days"] == 0
    assert client.get("/api/history?limit=-1").status == 400


def test_event_stream_carries_events_as_mqtt_does_and_state_every_second(
    client: Client,
) -> None:
    stream = client.events()
    try:
        assert stream.status == 200
        first = stream.next()
        assert first.event == "state"  # a new client starts with the state
        event = stream.until(lambda m: m.event == "event")
        body = event.json()
        assert list(body)[:5] == ["schema_version", "seq", "id", "ts", "mat"]
        assert event.id is not None and event.id.endswith(f":{body['seq']}")
        assert len(body["id"]) == 32 and body["mat"] == "webmat"
        states = [stream.until(lambda m: m.event == "state").json() for _ in range(5)]
        # At 20× the stream carries about ten states a second, each newer than the last.
        ts = [s["t"] for s in states]
        assert ts == sorted(ts) and len(set(ts)) == 5
    finally:
        stream.close()


def test_a_reconnecting_client_gets_the_events_it_missed(client: Client) -> None:
    stream = client.events()
    try:
        first = stream.until(lambda m: m.event == "event")
        second = stream.until(lambda m: m.event == "event")
    finally:
        stream.close()
    again = client.events(last_event_id=first.id)
    try:
        assert again.until(lambda m: m.event == "event").json() == second.json()
    finally:
        again.close()


def test_commands_answer_as_on_mqtt(client: Client) -> None:
    r = client.command("select_program", {"program": "energy", "transaction": "t1"})
    assert (r.status, r.json()) == (200, {"status": "ok", "error": None, "transaction": "t1"})
    r = client.command("select_program", {"program": "yoga", "transaction": 2})
    assert r.status == 409 and r.json()["status"] == "error" and "yoga" in r.json()["error"]
    assert r.json()["transaction"] == 2
    r = client.command("select_program", {"program": "relax"})
    assert r.status == 200


@pytest.mark.parametrize(
    ("body", "error"),
    [
        (b"{", "malformed payload"),
        (b"[1]", "JSON object"),
        (b'{"program": 5}', "program must be"),
        (b'{"colour": "red"}', "unknown field"),
        (b"\xff\xfe", "malformed payload"),
    ],
)
def test_a_malformed_command_gets_a_400_with_a_json_error(
    client: Client, body: bytes, error: str
) -> None:
    r = client.request(
        "POST",
        "/api/commands/start",
        body,
        {"Content-Type": "application/json", "Origin": client.origin},
    )
    assert r.status == 400 and r.headers["content-type"] == "application/json"
    assert error in r.json()["error"]


def test_unknown_commands_and_routes_are_404(client: Client) -> None:
    r = client.command("self_destruct")
    assert r.status == 404 and "unknown command" in r.json()["error"]
    assert client.get("/api/nothing").status == 404
    assert client.get("/nothing.js").status == 404
    assert client.get("/api/commands/start").status == 405


def test_only_json_is_accepted(client: Client) -> None:
    for content_type in ("text/plain", "application/x-www-form-urlencoded", ""):
        r = client.request("POST", "/api/commands/stop", b"{}", {"Content-Type": content_type})
        assert r.status == 415, content_type
        assert r.json()["status"] == "error"


def test_a_huge_body_is_refused_before_it_is_read(client: Client) -> None:
    r = client.request(
        "POST",
        "/api/commands/start",
        b"{" + b" " * 100_000 + b"}",
        {"Content-Type": "application/json"},
    )
    assert r.status == 413 and "body over" in r.json()["error"]
    claimed = client.request(
        "POST",
        "/api/commands/start",
        b"{}",
        {"Content-Type": "application/json", "Content-Length": str(10**12)},
    )
    assert claimed.status == 413


def test_other_origins_and_host_names_are_refused(client: Client) -> None:
    assert client.get("/api/state", {"Origin": "http://evil.example"}).status == 403
    assert client.get("/api/state", {"Sec-Fetch-Site": "cross-site"}).status == 403
    # DNS rebinding: the browser sends the attacker's name as Host and as Origin.
    rebound = {"Host": "evil.example:80", "Origin": "http://evil.example:80"}
    assert client.get("/api/state", rebound).status == 403
    r = client.command("stop", headers={"Origin": "http://evil.example"})
    assert r.status == 403
    assert client.get("/api/state", {"Origin": client.origin}).status == 200


def test_garbage_on_the_socket_gets_an_error_and_the_loop_goes_on(mat: RunningMat) -> None:
    import socket

    host, port = mat.client().host, mat.client().port
    before = mat.frames
    junk = {
        b"\x00\x01\x02\r\n\r\n": b"400",
        b"GET / HTTP/9.9\r\n\r\n": b"505",
        b"GET /" + b"A" * 70_000 + b" HTTP/1.1\r\n\r\n": b"414",
        b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n": b"431",
    }
    for request, code in junk.items():
        with socket.create_connection((host, port), timeout=5) as s:
            s.sendall(request)
            s.shutdown(socket.SHUT_WR)
            reply = s.recv(4096)
        assert reply.split(b" ")[:2] == [b"HTTP/1.1", code], reply[:60]
        assert b"application/json" in reply
    wait_for_state(mat.client())
    assert wait_until(lambda: mat.frames > before)


def test_the_page_and_its_assets_are_served_from_the_package(client: Client) -> None:
    page = client.get("/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for path in ("/app.js", "/app.css", "/icon.svg"):
        assert client.get(path).status == 200
    zipped = client.get("/app.js", {"Accept-Encoding": "gzip"})
    assert zipped.headers.get("content-encoding") == "gzip"
    etag = page.headers["etag"]
    assert client.get("/", {"If-None-Match": etag}).status == 304


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningMat]:
    running = RunningMat(tmp_path_factory.mktemp("locked"), token=TOKEN).start()
    yield running
    running.stop()


def test_with_a_token_the_api_and_the_stream_need_it(locked: RunningMat) -> None:
    anonymous, wrong = locked.client(), locked.client(token="x" * 26)
    for c in (anonymous, wrong):
        r = c.get("/api/state")
        assert r.status == 401 and r.headers["www-authenticate"].startswith("Bearer")
        assert c.command("stop").status == 401
        stream = c.events()
        assert stream.status == 401
        stream.close()
    assert anonymous.get("/").status == 200  # the page holds no secret
    assert TOKEN not in anonymous.get("/").body.decode()
    owner = locked.client(token=TOKEN)
    assert wait_for_state(owner)["mat"] == "webmat"
    assert owner.get("/api/info").json()["token_required"] is True
    stream = owner.events()
    try:
        assert stream.next().event == "state"
    finally:
        stream.close()
    assert json.loads(owner.command("select_program", {"program": "sleep"}).body)["status"] == "ok"
