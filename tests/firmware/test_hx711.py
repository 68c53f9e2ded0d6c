"""The HX711 driver against the bit-level emulator: values, gains, boards, timeouts, power."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from firmware.clock import FakeClock
from firmware.faults import NOT_READY, SATURATED
from firmware.hx711.driver import (
    OK,
    HX711Array,
    HX711ConfigError,
    decode_24bit,
    encode_24bit,
)
from firmware.hx711.emulator import CountingMockFactory, FakeLgpio, HX711Chip, emulated_array
from firmware.hx711.mockpins import EmulatedClockPin

CLK = 5
DATA = [6, 13, 19, 26, 12, 16, 20, 21]
RATE_S = 1 / 80


def _rig(
    factory: CountingMockFactory, clock: FakeClock, boards: int, **kwargs: object
) -> tuple[list[HX711Chip], HX711Array]:
    chips = emulated_array(
        factory, CLK, DATA[:boards], clock=clock, conversion_s=RATE_S, settle_s=0.05
    )
    arr = HX711Array(CLK, DATA[:boards], pin_factory=factory, clock=clock, **kwargs)  # type: ignore[arg-type]
    return chips, arr


@pytest.mark.parametrize(
    ("counts", "expected", "status"),
    [
        (0, 0, OK),
        (1, 1, OK),
        (-1, -1, OK),
        (0x7FFFFE, 0x7FFFFE, OK),
        (-0x7FFFFF, -0x7FFFFF, OK),
        (0x7FFFFF, 0x7FFFFF, SATURATED),
        (-0x800000, -0x800000, SATURATED),
        (50_000_000, 0x7FFFFF, SATURATED),
        (-50_000_000, -0x800000, SATURATED),
    ],
)
def test_one_board_reads_every_value_bit_for_bit(
    factory: CountingMockFactory, clock: FakeClock, counts: int, expected: int, status: str
) -> None:
    (chip,), arr = _rig(factory, clock, 1)
    chip.counts_a = counts
    assert arr.read() == [expected]
    assert arr.last_status == (status,)
    assert chip.sent[-1] == expected
    assert chip.protocol_errors == 0
    assert chip.dout.reads_while_clock_high == 0


def test_eight_boards_on_one_clock_each_get_their_own_value(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chips, arr = _rig(factory, clock, 8)
    values = [-1, 0, 1, 8_000_000, -8_000_000, 4242, -4242, 0x555555]
    for chip, value in zip(chips, values, strict=True):
        chip.counts_a = value
    assert arr.read() == values
    for chip, value in zip(chips, values, strict=True):
        chip.counts_a = value + 7
    assert arr.read() == [v + 7 for v in values]
    assert all(c.protocol_errors == 0 and c.power_downs == 0 for c in chips)
    assert all(c.dout.reads_while_clock_high == 0 for c in chips)


@pytest.mark.parametrize(("gain", "expected"), [(128, 100_000), (64, 50_000), (32, -777)])
def test_gains_select_channel_and_scale(
    factory: CountingMockFactory, clock: FakeClock, gain: int, expected: int
) -> None:
    (chip,), arr = _rig(factory, clock, 1, gain=gain)
    chip.counts_a, chip.counts_b = 100_000, -777
    assert arr.read() == [expected]
    assert chip.gains[-1] == gain


def test_gain_change_discards_the_old_gain_conversion(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    (chip,), arr = _rig(factory, clock, 1)
    chip.counts_a = 20_000
    assert arr.read() == [20_000]
    arr.gain = 64
    assert arr.read() == [10_000]  # without the discard this would be 20 000 (gain 128)
    assert chip.gains[-2:] == [128, 64]


def test_first_read_after_power_up_is_discarded(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    (chip,), arr = _rig(factory, clock, 1)
    chip.queue = [111, 222]
    assert arr.read() == [222]
    assert chip.sent == [111, 222]


def test_one_dead_board_is_none_while_the_rest_read(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chips, arr = _rig(factory, clock, 6, ready_timeout=0.2)
    for i, chip in enumerate(chips):
        chip.counts_a = 1000 * (i + 1)
    chips[3].dead = True
    start = clock.monotonic()
    values = arr.read()
    # The discarded power-up read is redone for the live boards only: one timeout, not two.
    assert clock.monotonic() - start < 0.2 + 2 * RATE_S
    assert values == [1000, 2000, 3000, None, 5000, 6000]
    assert arr.last_status[3] == NOT_READY


def test_ready_timeout_is_kept_on_the_injected_clock(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chips, arr = _rig(factory, clock, 2, ready_timeout=0.3)
    arr.read()
    chips[1].dead = True
    start = clock.monotonic()
    assert arr.read()[1] is None
    waited = clock.monotonic() - start
    assert 0.3 <= waited < 0.3 + 0.002
    start = clock.monotonic()
    assert arr.read(timeout_s=0.02)[1] is None
    assert clock.monotonic() - start < 0.03


def test_all_boards_dead_reads_nothing_and_sends_no_pulses(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chips = emulated_array(factory, CLK, DATA[:2], clock=clock, dead=True)
    arr = HX711Array(CLK, DATA[:2], pin_factory=factory, clock=clock, ready_timeout=0.05)
    assert arr.read() == [None, None]
    assert chips[0].stray_pulses == 0


def test_power_down_and_up_reset_and_resettle(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    (chip,), arr = _rig(factory, clock, 1, gain=64)
    chip.counts_a = 4000
    assert arr.read() == [2000]
    arr.power_down()
    arr.power_up()
    assert chip.power_downs == 1
    # The chip woke at gain 128; the driver's discarded read sets 64 again.
    assert arr.read() == [2000]
    assert chip.gains[-1] == 64


def test_group_read_fast_path_reads_the_same_values(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chips = emulated_array(factory, CLK, DATA, clock=clock, conversion_s=RATE_S)
    lg = FakeLgpio(factory)
    arr = HX711Array(CLK, DATA, pin_factory=factory, clock=clock, lgpio_module=lg)
    for i, chip in enumerate(chips):
        chip.counts_a = -(i**5)
    arr.read()
    clock.advance(RATE_S)
    lg.calls.clear()
    assert arr.read() == [-(i**5) for i in range(8)]
    assert lg.io_calls <= 2 * 25 + 26
    arr.close()
    assert lg.calls["gpiochip_close"] == 1


@pytest.mark.parametrize("boards", [1, 6, 8])
def test_shared_clock_read_stays_within_the_call_budget(
    factory: CountingMockFactory, clock: FakeClock, boards: int
) -> None:
    _, arr = _rig(factory, clock, boards)
    arr.read()
    clock.advance(RATE_S)
    factory.calls.clear()
    arr.read()
    assert factory.total_calls <= 2 * 25 + 25 * boards


def test_bad_gain_and_repeated_pins_are_refused(factory: CountingMockFactory) -> None:
    with pytest.raises(HX711ConfigError, match="gain"):
        HX711Array(CLK, [6], gain=100, pin_factory=factory)
    with pytest.raises(HX711ConfigError, match="twice: 6"):
        HX711Array(CLK, [6, 6], pin_factory=factory)
    with pytest.raises(HX711ConfigError, match="at least one"):
        HX711Array(CLK, [], pin_factory=factory)


@given(st.integers(min_value=-0x800000, max_value=0x7FFFFF))
def test_24bit_round_trip(value: int) -> None:
    word = encode_24bit(value)
    assert 0 <= word <= 0xFFFFFF
    assert decode_24bit(word) == value


def test_decoding_never_gives_billions() -> None:
    assert decode_24bit(0xFFFFFF) == -1
    assert decode_24bit(0x800000) == -0x800000
    assert encode_24bit(10**9) == 0x7FFFFF


class StallingClockPin(EmulatedClockPin):
    """PD_SCK whose next rising edge is followed by a 1 ms stall, as a preempted process."""

    clock: FakeClock | None = None
    stall_once = False

    def _set_state(self, value: Any) -> None:
        super()._set_state(value)
        if value and self.stall_once and self.clock is not None:
            self.stall_once = False
            self.clock.advance(1e-3)


def test_a_train_preempted_with_the_clock_high_is_dropped_and_reread(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    pin = factory.pin(CLK, pin_class=StallingClockPin)
    pin.clock = clock
    chips, arr = _rig(factory, clock, 2, gain=64)
    chips[0].counts_a, chips[1].counts_a = 2468, -2468
    assert arr.read() == [1234, -1234]
    pin.stall_once = True
    assert arr.read() == [1234, -1234]
    assert chips[0].power_downs == 1
    assert arr.interrupted_reads == 1
    assert arr.dropped_words == 2
    assert arr.longest_high_s >= 1e-3
    assert chips[0].gains[-1] == 64  # back at gain 64 after the power-down reset it to 128


class CrawlingClock(FakeClock):
    """Every read of this clock takes 100 µs: each high phase looks longer than 60 µs."""

    def monotonic(self) -> float:
        self.advance(100e-6)
        return super().monotonic()


def test_a_long_high_keeps_words_that_prove_the_board_kept_shifting(
    factory: CountingMockFactory,
) -> None:
    # The chips run on their own clock and never power down; only the driver sees slowness.
    chips = emulated_array(factory, CLK, DATA[:2], clock=FakeClock())
    chips[0].counts_a, chips[1].counts_a = 2, 3
    arr = HX711Array(CLK, DATA[:2], pin_factory=factory, clock=CrawlingClock())
    values = arr.read()
    # After the last long pulse (the 24th bit) board 0 sent a 0: alive, its word is good.
    # Board 1's last bit is 1, as a powered-down board's would be: it cannot be trusted.
    assert values == [2, None]
    assert arr.last_status == ("ok", "interrupted")
    assert arr.interrupted_reads >= 1 and arr.dropped_words >= 1
    assert all(c.power_downs == 0 for c in chips)
