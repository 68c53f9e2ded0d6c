"""The two test lanes: marks slow tests by what they start, so ``./dev test --fast`` can skip them.

``./dev test --fast`` runs ``pytest -m "not slow"``: the unit tests, in-process on fakes, in
well under a minute. A test is ``slow`` when it starts something real, judged here rather than
by hand so that a new test lands in the right lane by itself:

* a real mosquitto: the ``broker`` marker, or the ``broker`` fixture;
* a child process (acumat itself, pip, the install script, systemd-analyze, openssl): its test
  module imports ``subprocess``;
* the whole scenario library, replayed and scored: everything under ``tests/scenarios/``.

``./dev test`` (CI) runs both lanes.

Hypothesis runs with no deadline: its default (200 ms an example) is a wall-clock assertion,
which fails a correct test on a loaded machine (a property test of the core took 723 ms an
example while two sweeps ran beside it). Speed is measured in ``benchmarks/``, never asserted.
"""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

settings.register_profile("acumat", deadline=None)
settings.load_profile("acumat")

SCENARIO_LIBRARY = Path(__file__).parent / "scenarios"


def _imports_subprocess(module: ModuleType | None) -> bool:
    if module is None:
        return False
    return any(
        value is subprocess or getattr(value, "__module__", None) == "subprocess"
        for value in vars(module).values()
    )


def slow_reason(item: pytest.Item) -> str | None:
    """Why a test belongs to the slow lane, or None for a unit test."""
    if item.get_closest_marker("broker") or "broker" in getattr(item, "fixturenames", ()):
        return "starts a mosquitto"
    if _imports_subprocess(getattr(item, "module", None)):
        return "starts processes"
    if item.path.is_relative_to(SCENARIO_LIBRARY):
        return "replays the scenario library"
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        reason = slow_reason(item)
        if reason is not None:
            item.add_marker(pytest.mark.slow(reason=reason))


@pytest.fixture(autouse=True)
def _root_logging_restored() -> Iterator[None]:
    """A command run in-process (``main(["run", ...])``) replaces the root logger's handlers
    with one on the test's captured stderr, which pytest closes after the test: a thread of a
    later test that logs would then write to a closed stream ("--- Logging error ---").
    Each test gets the root logger back as it found it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
