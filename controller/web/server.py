"""The HTTP server: routes, security checks, static assets and the event stream (I/O, its own
threads; the standard library's ``http.server``, see docs/web.md for why).

One thread accepts; each connection gets a thread of its own, at most ``max_connections``
(more are answered 503 at once), and at most ``max_streams`` of them may hold an event stream.
A client that stops reading is dropped after ``IO_TIMEOUT_S``. Nothing here touches the core:
reads come from the ``Hub`` and the ``Api``, commands go through ``Api.command``. Every reply,
errors included, is JSON; no request is logged (a token must never reach a log), and failures
are logged at most once a minute.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from controller.web.api import Api, Reply, error
from controller.web.assets import Assets
from controller.web.config import WebConfig
from controller.web.security import check_json_body, check_origin, check_token
from controller.web.stream import stream_events
from firmware.clock import Clock

log = logging.getLogger("acumat.web")
IO_TIMEOUT_S = 10.0
LOG_EVERY_S = 60.0
_SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cache-Control", "no-store"),
)


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, owner: WebServer, address: tuple[str, int]) -> None:
        self.owner = owner
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.owner.connections.acquire(blocking=False):
            _refuse_busy(request)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.owner.connections.release()

    def service_actions(self) -> None:
        self.owner.beat_s = self.owner.clock.monotonic()

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):  # the client went away: its business
            return
        self.owner.log_limited("web request failed", exc_info=True)


def _refuse_busy(request: socket.socket) -> None:
    body = b'{"status":"error","error":"too many connections"}'
    head = b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
    head += b"Connection: close\r\nContent-Length: %d\r\n\r\n" % len(body)
    try:
        request.settimeout(0.5)
        request.sendall(head + body)
    except OSError:
        pass


class WebServer:
    """Binds at construction (a busy port is an error at start-up), serves on a thread."""

    def __init__(self, config: WebConfig, api: Api, token: str | None, boot: str, clock: Clock):
        self.config, self.api, self.token, self.boot, self.clock = config, api, token, boot, clock
        self.connections = threading.BoundedSemaphore(config.max_connections)
        self.streams = threading.BoundedSemaphore(config.max_streams)
        self.host_names = config.host_names()
        self.assets = Assets.load()
        self.beat_s = clock.monotonic()
        self.death: str | None = None
        self._logged_s = -LOG_EVERY_S
        self._thread: threading.Thread | None = None
        self._http = _HttpServer(self, (config.host, config.port))

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._http.server_address[:2]
        return str(host), int(port)

    @property
    def url_host(self) -> str:
        host, port = self.address
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def serve_in_thread(self) -> threading.Thread:
        self._thread = threading.Thread(target=self._serve, name="web", daemon=True)
        self._thread.start()
        return self._thread

    def _serve(self) -> None:
        try:
            self._http.serve_forever(poll_interval=0.5)
        except Exception as exc:  # reported by the loop's check (adapter._watch)
            self.death = f"{type(exc).__name__}: {exc}"
            log.exception("web server thread ended")

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():  # else shutdown() never returns
            self._http.shutdown()
        self._http.server_close()

    @property
    def listening(self) -> bool:
        return self._http.socket.fileno() != -1

    def rebuilt(self) -> WebServer:
        """A new server on the address this one had; this one is told to stop, never waited
        for (the service thread calls this, and a hung server must not hang it)."""
        threading.Thread(target=self._http.shutdown, name="web-stop", daemon=True).start()
        self._http.server_close()
        host, port = self.address
        config = dataclasses.replace(self.config, listen=f"[{host}]:{port}")
        return WebServer(config, self.api, self.token, self.boot, self.clock)

    def log_limited(self, message: str, *args: object, exc_info: bool = False) -> None:
        now_s = self.clock.monotonic()
        if now_s - self._logged_s >= LOG_EVERY_S:
            self._logged_s = now_s
            log.error(message, *args, exc_info=exc_info)

    def report_stall(self, now_s: float) -> None:
        self.log_limited("web server has not polled for %.0f s", now_s - self.beat_s)


class Handler(BaseHTTPRequestHandler):
    server: _HttpServer
    protocol_version = "HTTP/1.1"
    timeout = IO_TIMEOUT_S

    def version_string(self) -> str:
        return "acumat"

    @property
    def web(self) -> WebServer:
        return self.server.owner

    def log_message(self, format: str, *args: Any) -> None:
        return None  # no access log: a request line could carry a secret

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def do_HEAD(self) -> None:
        self._send(error(405, "HEAD is not supported"))

    def _route(self, method: str) -> None:
        url = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        refusal = check_origin(headers, self.web.host_names)
        if refusal is None and url.path.startswith("/api/"):
            refusal = check_token(headers.get("authorization"), self.web.token)
        if refusal is not None:
            self._send(error(refusal.status, refusal.reason), auth=refusal.status == 401)
            return
        if method == "POST":
            self._post(url.path, headers)
        else:
            self._get(url.path, parse_qs(url.query), headers)

    def _get(self, path: str, query: dict[str, list[str]], headers: dict[str, str]) -> None:
        api = self.web.api
        routes = {"/api/info": api.info, "/api/state": api.state, "/api/status": api.status}
        if path in routes:
            self._send(routes[path]())
        elif path == "/api/history":
            self._send(api.history(_int(query.get("limit", [None])[0])))
        elif path == "/api/events":
            stream_events(self, headers.get("last-event-id"))
        elif path.startswith("/api/commands/"):
            self._send(error(405, "commands are POSTed"))
        elif path.startswith("/api/"):
            self._send(error(404, f"no such API: {path[:80]}"))
        else:
            self._asset(path, headers)

    def _post(self, path: str, headers: dict[str, str]) -> None:
        if not path.startswith("/api/commands/"):
            self._send(error(404 if path.startswith("/api/") else 405, "nothing to POST here"))
            return
        refusal = check_json_body(headers.get("content-type"))
        length = _int(headers.get("content-length"))
        if refusal is not None:
            self._send(error(refusal.status, refusal.reason), close=True)
        elif length is None or length < 0:
            self._send(error(411, "Content-Length is required"), close=True)
        elif length > self.web.api.max_body_bytes:
            self._send(error(413, f"body over {self.web.api.max_body_bytes} bytes"), close=True)
        else:
            body = self.rfile.read(length)
            self._send(self.web.api.command(path.removeprefix("/api/commands/"), body))

    def _asset(self, path: str, headers: dict[str, str]) -> None:
        asset = self.web.assets.get(path)
        if asset is None:
            self._send(error(404, "not found"))
            return
        gzip = "gzip" in headers.get("accept-encoding", "")
        if headers.get("if-none-match") == asset.etag:
            self.send_response(304)
            self.send_header("ETag", asset.etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = asset.gzipped if gzip else asset.body
        self.send_response(200)
        self.send_header("Content-Type", asset.content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", asset.etag)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Content-Security-Policy", asset.csp)
        if gzip:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        for name, value in _SECURITY_HEADERS[:3]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _send(self, reply: Reply, *, auth: bool = False, close: bool = False) -> None:
        body = reply.body.encode("utf-8")
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in _SECURITY_HEADERS:
            self.send_header(name, value)
        if auth:
            self.send_header("WWW-Authenticate", 'Bearer realm="acumat"')
        if close:  # the body was not read: the connection cannot carry another request
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The stdlib's own errors (bad request line, header too long …) as JSON too."""
        # A line that did not parse leaves the version at HTTP/0.9 (no status line): answer in
        # 1.1, and never echo what was sent (it could be anything, a secret included).
        self.request_version = "HTTP/1.1"
        reason = self.responses.get(code, ("error",))[0]
        with contextlib.suppress(OSError):
            self._send(error(code, reason.lower()), close=True)


def _int(text: str | None) -> int | None:
    try:
        return None if text is None else int(text)
    except ValueError:
        return None
