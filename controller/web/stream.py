"""``GET /api/events``: the server-sent event stream of one client (I/O, on its own thread).

Each controller event goes out as MQTT carries it, the very text (``seq``, ``id``, ``ts`` …,
numbered by the outbox: ``controller.wire.stamp``) under ``event: event`` with the SSE id
``<boot>:<seq>``; the state goes out under ``event: state``
whenever the hub has a newer one (at least once a second while frames flow), and a comment
keeps the connection open when nothing happens. A browser that reconnects sends
``Last-Event-ID``: the events it missed are sent first if this process still holds them (the
``boot`` part tells a restarted service apart: its ring holds only its own events, and a new
outbox may count in a lower ``seq`` block, so a client of another run gets all it holds). A
new client
starts with the current state and the events from now on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from controller.web.api import error

if TYPE_CHECKING:
    from controller.web.server import Handler

KEEPALIVE_S = 15.0
RETRY_MS = 2000


def resume_after(last_event_id: str | None, boot: str, last_seq: int) -> int:
    """The ``seq`` after which this client's events start."""
    if last_event_id is None:
        return last_seq
    their_boot, _, seq = last_event_id.strip().partition(":")
    if their_boot != boot or not seq.isdigit():
        return 0  # another run of the service: everything this one still holds is news
    return min(int(seq), last_seq)


def frame(update_events: tuple[tuple[int, str], ...], state: str | None, boot: str) -> bytes:
    """One write's worth of SSE text: the events, then the state; a comment if neither."""
    parts = [f"id: {boot}:{seq}\nevent: event\ndata: {text}\n\n" for seq, text in update_events]
    if state is not None:
        parts.append(f"event: state\ndata: {state}\n\n")
    return ("".join(parts) or ": keep-alive\n\n").encode("utf-8")


def stream_events(handler: Handler, last_event_id: str | None) -> None:
    web = handler.web
    if not web.streams.acquire(blocking=False):
        handler._send(error(503, "too many event-stream clients"), close=True)
        return
    try:
        hub = web.api.hub
        after, version = resume_after(last_event_id, web.boot, hub.last_seq), -1
        handler.close_connection = True  # no length: the stream ends with the connection
        handler.send_response(200)
        handler.send_header("Content-Type", "text/event-stream; charset=utf-8")
        handler.send_header("Cache-Control", "no-store")
        handler.send_header("X-Content-Type-Options", "nosniff")
        handler.send_header("Connection", "close")
        handler.end_headers()
        handler.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
        while True:
            update = hub.wait(after, version, KEEPALIVE_S)
            if update.closed:
                return
            handler.wfile.write(frame(update.events, update.state, web.boot))
            if update.events:
                after = update.events[-1][0]
            version = update.state_version
    except OSError:  # the client went away or stopped reading (IO_TIMEOUT_S)
        return
    finally:
        web.streams.release()
