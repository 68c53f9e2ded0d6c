"""The emulator itself, driven pulse by pulse: it must be a strict chip for the driver tests."""

from __future__ import annotations

import pytest

from firmware.clock import FakeClock
from firmware.hx711.emulator import CountingMockFactory, FakeLgpio, HX711Chip

CLK, DOUT = 5, 6


def _chip(factory: CountingMockFactory, clock: FakeClock, **kwargs: object) -> HX711Chip:
    chip = HX711Chip(factory, CLK, DOUT, clock=clock, **kwargs)  # type: ignore[arg-type]
    chip.clk.function = "output"
    return chip


def _train(chip: HX711Chip, pulses: int, clock: FakeClock, high_s: float = 1e-6) -> int:
    """Bit-bangs one read by hand; returns the 24-bit word sampled after each falling edge."""
    assert not chip.dout.state, "not ready"
    word = 0
    for i in range(pulses):
        chip.clk.state = True
        clock.advance(high_s)
        chip.clk.state = False
        if i < 24:
            word = word << 1 | int(chip.dout.state)
    return word


def test_dout_is_high_until_ready_then_msb_first(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chip = _chip(factory, clock, counts_a=-2, settle_s=0.4, conversion_s=0.0125)
    assert chip.dout.state  # settling after power-up
    clock.advance(0.4)
    assert _train(chip, 25, clock) == 0xFFFFFE
    assert chip.dout.state  # the 25th pulse pulled DOUT high; converting at 80 SPS
    clock.advance(0.0125)
    assert not chip.dout.state


@pytest.mark.parametrize(("pulses", "gain"), [(25, 128), (26, 32), (27, 64)])
def test_the_pulse_count_picks_the_next_gain(
    factory: CountingMockFactory, clock: FakeClock, pulses: int, gain: int
) -> None:
    chip = _chip(factory, clock, counts_a=1000, counts_b=33)
    _train(chip, pulses, clock)
    expected = {128: 1000, 64: 500, 32: 33}[gain]
    assert _train(chip, 25, clock) == expected
    assert chip.gains == [128, gain]
    assert chip.protocol_errors == 0


def test_too_many_pulses_is_a_protocol_error(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chip = _chip(factory, clock)
    _train(chip, 28, clock)
    assert not chip.dout.state
    assert chip.protocol_errors == 1


def test_a_clock_held_high_powers_down_and_resets_to_gain_128(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chip = _chip(factory, clock, counts_a=1000, settle_s=0.05)
    clock.advance(0.05)
    _train(chip, 27, clock)  # next conversion at gain 64
    chip.clk.state = True
    clock.advance(61e-6)
    assert chip.dout.state  # powered down
    chip.clk.state = False
    assert chip.power_downs == 1
    assert chip.longest_high_s == pytest.approx(61e-6)
    assert chip.dout.state  # settling
    clock.advance(0.05)
    assert _train(chip, 25, clock) == 1000  # gain 128 again


def test_a_dead_board_never_gets_ready_and_counts_stray_pulses(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chip = _chip(factory, clock, dead=True)
    clock.advance(10.0)
    assert chip.dout.state
    chip.clk.state = True
    chip.clk.state = False
    assert chip.stray_pulses == 1 and chip.sent == []


def test_noise_is_reproducible_with_a_seed(factory: CountingMockFactory, clock: FakeClock) -> None:
    words = []
    for seed in (7, 7):
        other = CountingMockFactory()
        chip = HX711Chip(other, CLK, DOUT, clock=clock, counts_a=100, noise_counts=50, seed=seed)
        chip.clk.function = "output"
        words.append([_train(chip, 25, clock) for _ in range(5)])
    assert words[0] == words[1]
    assert len(set(words[0])) > 1


def test_counting_pins_and_fake_lgpio_count_calls(
    factory: CountingMockFactory, clock: FakeClock
) -> None:
    chip = _chip(factory, clock, counts_a=5)
    factory.calls.clear()
    _train(chip, 25, clock)
    assert factory.calls == {"write": 50, "read": 25}
    lg = FakeLgpio(factory)
    handle = lg.gpiochip_open(0)
    lg.group_claim_input(handle, [DOUT])
    assert lg.group_read(handle, DOUT) == (1, 0)  # ready again: DOUT low
    assert lg.io_calls == 1
