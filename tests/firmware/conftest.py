"""Shared fixtures for the firmware tests: a fake clock and a fresh mock pin factory."""

from __future__ import annotations

import pytest

from firmware.clock import FakeClock
from firmware.hx711.emulator import CountingMockFactory


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def factory() -> CountingMockFactory:
    return CountingMockFactory()
