"""The field side of the config schema: what a dataclass's fields tell ``firmware.schema`` (pure).

A section of the config file is a frozen dataclass; this module owns what its author writes
and what reads it back, as opposed to ``firmware.schema``'s type-directed parsing. Writing:
``doc``/``doc_factory`` (a default and the sentence the config docs show), the ``Annotated``
marks ``Pattern``, ``Check`` and ``Before``, and ``Secret`` for a string kept out of logs.
Reading: ``public_fields`` and ``hints`` (the fields data may give, their types),
``breaks`` (why a value breaks a mark: an ``annotated_types`` bound, a length, a pattern;
the core's settings use it too), ``given`` and ``as_data`` (a parsed dataclass back to the
data it came from). Callers import these names from ``firmware.schema``. No I/O.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen


class Secret:
    """A string kept out of ``repr`` and logs (a token)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"


@dataclass(frozen=True)
class Pattern:
    """The whole string must match ``regex``; ``means`` says it in words for the message."""

    regex: str
    means: str = ""


@dataclass(frozen=True)
class Check:
    """``fn(value)`` raises ``ValueError`` saying what is wrong with a converted value."""

    fn: Callable[[Any], object]


@dataclass(frozen=True)
class Before:
    """``fn(raw)`` raises ``ValueError`` about the raw value; the field is then not converted."""

    fn: Callable[[Any], object]


def doc(default: Any = dataclasses.MISSING, description: str = "", **more: Any) -> Any:
    """A field with its default (none: required) and the sentence the config docs show."""
    return dataclasses.field(default=default, metadata={"description": description}, **more)


def doc_factory(factory: Callable[[], Any], description: str) -> Any:
    return dataclasses.field(default_factory=factory, metadata={"description": description})


def public_fields(cls: type[Any]) -> tuple[dataclasses.Field[Any], ...]:
    """The fields data may give: not ``_private`` ones."""
    return tuple(f for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_"))


_HINTS: dict[type[Any], dict[str, Any]] = {}


def hints(cls: type[Any]) -> dict[str, Any]:
    """A dataclass's resolved field types, ``Annotated`` marks kept (worked out once)."""
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, include_extras=True)
    return _HINTS[cls]


_BOUNDS: tuple[tuple[type[Any], str, str, Callable[[Any, Any], bool]], ...] = (
    (Gt, "gt", ">", lambda v, b: v > b),
    (Ge, "ge", ">=", lambda v, b: v >= b),
    (Lt, "lt", "<", lambda v, b: v < b),
    (Le, "le", "<=", lambda v, b: v <= b),
)


def breaks(mark: object, value: Any, raw: Any) -> str | None:
    """Why ``value`` (given as ``raw``) breaks ``mark`` (a bound, a length, a pattern), or None."""
    for kind, attr, sign, within in _BOUNDS:
        if isinstance(mark, kind) and not within(value, getattr(mark, attr)):
            return f"must be {sign} {getattr(mark, attr)}, got {shown(raw)}"
    if isinstance(mark, MinLen) and len(value) < mark.min_length:
        return f"must have at least {mark.min_length} item(s), got {len(value)}"
    if isinstance(mark, MaxLen) and len(value) > mark.max_length:
        return f"must have at most {mark.max_length} item(s), got {len(value)}"
    if isinstance(mark, Pattern) and not re.fullmatch(mark.regex, value):
        return f"must be {mark.means or f'like {mark.regex}'}, got {shown(value)}"
    return None


def shown(value: Any) -> str:
    """The value as the reader wrote it (a secret stays hidden; long ones are cut)."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def given(obj: object) -> frozenset[str]:
    """The dotted paths of the keys the data gave ``obj`` (empty when it keeps none)."""
    paths: frozenset[str] = getattr(obj, "_given", frozenset())
    return paths


def as_data(obj: Any) -> dict[str, Any]:
    """A dataclass as data ``parse`` takes back: the keys it was given where it knows them
    (a ``_given`` field), else every field."""
    data = _data(obj, getattr(obj, "_given", None), "")
    assert isinstance(data, dict)
    return data


def _data(value: Any, only: frozenset[str] | None, prefix: str) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if only is None:
            only = getattr(value, "_given", None)
            prefix = ""
        pairs = [(f.name, getattr(value, f.name)) for f in public_fields(type(value))]
    elif isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list):
        return [_data(v, None, "") for v in value]
    else:
        return value
    return {
        k: _data(v, only, f"{prefix}{k}.")
        for k, v in pairs
        if only is None or f"{prefix}{k}" in only
    }
