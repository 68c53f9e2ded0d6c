"""Validation of plain data (a TOML table, a JSON object) into frozen dataclasses (pure).

``parse(cls, data)`` builds ``cls`` from a mapping and reports every problem at once, each
with its full field path (``source.hardware.zones.upper_lft: unknown field``), in a
``SchemaError``. The dataclass's type hints are the schema: bool, int, float (finite; an int
is a float, a bool is not a number), str, ``Path``, ``Secret``, ``Literal``, ``X | None``,
nested dataclasses, ``dict[str, X]``, ``list[X]`` and tuples. ``Annotated`` marks add
``annotated_types`` bounds (``Ge``, ``Gt``, ``Le``, ``Lt``, ``MinLen``), ``Pattern``,
``Check`` (a function of the converted value) and ``Before`` (of the raw value; its problem
replaces the field's own). Unknown keys are errors. A class's own checks run once its fields
are valid: its ``__post_init__`` raises ``ValueError`` (one problem at the class's path) or a
``SchemaError`` (problems at paths below it). A static ``raw_problems(table)`` on a class
runs on the raw table even when its fields are wrong. A dataclass with a ``_given`` field
gets the dotted paths of every key the data gave (pydantic's "fields set");
``as_data`` turns a dataclass back into data, given keys only where it knows them.

This module owns the parsing (type by type, problems with their paths); what a field says
(``doc``, the marks, ``Secret``, ``breaks``, ``as_data`` …) lives in
``firmware.schema_fields`` and is imported from here, the one import a config section needs.

Why not pydantic: it costs ~90 ms and ~11 MB at every start (docs/architecture.md). No I/O.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path, PurePath
from typing import Annotated, Any, Literal, TypeVar, Union

from firmware.errors import FirmwareError
from firmware.schema_fields import (
    Before,
    Check,
    Pattern,
    Secret,
    as_data,
    breaks,
    doc,
    doc_factory,
    given,
    hints,
    public_fields,
    shown,
)

__all__ = [
    "Before",
    "Check",
    "Pattern",
    "Problem",
    "SchemaError",
    "Secret",
    "Where",
    "as_data",
    "breaks",
    "doc",
    "doc_factory",
    "given",
    "hints",
    "parse",
    "problem_line",
    "public_fields",
]

Where = tuple[str | int, ...]
Problem = tuple[Where, str]  # (where below the table being parsed, what is wrong)
_T = TypeVar("_T")
_FAIL: Any = object()  # a value that did not convert; its problems are already listed


class SchemaError(FirmwareError, ValueError):
    """Data that does not fit its dataclass; ``problems`` lists every problem with its path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(self.lines()))

    def lines(self, where: Where = ()) -> list[str]:
        """One ``field.path: reason`` line per problem, the paths under ``where``."""
        return [problem_line((*where, *path), reason) for path, reason in self.problems]


def problem_line(path: Where, reason: str) -> str:
    return f"{'.'.join(map(str, path)) or '(top level)'}: {reason}"


def parse(cls: type[_T], data: object, where: Where = ()) -> _T:
    """``cls`` built from ``data``; ``SchemaError`` lists every problem, paths under ``where``."""
    problems: list[Problem] = []
    value = _dataclass(cls, data, (), problems)
    if problems:
        raise SchemaError([((*where, *path), reason) for path, reason in problems])
    return typing.cast(_T, value)


def _dataclass(cls: type[Any], data: object, at: Where, problems: list[Problem]) -> Any:
    if isinstance(data, cls):
        return data
    if not isinstance(data, Mapping):
        problems.append((at, f"must be a table, got {shown(data)}"))
        return _FAIL
    before = len(problems)
    known = public_fields(cls)
    kwargs = _fields(cls, known, data, at, problems)
    names = {f.name for f in known}
    problems += [((*at, k), "unknown field (check the spelling)") for k in data if k not in names]
    fields_failed = len(problems) > before
    raw_problems = getattr(cls, "raw_problems", None)
    if raw_problems is not None:
        problems += [((*at, *path), reason) for path, reason in raw_problems(data)]
    if fields_failed:
        return _FAIL
    if "_given" in {f.name for f in dataclasses.fields(cls)}:
        kwargs["_given"] = frozenset(_paths(data))
    value = _construct(cls, kwargs, at, problems)
    return _FAIL if len(problems) > before else value


def _fields(
    cls: type[Any], known: tuple[dataclasses.Field[Any], ...], data: Mapping[str, Any],
    at: Where, problems: list[Problem],
) -> dict[str, Any]:  # fmt: skip
    kwargs: dict[str, Any] = {}
    for f in known:
        if f.name in data:
            kwargs[f.name] = _convert(hints(cls)[f.name], data[f.name], (*at, f.name), problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append(((*at, f.name), "required, not given"))
    return kwargs


def _construct(cls: type[Any], kwargs: dict[str, Any], at: Where, problems: list[Problem]) -> Any:
    try:
        return cls(**kwargs)
    except SchemaError as exc:
        problems += [((*at, *path), reason) for path, reason in exc.problems]
    except ValueError as exc:
        problems.append((at, str(exc)))
    return _FAIL


def _paths(data: Mapping[str, Any], prefix: str = "") -> list[str]:
    found = []
    for key, value in data.items():
        found.append(f"{prefix}{key}")
        if isinstance(value, Mapping):
            found += _paths(value, f"{prefix}{key}.")
    return found


def _convert(hint: Any, value: Any, at: Where, problems: list[Problem]) -> Any:
    origin = typing.get_origin(hint)
    if origin is Annotated:
        return _annotated(hint, value, at, problems)
    if origin in (Union, types.UnionType):
        return _optional(hint, value, at, problems)
    if origin is Literal:
        return _literal(typing.get_args(hint), value, at, problems)
    if origin in (dict, list, tuple):
        return _container(hint, value, at, problems)
    if dataclasses.is_dataclass(hint):
        return _dataclass(typing.cast(type[Any], hint), value, at, problems)
    convert = _SCALARS.get(hint)
    if convert is None:
        raise TypeError(f"{problem_line(at, '')} the schema cannot check {hint!r}")
    try:
        return convert(value)
    except (TypeError, ValueError) as exc:
        got = f"a {type(value).__name__}" if hint is Secret else shown(value)  # kept hidden
        problems.append((at, f"{exc}, got {got}"))
        return _FAIL


def _annotated(hint: Any, value: Any, at: Where, problems: list[Problem]) -> Any:
    inner, *marks = typing.get_args(hint)
    for mark in marks:
        if isinstance(mark, Before) and not _holds(mark.fn, value, at, problems):
            return _FAIL
    before, raw = len(problems), value
    value = _convert(inner, value, at, problems)
    if value is None:
        return None
    for mark in marks:
        if len(problems) > before:
            return _FAIL
        reason = breaks(mark, value, raw)
        if reason is not None:
            problems.append((at, reason))
        elif isinstance(mark, Check):
            _holds(mark.fn, value, at, problems)
    return _FAIL if len(problems) > before else value


def _holds(fn: Callable[[Any], object], value: Any, at: Where, problems: list[Problem]) -> bool:
    try:
        fn(value)
    except ValueError as exc:
        problems.append((at, str(exc)))
        return False
    return True


def _optional(hint: Any, value: Any, at: Where, problems: list[Problem]) -> Any:
    options = [a for a in typing.get_args(hint) if a is not type(None)]
    if len(options) != 1:
        raise TypeError(f"{problem_line(at, '')} only X | None unions are checked, not {hint}")
    return None if value is None else _convert(options[0], value, at, problems)


def _literal(choices: tuple[Any, ...], value: Any, at: Where, problems: list[Problem]) -> Any:
    for choice in choices:
        if type(value) is type(choice) and value == choice:
            return choice
    listed = ", ".join(map(repr, choices))
    problems.append((at, f"must be one of {listed}, got {shown(value)}"))
    return _FAIL


def _container(hint: Any, value: Any, at: Where, problems: list[Problem]) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is dict:
        if not isinstance(value, Mapping):
            problems.append((at, f"must be a table, got {shown(value)}"))
            return _FAIL
        items = {k: _convert(args[1], v, (*at, k), problems) for k, v in value.items()}
        return _FAIL if any(v is _FAIL for v in items.values()) else items
    if not isinstance(value, list | tuple):
        problems.append((at, f"must be a list, got {shown(value)}"))
        return _FAIL
    if origin is tuple and args[-1] is not Ellipsis and len(args) != len(value):
        problems.append((at, f"must have {len(args)} items, got {len(value)}"))
        return _FAIL
    fixed = origin is tuple and args[-1] is not Ellipsis
    kinds = list(args) if fixed else [args[0]] * len(value)
    out = [
        _convert(kind, v, (*at, i), problems)
        for i, (kind, v) in enumerate(zip(kinds, value, strict=True))
    ]
    if any(v is _FAIL for v in out):
        return _FAIL
    return tuple(out) if origin is tuple else out


def _plain(kinds: Any, message: str, make: Callable[[Any], Any] = lambda v: v) -> Any:
    def convert(value: Any) -> Any:
        if not isinstance(value, kinds):
            raise TypeError(message)
        return make(value)

    return convert


def _int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)  # 30.0: a whole number written as a float
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("must be a whole number")
    return value


def _float(value: Any) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TypeError("must be a number")
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return float(value)


_SCALARS: dict[Any, Callable[[Any], Any]] = {
    bool: _plain(bool, "must be true or false"),
    int: _int,
    float: _float,
    str: _plain(str, "must be a string"),
    Path: _plain(str | PurePath, "must be a path (a string)", Path),
    Secret: _plain(
        str | Secret, "must be a string", lambda v: Secret(v) if isinstance(v, str) else v
    ),
}
