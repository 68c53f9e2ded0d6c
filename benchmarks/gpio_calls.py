"""GPIO calls per frame and the longest clock-high interval, counted on the HX711 emulator.

Prints one figure per line (``name value unit``). Calls are counted through the counting pin
factory (gpiozero pin reads and writes) and a fake lgpio (``gpio_write`` + ``group_read``):
shared clock vs naive one-board-at-a-time vs group read, for 1, 6 and 8 boards, at gain 128
(25 pulses). Budgets from the issue: shared ≤ 2·pulses + 25·N, naive = N·(2·pulses + 25),
group ≤ 2·pulses + 26. The clock-high interval is real time on this machine.

The CPU of one 6-board read at gain 128 is timed here twice, beside the naive threshold's
cost per frame (benchmarks/_reference.py, same run): through the group path with a null lgpio
(calls that return at once: the driver's own Python), and through gpiozero's mock pins with
no chip behind them (the driver plus gpiozero's per-call Python layer). docs/firmware.md turns
these ratios and the per-call costs into the Pi 4 estimate.

On a Raspberry Pi, ``python benchmarks/gpio_calls.py --pi CLOCK DATA [DATA ...]`` (BCM pins)
times the real per-call costs through gpiozero's default factory and lgpio, and, with boards
wired, the frame rate, CPU per read and interrupted trains of real reads. ``--quick``: 20
timed reads instead of 200 (the benchmark-smoke test).
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Any

from gpiozero.pins.mock import MockFactory

from firmware.clock import FakeClock, SystemClock
from firmware.hx711.driver import HX711Array
from firmware.hx711.emulator import CountingMockFactory, FakeLgpio, HX711Chip, emulated_array

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _reference import naive_frame_us

PULSES = 25
CLOCK_PIN = 2
DATA_PINS = [3, 4, 5, 6, 7, 8, 9, 10]
NAIVE_CLOCKS = [11, 12, 13, 14, 15, 16, 17, 18]
TIMED_READS = 200


def _one_read_calls(array: HX711Array, count: Any) -> int:
    array.read()  # the discarded power-up conversion and the first real one
    before = count()
    array.read()
    return int(count() - before)


def shared_calls(boards: int) -> int:
    factory, clock = CountingMockFactory(), FakeClock()
    emulated_array(factory, CLOCK_PIN, DATA_PINS[:boards], clock=clock)
    array = HX711Array(CLOCK_PIN, DATA_PINS[:boards], pin_factory=factory, clock=clock)
    return _one_read_calls(array, lambda: factory.total_calls)


def naive_calls(boards: int) -> int:
    factory, clock = CountingMockFactory(), FakeClock()
    total = 0
    for clk, data in zip(NAIVE_CLOCKS[:boards], DATA_PINS[:boards], strict=True):
        HX711Chip(factory, clk, data, clock=clock)
        array = HX711Array(clk, [data], pin_factory=factory, clock=clock)
        total += _one_read_calls(array, lambda: factory.total_calls)
    return total


def group_calls(boards: int) -> int:
    factory, clock = CountingMockFactory(), FakeClock()
    emulated_array(factory, CLOCK_PIN, DATA_PINS[:boards], clock=clock)
    lgpio = FakeLgpio(factory)
    array = HX711Array(CLOCK_PIN, DATA_PINS[:boards], clock=clock, lgpio_module=lgpio)
    return _one_read_calls(array, lambda: lgpio.io_calls)


class NullLgpio:
    """lgpio's calls the driver makes, answering at once: every DOUT low (ready), bits 0."""

    def __getattr__(self, name: str) -> Any:
        return lambda *args, **kwargs: 0

    def group_read(self, handle: int, gpio: int) -> tuple[int, int]:
        return 6, 0


def driver_cpu_us(group: bool, boards: int = 6, reads: int = 500) -> float:
    """CPU µs of one read with GPIO calls that cost nothing (group) or gpiozero's mock layer."""
    if group:
        array = HX711Array(CLOCK_PIN, DATA_PINS[:boards], lgpio_module=NullLgpio())
    else:
        factory = MockFactory()
        array = HX711Array(CLOCK_PIN, DATA_PINS[:boards], pin_factory=factory)
        for pin in DATA_PINS[:boards]:
            factory.pin(pin).drive_low()  # every board ready, every bit 0
    array.read()
    start = time.process_time()
    for _ in range(reads):
        array.read()
    elapsed_s = time.process_time() - start
    array.close()
    return elapsed_s / reads * 1e6


def clock_high_figures(
    boards: int, group: bool, timed_reads: int = TIMED_READS
) -> tuple[list[float], float, int]:
    """(sorted clock-high times, mean read time, power-downs) over real-time reads."""
    factory = CountingMockFactory()
    chips = emulated_array(factory, CLOCK_PIN, DATA_PINS[:boards], clock=SystemClock())
    lgpio = FakeLgpio(factory) if group else None
    pin_factory = None if group else factory
    array = HX711Array(CLOCK_PIN, DATA_PINS[:boards], pin_factory=pin_factory, lgpio_module=lgpio)
    array.read()
    for chip in chips:
        chip.longest_high_s, chip.power_downs = 0.0, 0
    chips[0].high_times_s = []
    start = time.perf_counter()
    for _ in range(timed_reads):
        array.read()
    per_read_s = (time.perf_counter() - start) / timed_reads
    return (
        sorted(chips[0].high_times_s),
        per_read_s,
        # Every chip on the line sees the same long pulse: count pulses, not chips.
        max(c.power_downs for c in chips),
    )


def on_a_pi(clock_pin: int, data_pins: list[int], frames: int = 80) -> None:
    """Real pins: per-call costs, then real reads (boards wired) at the boards' own rate."""
    from gpiozero import Device

    Device.ensure_pin_factory()
    factory = Device.pin_factory
    clk, data = factory.pin(clock_pin), factory.pin(data_pins[0])
    clk.function, data.function = "output", "input"
    start = time.perf_counter()
    for _ in range(1000):
        clk.state = True
        clk.state = False
    print(f"pi_clock_pulse_gpiozero {(time.perf_counter() - start) * 1e3:.1f} us per pulse")
    start = time.perf_counter()
    for _ in range(1000):
        _ = data.state
    print(f"pi_data_read_gpiozero {(time.perf_counter() - start) * 1e3:.1f} us per read")
    clk.close()
    data.close()
    try:
        import lgpio  # noqa: F401
    except ImportError:
        print("pi_group_read unavailable (lgpio is not installed)")
        groups = [False]
    else:
        groups = [False, True]
    for group in groups:
        array = HX711Array(clock_pin, data_pins, group_read=group, ready_timeout=0.2)
        array.read()
        start, cpu_start = time.perf_counter(), time.process_time()
        got = sum(all(v is not None for v in array.read()) for _ in range(frames))
        cpu_ms = (time.process_time() - cpu_start) / frames * 1e3
        path = "group_read" if group else "gpiozero_pins"
        print(f"pi_frames_per_s_{path} {frames / (time.perf_counter() - start):.1f} ({got} full)")
        print(
            f"pi_cpu_per_read_{path}_{len(data_pins)}_boards {cpu_ms:.2f} ms (goal <= 2 on a Pi 4)"
        )
        print(f"pi_interrupted_reads_{path} {array.interrupted_reads} of {frames}")
        array.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pi", nargs="+", type=int, metavar="PIN", help="CLOCK DATA [DATA ...]")
    parser.add_argument("--quick", action="store_true", help="20 timed reads, not 200")
    args = parser.parse_args()
    print(f"machine {platform.machine()} python {platform.python_version()}")
    if args.pi:
        on_a_pi(args.pi[0], args.pi[1:])
        return
    for n in (1, 6, 8):
        print(
            f"shared_clock_calls_{n}_boards {shared_calls(n)} calls (budget {2 * PULSES + 25 * n})"
        )
        print(f"naive_calls_{n}_boards {naive_calls(n)} calls (= {n * (2 * PULSES + 25)})")
        print(f"group_read_calls_{n}_boards {group_calls(n)} calls (budget {2 * PULSES + 26})")
    reference_us = naive_frame_us()
    print(f"reference_naive_frame_us {reference_us:.3f} us (benchmarks/_reference.py, same run)")
    for group in (True, False):
        path = "group_read" if group else "gpiozero_pins"
        cpu_us = driver_cpu_us(group)
        what = "GPIO calls free" if group else "gpiozero's mock pins, no chip"
        ratio = cpu_us / reference_us
        print(
            f"driver_cpu_per_read_{path}_6_boards {cpu_us:.1f} us "
            f"(= {ratio:.0f} x the naive frame; {what})"
        )
    timed_reads = 20 if args.quick else TIMED_READS
    for group in (False, True):
        path = "group_read" if group else "gpiozero_pins"
        highs_s, read_s, downs = clock_high_figures(8, group, timed_reads)
        for name, q in (("median", 0.5), ("p99", 0.99)):
            value_us = highs_s[int(q * (len(highs_s) - 1))] * 1e6
            print(f"clock_high_{name}_{path}_8_boards {value_us:.1f} us")
        print(f"clock_high_longest_{path}_8_boards {highs_s[-1] * 1e6:.1f} us (limit 60)")
        print(f"emulated_read_time_{path}_8_boards {read_s * 1e3:.2f} ms")
        pulses = timed_reads * PULSES
        print(f"clock_high_over_60us_{path}_8_boards {downs} of {pulses} pulses")


if __name__ == "__main__":
    main()
