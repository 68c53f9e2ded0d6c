"""The near-name suggestion for a scenario that is not in the library (``[source] scenario``,
``acumat run --simulate``, ``acumat simulate``): the names it begins or misspells, else those
sharing a whole word, else difflib's closest; up to three, each a real scenario."""

from __future__ import annotations

import pytest

from controller.service.sources import nearest_names, scenario_problem
from firmware.sim.names import SCENARIO_NAMES


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("relax", ["relax_session", "relax_2x4"]),  # the session before the layout variant
        ("relax_sesion", ["relax_session"]),  # a typo: its name alone
        ("shift_lef", ["shift_left", "shift_left_2x4"]),  # not shift_right
        ("nap", ["cat_nap"]),
        ("Relax_Session", ["relax_session"]),
        ("feet_2x4", ["feet"]),  # more of the name than the "2x4" every variant shares
        ("sittin", ["sitting"]),
    ],
)
def test_the_sensible_names_come_first(typed: str, first: list[str]) -> None:
    offered = nearest_names(typed, SCENARIO_NAMES)
    assert offered[: len(first)] == first
    if typed in {"relax", "relax_sesion", "shift_lef", "nap"}:  # the walk's typos: nothing else
        assert offered == first
    assert 0 < len(offered) <= 3 and set(offered) <= set(SCENARIO_NAMES)
    assert len(set(offered)) == len(offered)


def test_the_problem_line_offers_them_with_where_the_list_is() -> None:
    said = scenario_problem("relax")
    assert said == (
        "unknown scenario 'relax'; did you mean relax_session or relax_2x4?"
        " (acumat simulate --list shows them)"
    )


def test_nothing_near_is_said_plainly() -> None:
    assert nearest_names("xyzzy", SCENARIO_NAMES) == []
    assert nearest_names("", SCENARIO_NAMES) == []
    assert (
        scenario_problem("xyzzy") == "unknown scenario 'xyzzy' (acumat simulate --list shows them)"
    )


def test_a_known_name_is_no_problem() -> None:
    assert scenario_problem("relax_session") is None
    assert scenario_problem("all") is None and scenario_problem("all", every=False) is not None
