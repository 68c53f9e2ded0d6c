"""acumat-frames/1: reading, writing, and errors that name the line."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.frame import ZoneFrame
from firmware.framefile import FrameFileError, FrameFileHeader, read_frames, write_frames
from firmware.layout import DEFAULT_LAYOUT

HEADER = json.dumps(
    {
        "type": "header",
        "format": "acumat-frames/1",
        "rate_hz": 10.0,
        "layout": DEFAULT_LAYOUT.to_dict(),
        "truth": {"x": 1},
    }
)


def lines(*frames: str) -> list[str]:
    return [HEADER, *frames]


def test_reads_the_documented_example() -> None:
    header, frames = read_frames(
        lines('{"t": 12.3, "zones": {"upper_left": 5.91, "lower_right": null}, "extra": true}')
    )
    frame = next(frames)
    assert header.layout == DEFAULT_LAYOUT and header.rate_hz == 10.0
    assert header.extra == {"truth": {"x": 1}}
    assert frame.t == 12.3
    assert frame.load_kg[0] == 5.91
    assert frame.load_kg[5] is None and frame.load_kg[1] is None  # missing counts as null


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"t": "soon", "zones": {}}', "line 2: t must be"),
        ('{"t": 1, "zones": {"upper_left": "heavy"}}', "line 2: zone 'upper_left'"),
        ('{"t": 1}', "line 2: a frame needs a zones object"),
        ("[1, 2]", "line 2: expected a JSON object"),
    ],
)
def test_malformed_frames_name_their_line(bad: str, message: str) -> None:
    _, frames = read_frames(lines(bad))
    with pytest.raises(FrameFileError, match=message):
        list(frames)


def test_time_must_not_go_backwards() -> None:
    _, frames = read_frames(lines('{"t": 2, "zones": {}}', '{"t": 1, "zones": {}}'))
    with pytest.raises(FrameFileError, match="line 3: t went backwards"):
        list(frames)


def test_header_is_required() -> None:
    with pytest.raises(FrameFileError, match="line 1: expected a header"):
        read_frames(['{"t": 0, "zones": {}}'])
    with pytest.raises(FrameFileError, match="empty"):
        read_frames([])


loads = st.lists(st.one_of(st.none(), st.floats(-50, 200, allow_nan=False)), min_size=6, max_size=6)


@given(st.lists(loads, min_size=1, max_size=20))
def test_write_then_read_round_trips(rows: list[list[float | None]]) -> None:
    frames = [ZoneFrame(t=i * 0.1, load_kg=tuple(r)) for i, r in enumerate(rows)]
    out = io.StringIO()
    write_frames(out, FrameFileHeader(DEFAULT_LAYOUT, 10.0), frames)
    _, back = read_frames(out.getvalue().splitlines())
    for original, read in zip(frames, back, strict=True):
        assert read.t == pytest.approx(original.t)
        for a, b in zip(original.load_kg, read.load_kg, strict=True):
            assert (a is None and b is None) or (a is not None and b == pytest.approx(a, abs=1e-3))
