"""The fault-reason vocabulary: one closed set, each reason explained, the docs in step."""

from __future__ import annotations

import re
from pathlib import Path

from controller.core.events import SensorFault
from firmware import faults
from firmware.frame import ZoneFrame

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_reason_has_a_meaning_and_a_constant() -> None:
    assert set(faults.MEANINGS) == set(faults.FAULT_REASONS)
    assert len(set(faults.FAULT_REASONS)) == len(faults.FAULT_REASONS)
    constants = {
        value
        for name, value in vars(faults).items()
        if name.isupper() and isinstance(value, str) and not name.startswith("_")
    }
    assert constants == set(faults.FAULT_REASONS)


def test_read_faults_are_reasons_and_the_typing_sees_them_all() -> None:
    assert set(faults.READ_FAULTS) < set(faults.FAULT_REASONS)
    # Nested Literals flatten: the tuple holds the ten strings, read faults first.
    assert faults.FAULT_REASONS[: len(faults.READ_FAULTS)] == faults.READ_FAULTS
    assert len(faults.FAULT_REASONS) == 10 and all(isinstance(r, str) for r in faults.FAULT_REASONS)
    # The removed firmware despiker's reason is not in the vocabulary any more.
    assert "spike" not in faults.FAULT_REASONS


def test_the_controller_doc_lists_every_reason_with_its_meaning() -> None:
    text = (DOCS / "controller.md").read_text(encoding="utf-8")
    section = text[text.index("### Fault reasons") :]
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([^|]+) \|$", section, flags=re.MULTILINE))
    assert set(rows) == set(faults.FAULT_REASONS)
    for reason, meaning in rows.items():
        assert meaning.replace("`", "") == faults.MEANINGS[reason].replace("`", ""), reason


def test_frames_and_events_carry_the_vocabulary() -> None:
    frame = ZoneFrame(t=0.0, load_kg=(None, 1.0), faults=(faults.STUCK, None))
    assert frame.fault(0) == "stuck" and frame.fault(1) is None
    event = SensorFault(t=1.0, zone="a", active=True, fault=faults.OUT_OF_RANGE)
    assert event.to_dict()["fault"] == "out_of_range"
