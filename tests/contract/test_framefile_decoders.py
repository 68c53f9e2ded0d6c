"""acumat-frames/1 read the fast way (orjson, the common-frame path) agrees with the careful way.

The careful way is the reader as it always was: the stdlib ``json`` and a check of every field
(``FrameParser._checked``). Every line, good or bad, must give the same frame or the same error
message through ``FrameParser.parse``, with orjson and with the stdlib decoder.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from firmware import framefile
from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileError, FrameParser
from firmware.layout import DEFAULT_LAYOUT

NAMES = DEFAULT_LAYOUT.names
Outcome = ZoneFrame | str


def careful(lines: list[str]) -> list[Outcome]:
    """The reference: stdlib json and every field checked, as the reader always did."""
    parser, out = FrameParser(DEFAULT_LAYOUT), list[Outcome]()
    for no, line in enumerate(lines, start=2):
        try:
            try:
                data = json.loads(line)
            except (ValueError, RecursionError):
                data = framefile._stdlib_json(line, no)
            if not isinstance(data, dict):
                raise FrameFileError(no, "expected a JSON object")
            out.append(parser._checked(data, no))
        except FrameFileError as exc:
            out.append(str(exc))
            parser = FrameParser(DEFAULT_LAYOUT)  # a reader stops at the first error
    return out


def fast(lines: list[str]) -> list[Outcome]:
    parser, out = FrameParser(DEFAULT_LAYOUT), list[Outcome]()
    for no, line in enumerate(lines, start=2):
        try:
            out.append(parser.parse(line, no))
        except FrameFileError as exc:
            out.append(str(exc))
            parser = FrameParser(DEFAULT_LAYOUT)
    return out


def same(a: list[Outcome], b: list[Outcome]) -> bool:
    """Equal outcomes; NaN never reaches a frame, so == on frames is exact."""
    return a == b


DECODERS: dict[str, Callable[[str], Any]] = {"json": json.loads}
if importlib.util.find_spec("orjson") is not None:
    import orjson

    DECODERS["orjson"] = orjson.loads


@pytest.fixture(params=sorted(DECODERS))
def decoder(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(framefile, "_loads", DECODERS[request.param])
    return str(request.param)


def test_orjson_is_the_decoder_when_installed() -> None:
    expected = "orjson" if "orjson" in DECODERS else "json"
    assert expected == framefile.JSON_DECODER


def test_without_orjson_the_stdlib_decodes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now raises ImportError
    spec = importlib.util.spec_from_file_location("framefile_no_orjson", framefile.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    assert module.JSON_DECODER == "json" and module._loads is json.loads
    parser = module.FrameParser(DEFAULT_LAYOUT)
    frame = parser.parse('{"t": 1.5, "zones": {"upper_left": 2.5}}', 2)
    assert frame.t == 1.5 and frame.load_kg[0] == 2.5 and frame.load_kg[1] is None


def full(t: str, first: str, rest: str = "1.5") -> str:
    """A frame line with every zone: the first as given, the others ``rest``."""
    values = [first] + [rest] * (len(NAMES) - 1)
    zones = ", ".join(f'"{n}": {v}' for n, v in zip(NAMES, values, strict=True))
    return f'{{"t": {t}, "zones": {{{zones}}}}}'


EDGE_LINES = [
    full("0.75", "NaN"),
    full("0.8", "-Infinity"),
    full("0.85", "1e400"),
    full("0.9", "1e308", "1e308"),  # finite loads whose sum overflows
    full("0.95", "2"),  # an integer load
    full("0.96", "true"),
    full("0.97", "null"),
    full("1e12", "1.0"),
    full("1.1e12", "1.0"),
    '{"t": 1.0, "zones": {"upper_left": 1.5, "upper_right": 2.0, "middle_left": 3.0, '
    '"middle_right": 4.0, "lower_left": 5.0, "lower_right": 6.0}}',
    '{"t": 2, "zones": {"upper_left": 1}}',  # integers
    '{"t": 3.0, "zones": {"upper_left": NaN, "upper_right": Infinity}}',  # only the stdlib reads
    '{"t": 4.0, "zones": {"upper_left": 1e400}}',  # inf when read: a zone with no reading
    '{"t": 5.0, "zones": {"upper_left": 1e308, "upper_right": 1e308}}',  # the sum overflows
    '{"t": 6.0, "zones": {"upper_left": true}}',
    '{"t": 7.0, "zones": {"upper_left": "7"}}',
    '{"t": 8.0, "zones": {"nowhere": 1.0}}',
    '{"t": 7.5, "zones": {}}',  # backwards
    '{"t": -1e13, "zones": {}}',
    '{"t": 1e13, "zones": {}}',
    '{"t": NaN, "zones": {}}',
    '{"t": true, "zones": {}}',
    '{"t": 9.0, "zones": []}',
    '{"t": 9.0}',
    "[9.0]",
    "{not json",
    '{"t": 9.0, "zones": {}} trailing',
    "[" * 100_000 + "]" * 100_000,
    '{"t": 10.0, "t": 11.0, "zones": {}}',  # a repeated key: the last wins
    '{"t": 12.0, "zones": {"upper_left": 1.0, "upper_left": null}}',
    '{"t": 12.0, "zones": {"upper_left": -0.0}, "extra": [1, {"a": null}]}',
]


@pytest.mark.parametrize("line", EDGE_LINES, ids=range(len(EDGE_LINES)))
def test_each_edge_line_reads_as_it_always_did(decoder: str, line: str) -> None:
    before = ['{"t": 0.5, "zones": {}}']
    assert same(fast([*before, line]), careful([*before, line])), decoder


def test_the_edge_lines_in_one_file_read_as_they_always_did(decoder: str) -> None:
    assert same(fast(EDGE_LINES), careful(EDGE_LINES)), decoder


zone_value = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.text(max_size=3),
)
zone_map = st.dictionaries(st.sampled_from([*NAMES, "other"]), zone_value, max_size=7)
t_value = st.one_of(st.floats(-2e12, 2e12), st.integers(-5, 50), st.none(), st.booleans())
frame_obj = st.fixed_dictionaries({"t": t_value, "zones": zone_map})


def dumps(obj: dict[str, Any]) -> str:
    return json.dumps(obj)  # the stdlib writes NaN and Infinity, as an old file may hold


@settings(max_examples=300, deadline=None)
@given(st.lists(frame_obj, min_size=1, max_size=8))
def test_any_frames_read_the_same_both_ways(objs: list[dict[str, Any]]) -> None:
    lines = [dumps(o) for o in objs]
    for name, loads in DECODERS.items():
        saved = framefile._loads
        framefile._loads = loads
        try:
            assert same(fast(lines), careful(lines)), name
        finally:
            framefile._loads = saved


def test_a_common_frame_takes_the_fast_path() -> None:
    parser = FrameParser(DEFAULT_LAYOUT)
    zones = dict.fromkeys(NAMES, 2.0)
    frame = parser._common({"t": 1.0, "zones": zones})
    assert frame == ZoneFrame(1.0, (2.0,) * len(NAMES))
    assert parser._common({"t": 0.5, "zones": zones}) is None  # backwards: the careful way
    assert parser._common({"t": 2.0, "zones": {**zones, NAMES[0]: math.inf}}) is None
