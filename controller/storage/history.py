"""Finished sessions in SQLite, in the state directory (I/O: the shell's, not the core's).

One row per ``session_ended`` event (history_adapter.py turns events into rows), written in its
own transaction (WAL mode, so a power cut loses at most the row being written). ``uid`` is
unique, so replaying the same event twice (after a crash) stores it once. A writer creates the
file owner-only (0600, and SQLite gives its ``-wal`` and ``-shm`` the same mode).

The table is derived from ``SessionRow``: its own columns (uid, mat, wall times) and one per
field of ``SessionSummary`` (controller/core/summary.py), the SQL type from the Python type,
NOT NULL unless the field may be None. A database made before a field existed gains its
column when opened for writing (``ALTER TABLE ... ADD COLUMN``, the old rows holding the
field's default); read-only readers see the default without changing the file.
"""

from __future__ import annotations

import sqlite3
import types
from collections.abc import Sequence
from dataclasses import MISSING, asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from controller.core.summary import SessionSummary
from controller.storage.files import private_dir, private_file


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A stored session: its summary, and which mat and when (wall time, Unix seconds)."""

    uid: str
    mat_id: str
    started_wall_s: float
    ended_wall_s: float
    summary: SessionSummary

    def to_dict(self) -> dict[str, Any]:
        """One flat object, a key per column (the CSV and JSON exports)."""
        return {**{c: getattr(self, c) for c in _OWN_COLUMNS}, **asdict(self.summary)}


# The row's own columns: every field but the summary, whose fields are columns of their own.
_OWN_COLUMNS = tuple(f.name for f in fields(SessionRow) if f.name != "summary")
_SQL_TYPES: dict[type, str] = {str: "TEXT", float: "REAL", int: "INTEGER", bool: "INTEGER"}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: type  # str, float, int or bool
    nullable: bool
    default: Any = MISSING  # what a row stored before the column existed holds

    def definition(self) -> str:
        sql = f"{self.name} {_SQL_TYPES[self.kind]}"
        if not self.nullable:
            sql += " NOT NULL"
        if self.default is not MISSING and self.default is not None:
            sql += f" DEFAULT {_literal(self.default)}"
        return sql

    def read(self, value: Any) -> Any:
        return bool(value) if self.kind is bool and value is not None else value


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value) if isinstance(value, bool) else value)


def columns_of(cls: type[Any], names: Sequence[str] | None = None) -> tuple[Column, ...]:
    """A column per dataclass field (or per field in ``names``): the SQL type from the Python
    type (``X | None``: nullable; a ``Literal`` of strings: TEXT); the field's default is the
    old rows' value."""
    hints = get_type_hints(cls)
    picked = [f for f in fields(cls) if names is None or f.name in names]
    return tuple(Column(f.name, *_kind(hints[f.name]), default=f.default) for f in picked)


def _kind(hint: Any) -> tuple[type, bool]:
    args = get_args(hint)
    if get_origin(hint) in (Union, types.UnionType) and type(None) in args:
        [inner] = [a for a in args if a is not type(None)]
        return _kind(inner)[0], True
    if get_origin(hint) is Literal:
        return type(args[0]), False
    if hint not in _SQL_TYPES:
        raise TypeError(f"no SQL type for {hint!r}")
    return hint, False


class SessionTable:
    """The ``sessions`` table of a summary type (``SessionSummary``; tests pass a wider one)."""

    def __init__(self, summary_type: type[SessionSummary] = SessionSummary) -> None:
        self.summary_type = summary_type
        self.own = columns_of(SessionRow, _OWN_COLUMNS)
        self.figures = columns_of(summary_type)
        self.columns = (*self.own, *self.figures)

    def create_sql(self) -> str:
        lines = ["id INTEGER PRIMARY KEY AUTOINCREMENT"]
        # The uid is the replay guard: the same session stored twice is one row.
        lines += [c.definition() + (" UNIQUE" if c.name == "uid" else "") for c in self.columns]
        return "CREATE TABLE IF NOT EXISTS sessions (\n    " + ",\n    ".join(lines) + "\n)"

    def added_sql(self, present: set[str]) -> list[str]:
        """``ALTER TABLE`` for every column the table lacks (a field added since it was made)."""
        missing = [c for c in self.columns if c.name not in present]
        for column in missing:
            if column.default is MISSING:
                raise TypeError(f"{column.name} was added without a default for the old rows")
        return [f"ALTER TABLE sessions ADD COLUMN {c.definition()}" for c in missing]

    def values(self, row: SessionRow) -> tuple[Any, ...]:
        data = row.to_dict()
        return tuple(
            int(v) if isinstance(v, bool) else v for v in (data[c.name] for c in self.columns)
        )

    def readable(self, present: set[str]) -> list[str]:
        """The columns to read from a table that has ``present``; a column it lacks reads as
        its default, and one without a default means this is not a history table."""
        for column in self.columns:
            if column.name not in present and column.default is MISSING:
                raise sqlite3.DatabaseError(f"the sessions table has no column {column.name}")
        return [c.name for c in self.columns if c.name in present]

    def row(self, present: Sequence[str], record: Sequence[Any]) -> SessionRow:
        """A row from the ``present`` columns' values (the others: their defaults)."""
        stored = dict(zip(present, record, strict=True))
        data = {
            c.name: c.read(stored[c.name]) if c.name in stored else c.default for c in self.columns
        }
        summary = self.summary_type(**{c.name: data[c.name] for c in self.figures})
        return SessionRow(**{c: data[c] for c in _OWN_COLUMNS}, summary=summary)


def column_names() -> list[str]:
    """The history's columns, in table order (the keys of ``SessionRow.to_dict``)."""
    return [c.name for c in SessionTable().columns]


class History:
    def __init__(
        self, path: Path, *, read_only: bool = False, table: SessionTable | None = None
    ) -> None:
        """``read_only`` (``acumat history``, the MQTT summary) neither creates nor migrates;
        the file must exist (``sqlite3.OperationalError`` otherwise). ``table``: the default
        derives from ``SessionSummary``; tests open a file with a wider summary."""
        self._table = table or SessionTable()
        if read_only:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                       check_same_thread=False)  # fmt: skip
        else:
            if not path.parent.exists():
                private_dir(path.parent)
            self._db = sqlite3.connect(str(private_file(path)), check_same_thread=False)
        try:
            if not read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute(self._table.create_sql())
                self._migrate()
            self._present = self._table.readable(self._columns()) if self._any_table() else []
        except sqlite3.Error:
            self._db.close()
            raise

    def _any_table(self) -> bool:
        """False for a database with no table at all (0 bytes: made, never written)."""
        return self._db.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    def _columns(self) -> set[str]:
        return {r[1] for r in self._db.execute("PRAGMA table_info(sessions)").fetchall()}

    def _migrate(self) -> None:
        with self._db:
            for statement in self._table.added_sql(self._columns()):
                self._db.execute(statement)

    def add(self, row: SessionRow) -> bool:
        """Stores a row; false when a row with the same uid was already there."""
        names = [c.name for c in self._table.columns]
        marks = ", ".join("?" for _ in names)
        with self._db:
            cur = self._db.execute(
                f"INSERT OR IGNORE INTO sessions ({', '.join(names)}) VALUES ({marks})",
                self._table.values(row),
            )
        return cur.rowcount == 1

    def sessions(self, limit: int | None = None) -> list[SessionRow]:
        """Oldest first; ``limit`` keeps the newest ``limit`` rows."""
        if not self._present:  # an empty file: no table yet
            return []
        query = f"SELECT {', '.join(self._present)} FROM sessions ORDER BY id DESC"
        if limit is not None:
            query += f" LIMIT {max(0, int(limit))}"
        records = self._db.execute(query).fetchall()
        return [self._table.row(self._present, r) for r in reversed(records)]

    def highest_session(self, mat_id: str) -> int:
        """The highest session number stored for ``mat_id`` (0: none yet)."""
        if not self._present:
            return 0
        query = "SELECT MAX(session) FROM sessions WHERE mat_id = ?"
        found = self._db.execute(query, (mat_id,)).fetchone()[0]
        return int(found or 0)

    def close(self) -> None:
        self._db.close()


def session_uid(mat_id: str, started_wall_s: float) -> str:
    """A session's id in history, recordings and the journal: its mat and wall start time.

    Also a recording's file name, so it holds no ``:`` (FAT and SMB refuse it). Rows and
    recordings made before kept ``<mat>:<wall>``: their uid still names their file."""
    return f"{mat_id}_{started_wall_s:.3f}"
