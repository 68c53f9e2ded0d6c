"""Logging for journald and terminals: one line per record, syslog levels, secrets masked.

Owns the process's log set-up (``configure_logging``), the ``<N>`` priority prefix journald
reads from a service's stderr (sd-daemon(3)), the filter that masks password-like values in
every record, and ``EventLog``, an ``Adapter`` that writes one log line per core event (so
``journalctl -u acumat`` tells the mat's story without the console). Not pure: it writes to
a stream. Tracebacks are folded into the same line so one event is one journal entry.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import TextIO

from controller.core.commands import CommandRequest
from controller.core.events import Event
from controller.core.state import MatState
from firmware.frame import ZoneFrame

MASK = "***"
# key=value, key: value, "key": "value" for password-like keys (JSON, TOML, URLs, argv).
_SECRET_PAIR = re.compile(
    r"""(?ix)
    (?P<key>["']?[\w.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|pwd)["']?)
    (?P<sep>\s*[:=]\s*)
    (?P<value>"[^"]*"|'[^']*'|[^\s,;}&]+)
    """
)
# scheme://user:password@host
_URL_PASSWORD = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^/\s:@]+:)[^@\s/]+(?P<at>@)", re.I)

# Python levels → syslog priorities (journald reads "<3>" at the start of a stderr line).
_PRIORITY = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}
CONSOLE_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JOURNAL_FORMAT = "%(levelname)s %(name)s: %(message)s"  # journald adds time and unit


def mask_secrets(text: str) -> str:
    """``text`` with the values of password-like keys and URL passwords replaced by ***."""

    def pair(match: re.Match[str]) -> str:
        value = match.group("value")
        quote = value[0] if value[:1] in "\"'" else ""
        return f"{match.group('key')}{match.group('sep')}{quote}{MASK}{quote}"

    text = _SECRET_PAIR.sub(pair, text)
    return _URL_PASSWORD.sub(lambda m: f"{m.group('head')}{MASK}{m.group('at')}", text)


def one_line(text: str) -> str:
    return " | ".join(part for part in text.splitlines() if part.strip())


def syslog_priority(levelno: int) -> int:
    for level in sorted(_PRIORITY, reverse=True):
        if levelno >= level:
            return _PRIORITY[level]
    return 7


class SecretFilter(logging.Filter):
    """Masks secrets in the message (args already merged) before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


class OneLineFormatter(logging.Formatter):
    """The standard format, folded into one line (tracebacks too), secrets masked again."""

    def __init__(self, fmt: str, journal: bool) -> None:
        super().__init__(fmt)
        self._journal = journal

    def format(self, record: logging.LogRecord) -> str:
        line = mask_secrets(one_line(super().format(record)))
        if self._journal:
            return f"<{syslog_priority(record.levelno)}>{line}"
        return line


def under_journald(environ: Mapping[str, str], stream: TextIO) -> bool:
    """True when ``stream`` is the journal stream systemd named in ``$JOURNAL_STREAM``."""
    device, _, inode = environ.get("JOURNAL_STREAM", "").partition(":")
    if not inode:
        return False
    try:
        stat = os.fstat(stream.fileno())
    except (OSError, ValueError):
        return False
    return f"{stat.st_dev}:{stat.st_ino}" == f"{device}:{inode}"


def configure_logging(
    level: str | int = "INFO",
    stream: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    journal: bool | None = None,
) -> logging.Handler:
    """Replaces the root logger's handlers with one masked, one-line handler; returns it."""
    out = sys.stderr if stream is None else stream
    if journal is None:
        journal = under_journald(os.environ if environ is None else environ, out)
    handler = logging.StreamHandler(out)
    handler.setFormatter(OneLineFormatter(JOURNAL_FORMAT if journal else CONSOLE_FORMAT, journal))
    handler.addFilter(SecretFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    return handler


def event_level(event: Event) -> int:
    """Faults and warnings stand out in ``journalctl -p warning``; breathing is chatter."""
    if event.type in ("sensor_fault", "uneven_load", "source_stalled"):
        return logging.WARNING if getattr(event, "active", False) else logging.INFO
    if event.type == "session_warning":
        return logging.WARNING
    if event.type == "breathing":
        return logging.DEBUG
    return logging.INFO


def is_news(event: Event) -> bool:
    """False for a breathing event that carries no estimate (the estimator's "lost it" marker,
    ``bpm=0 quality=0``): a figure nobody measured is not printed."""
    return not (event.type == "breathing" and getattr(event, "bpm", 1.0) <= 0.0)


def event_line(event: Event) -> str:
    return f"{event.type} t={event.t:.1f} {event_fields(event)}".rstrip()


def event_fields(event: Event) -> str:
    """An event's own fields as ``key=value`` words (``t`` and ``type`` left out)."""
    data = event.to_dict()
    del data["type"], data["t"]
    return " ".join(f"{k}={_value(v)}" for k, v in data.items() if v is not None)


def _value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dict):
        return ",".join(f"{k}:{_value(v)}" for k, v in value.items())
    return str(value).replace(" ", "_")


class EventLog:
    """An ``Adapter`` that logs one line per core event to ``acumat.events``."""

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self._log = logger or logging.getLogger("acumat.events")

    def start(self) -> None:
        return None

    def on_frame(self, frame: ZoneFrame, events: Sequence[Event], state: MatState) -> None:
        for event in events:
            if is_news(event):
                self._log.log(event_level(event), "%s", event_line(event))

    def take_commands(self) -> list[CommandRequest]:
        return []

    def close(self) -> None:
        return None


__all__ = [
    "EventLog",
    "SecretFilter",
    "configure_logging",
    "event_line",
    "is_news",
    "mask_secrets",
    "under_journald",
]
