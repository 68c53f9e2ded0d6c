"""Cautions: shown once per state directory, and the same list as the README's."""

from __future__ import annotations

import io
import re
from pathlib import Path

from controller.service.cautions import CAUTIONS, show_once, text
from controller.service.paths import StatePaths

README = Path(__file__).resolve().parents[2] / "README.md"


def test_shown_on_the_first_run_only(tmp_path: Path) -> None:
    marker = StatePaths(tmp_path / "state").cautions_marker
    first, second = io.StringIO(), io.StringIO()
    assert show_once(marker, first)
    assert first.getvalue() == text() and marker.exists()
    assert not show_once(marker, second)
    assert second.getvalue() == ""
    marker.unlink()
    assert show_once(marker, io.StringIO())


def test_every_caution_of_the_facts_is_there_and_in_the_readme() -> None:
    shown = " ".join(CAUTIONS).lower()
    readme = re.sub(r"\s+", " ", README.read_text(encoding="utf-8").lower())
    for word in ("pregnant", "blood thinners", "bleeding disorder", "heart disease",
                 "pacemaker", "epilepsy", "thrombosis", "fever", "broken or thin skin",
                 "diabetes", "low blood pressure", "vigorous movement"):  # fmt: skip
        assert word in shown, word
        assert word in readme, word
