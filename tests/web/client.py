"""A small HTTP and server-sent-events client for the web tests (stdlib ``http.client``).

``Client`` sends requests the way a browser on the page would (same-origin ``Origin``, the
token as a bearer header) unless a test says otherwise; ``EventStream`` reads ``/api/events``
block by block.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    host: str
    port: int
    token: str | None = None
    timeout_s: float = 10.0

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    def _headers(self, extra: Mapping[str, str] | None) -> dict[str, str]:
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.token is not None:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return {k: v for k, v in headers.items() if v != ""}

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout_s)
        try:
            conn.request(method, path, body=body, headers=self._headers(headers))
            r = conn.getresponse()
            return Response(r.status, {k.lower(): v for k, v in r.getheaders()}, r.read())
        finally:
            conn.close()

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def command(
        self, name: str, payload: Any = None, headers: Mapping[str, str] | None = None
    ) -> Response:
        body = b"{}" if payload is None else json.dumps(payload).encode()
        sent = {"Content-Type": "application/json", "Origin": self.origin, **(headers or {})}
        return self.request("POST", f"/api/commands/{name}", body, sent)

    def events(self, last_event_id: str | None = None) -> EventStream:
        return EventStream(self, last_event_id)


@dataclass
class Message:
    event: str
    data: str
    id: str | None = None

    def json(self) -> Any:
        return json.loads(self.data)


@dataclass
class EventStream:
    client: Client
    last_event_id: str | None = None
    status: int = 0
    _conn: http.client.HTTPConnection | None = None
    _resp: http.client.HTTPResponse | None = None
    seen: list[Message] = field(default_factory=list)

    def __post_init__(self) -> None:
        c = self.client
        self._conn = http.client.HTTPConnection(c.host, c.port, timeout=c.timeout_s)
        headers = c._headers({"Accept": "text/event-stream"})
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = self.last_event_id
        self._conn.request("GET", "/api/events", headers=headers)
        self._resp = self._conn.getresponse()
        self.status = self._resp.status

    def next(self) -> Message:
        """The next event or state (comments and ``retry`` are skipped)."""
        assert self._resp is not None
        fields: dict[str, str] = {}
        while True:
            line = self._resp.readline()
            if not line:
                raise EOFError("the stream ended")
            text = line.decode("utf-8").rstrip("\n")
            if text == "":
                if "data" in fields:
                    msg = Message(fields.get("event", "message"), fields["data"], fields.get("id"))
                    self.seen.append(msg)
                    return msg
                fields = {}
                continue
            if text.startswith(":"):
                continue
            name, _, value = text.partition(": ")
            fields[name] = value

    def until(self, predicate: Any, limit: int = 10_000) -> Message:
        for _ in range(limit):
            msg = self.next()
            if predicate(msg):
                return msg
        raise AssertionError("no such message in the stream")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0) -> bool:
    """Polls ``predicate`` every 20 ms for at most ``timeout_s`` (a real server, real time)."""
    pause = threading.Event()
    for _ in range(int(timeout_s / 0.02) + 1):
        if predicate():
            return True
        pause.wait(0.02)
    return predicate()
