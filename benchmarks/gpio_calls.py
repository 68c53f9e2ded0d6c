"""GPIO calls per frame for the HX711 driver, and the longest clock-high interval here.

Counts go through the counting pin factory (every pin ``state`` read or write is one call) and,
for the lgpio fast path, through a fake lgpio module that counts ``gpio_write`` and
``group_read``. Compared: the shared-clock read (all boards on one clock line), the naive read
(each board on its own clock, read one after another) and the group-read path. The longest
clock-high interval is measured in real time on this machine with the emulator on the system
clock. Prints one figure per line: ``name value unit``.
"""

from __future__ import annotations

import argparse
import platform
import time

from firmware.clock import FakeClock, SystemClock
from firmware.hx711 import PULSES_FOR_GAIN, HX711Array
from firmware.hx711_emulator import CountingMockFactory, FakeLgpio, emulated_array

DATA_PINS = [6, 13, 19, 26, 12, 16, 20, 21]
NAIVE_CLOCKS = [5, 22, 23, 24, 25, 27, 17, 4]
SHARED_CLOCK = 5
PULSES = PULSES_FOR_GAIN[128]
PERIOD_S = 1 / 80
REAL_READS = 1000


def shared_clock_calls(boards: int) -> int:
    clock, factory = FakeClock(), CountingMockFactory()
    emulated_array(factory, SHARED_CLOCK, DATA_PINS[:boards], clock=clock, conversion_s=PERIOD_S)
    arr = HX711Array(SHARED_CLOCK, DATA_PINS[:boards], pin_factory=factory, clock=clock)
    arr.read()  # the discarded power-up read
    clock.advance(PERIOD_S)
    factory.calls.clear()
    arr.read()
    return factory.total_calls


def naive_calls(boards: int) -> int:
    clock, factory = FakeClock(), CountingMockFactory()
    arrays = []
    for clk, data in zip(NAIVE_CLOCKS[:boards], DATA_PINS[:boards], strict=True):
        emulated_array(factory, clk, [data], clock=clock, conversion_s=PERIOD_S)
        arrays.append(HX711Array(clk, [data], pin_factory=factory, clock=clock))
    for arr in arrays:
        arr.read()
    clock.advance(PERIOD_S)
    factory.calls.clear()
    for arr in arrays:
        arr.read()
    return factory.total_calls


def group_read_calls(boards: int) -> int:
    clock, factory = FakeClock(), CountingMockFactory()
    emulated_array(factory, SHARED_CLOCK, DATA_PINS[:boards], clock=clock, conversion_s=PERIOD_S)
    lg = FakeLgpio(factory)
    arr = HX711Array(SHARED_CLOCK, DATA_PINS[:boards], clock=clock, lgpio_module=lg)
    arr.read()
    clock.advance(PERIOD_S)
    lg.calls.clear()
    arr.read()
    return lg.io_calls


def longest_clock_high_s(boards: int, reads: int) -> tuple[float, int, int, float]:
    """Real-time run: longest high seen by any chip, power-downs of board 0, trains the
    driver flagged as interrupted, seconds per read."""
    factory = CountingMockFactory()
    chips = emulated_array(factory, SHARED_CLOCK, DATA_PINS[:boards], clock=SystemClock())
    arr = HX711Array(SHARED_CLOCK, DATA_PINS[:boards], pin_factory=factory)
    start = time.perf_counter()
    for _ in range(reads):
        arr.read()
    per_read_s = (time.perf_counter() - start) / reads
    longest_s = max(c.longest_high_s for c in chips)
    return longest_s, chips[0].power_downs, arr.interrupted_reads, per_read_s


def on_real_pins(spec: str, reads: int) -> None:
    """``--pins CLK:D1,D2,...`` on a Pi: the default pin factory, real boards, real time."""
    clock_text, data_text = spec.split(":")
    data = [int(p) for p in data_text.split(",")]
    arr = HX711Array(int(clock_text), data, ready_timeout=0.5)
    arr.read()
    start = time.perf_counter()
    misses = 0
    for _ in range(reads):
        misses += sum(v is None for v in arr.read())
    elapsed_s = time.perf_counter() - start
    arr.close()
    print(f"real_frames_per_s_{len(data)}_boards {reads / elapsed_s:.1f} frames/s")
    print(f"real_longest_clock_high_window {arr.longest_high_s * 1e6:.1f} us")
    print(f"real_interrupted_trains {arr.interrupted_reads} count")
    print(f"real_channel_misses {misses} count")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pins", help="on a Pi: CLK:D1,D2,... (BCM) to read real boards")
    parser.add_argument("--reads", type=int, default=800, help="frames to read with --pins")
    args = parser.parse_args()
    if args.pins:
        on_real_pins(args.pins, args.reads)
        return
    print(f"machine {platform.machine()} {platform.processor() or platform.node()}")
    print(f"python {platform.python_version()}")
    for boards in (1, 6, 8):
        print(f"shared_clock_calls_{boards}_boards {shared_clock_calls(boards)} calls/frame")
        print(f"shared_clock_bound_{boards}_boards {2 * PULSES + 25 * boards} calls/frame")
        print(f"naive_calls_{boards}_boards {naive_calls(boards)} calls/frame")
        print(f"naive_formula_{boards}_boards {boards * (2 * PULSES + 25)} calls/frame")
        print(f"group_read_calls_{boards}_boards {group_read_calls(boards)} calls/frame")
        print(f"group_read_bound_{boards}_boards {2 * PULSES + 26} calls/frame")
    high_s, power_downs, flagged, per_read_s = longest_clock_high_s(8, reads=REAL_READS)
    print(f"longest_clock_high_8_boards {high_s * 1e6:.1f} us")
    print(f"power_downs_in_{REAL_READS}_reads_8_boards {power_downs} count")
    print(f"trains_flagged_interrupted_by_driver {flagged} count")
    print(f"emulated_read_time_8_boards {per_read_s * 1e3:.2f} ms/frame")


if __name__ == "__main__":
    main()
