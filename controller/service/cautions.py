"""The cautions a user must see before using an acupressure mat, shown once on the first
``acumat run`` (I/O: a marker file ``cautions_shown`` in the state directory says they were).

The list follows FACTS.md ("Cautions to show users") and the README's "Before you use an
acupressure mat", which a test keeps in step with this tuple.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

CAUTIONS: tuple[str, ...] = (
    "Start with short sessions (5-15 min); lie down and get up gently.",
    "Keep your weight evenly spread so the pressure does not gather on a small area.",
    "No vigorous movement on the mat.",
    "Ask a doctor first if you are pregnant,",
    "  take blood thinners or have a bleeding disorder,",
    "  have heart disease or a pacemaker,",
    "  have epilepsy or thrombosis,",
    "  have a fever,",
    "  have broken or thin skin (diabetes included),",
    "  or have low blood pressure.",
)


def text() -> str:
    """The cautions as printed: a heading and one line each."""
    return "\n".join(["Before you use the mat:", *(f"  {line}" for line in CAUTIONS)]) + "\n"


def show_once(marker: Path, out: TextIO) -> bool:
    """Writes the cautions to ``out`` unless the marker says they were shown; true if shown.

    The marker is written only after the text, so a crash in between shows them again.
    """
    if marker.exists():
        return False
    out.write(text())
    out.flush()
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text("the cautions were shown on this machine; delete to show them again\n")
    return True
