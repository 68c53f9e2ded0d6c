"""``acumat history``: the finished sessions as a table (or CSV / JSON), then the habit figures.

Reads the history database in the state directory read-only (never creates or migrates it, so
it is safe while ``acumat run`` writes); ``--simulated`` reads the simulated runs' own history
(controller/service/paths.py). Times are shown in the machine's local time; the
streak and the minutes today / this week follow controller.storage.habits.
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import sys
from datetime import tzinfo
from pathlib import Path
from typing import Any, TextIO

from controller.service.paths import StatePaths
from controller.storage.export import history_json, local_time, read_rows, session_record
from controller.storage.habits import habits
from controller.storage.history import SessionRow, column_names
from controller.storage.sqlitefile import is_damage
from firmware.clock import SystemClock

# read_rows moved to controller.storage.export (the web page reads the same rows); it stays
# importable from here.
__all__ = ["read_rows", "register", "run", "show", "write_csv", "write_table"]

_HEADER = ("date", "program", "min", "done", "reason", "breathing bpm", "uneven")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "history", help="past sessions, streak and minutes (table, CSV or JSON)"
    )
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="sessions and habit figures as JSON")
    fmt.add_argument("--csv", action="store_true", help="one CSV row per session")
    p.add_argument("--state-dir", type=Path, help="state directory (default: from the config)")
    p.add_argument("--config", type=Path, help="TOML configuration file")
    p.add_argument("--limit", type=int, metavar="N", help="only the newest N sessions")
    p.add_argument(
        "--simulated", action="store_true", help="the simulated runs' sessions (kept apart)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from controller.cli.config_arg import load_or_say  # not for --help

    state_dir: Path | None = args.state_dir
    if state_dir is None:
        config = load_or_say(args.config)
        if config is None:
            return 2
        state_dir = config.storage.dir
    if args.limit is not None and args.limit < 0:
        print("acumat: history: --limit must be 0 or more", file=sys.stderr)
        return 2
    where = StatePaths.for_source(state_dir, args.simulated).history
    try:
        rows, total = read_rows(where, args.limit)
    except sqlite3.DatabaseError as exc:
        hint = "; acumat run moves a damaged history aside" if is_damage(exc) else ""
        print(f"acumat: history: cannot read {where}: {exc}{hint}", file=sys.stderr)
        return 1
    fmt = "json" if args.json else "csv" if args.csv else "table"
    show(fmt, rows, total, SystemClock().wall(), tz=None, out=sys.stdout)
    if not total and not args.simulated and StatePaths.for_source(state_dir, True).history.exists():
        # `./dev simulate` then `acumat history`: the demo's sessions are kept apart, on purpose
        print("acumat history: simulated runs keep theirs apart: add --simulated", file=sys.stderr)
    return 0


def show(
    fmt: str,
    rows: list[SessionRow],
    every: list[SessionRow],
    now_wall_s: float,
    *,
    tz: tzinfo | None,
    out: TextIO,
) -> None:
    """Writes ``rows`` in ``fmt`` (table, csv, json); habit figures come from ``every`` row."""
    if fmt == "csv":
        write_csv(rows, tz, out)
    elif fmt == "json":
        out.write(json.dumps(history_json(rows, every, now_wall_s, tz), indent=2) + "\n")
    else:
        write_table(rows, every, now_wall_s, tz, out)


def write_csv(rows: list[SessionRow], tz: tzinfo | None, out: TextIO) -> None:
    names = ["started_local", *column_names()]
    writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
    writer.writeheader()
    for r in rows:
        writer.writerow({k: "" if v is None else v for k, v in session_record(r, tz).items()})


def _cells(r: SessionRow, tz: tzinfo | None) -> tuple[str, ...]:
    s = r.summary
    start, end = s.breathing_start_bpm, s.breathing_end_bpm
    breathing = "-" if start is None or end is None else f"{start:.1f} → {end:.1f}"
    return (
        local_time(r.started_wall_s, tz).strftime("%Y-%m-%d %H:%M"),
        s.program,
        f"{s.duration_s / 60:.1f}",
        "yes" if s.completed else "no",
        s.reason,
        breathing,
        f"{s.uneven_s:.0f} s",
    )


def write_table(
    rows: list[SessionRow],
    every: list[SessionRow],
    now_wall_s: float,
    tz: tzinfo | None,
    out: TextIO,
) -> None:
    if not rows:
        out.write("No sessions recorded yet.\n")
    else:
        lines = [_HEADER, *(_cells(r, tz) for r in rows)]
        widths = [max(len(line[i]) for line in lines) for i in range(len(_HEADER))]
        for line in lines:
            out.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
            out.write("\n")
    h = habits(every, now_wall_s, tz)
    days = "day" if h.streak_days == 1 else "days"
    out.write(
        f"\nStreak: {h.streak_days} {days}   Today: {h.minutes_today:.1f} min   "
        f"This week: {h.minutes_week:.1f} min   Sessions: {h.sessions_total}   "
        f"Next beginner session: {h.beginner_target_s / 60:.0f} min\n"
    )
