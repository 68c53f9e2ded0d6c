"""Real HX711 boards on a Raspberry Pi: frame rate and clock-high windows, from the driver.

The figures `docs/firmware.md` says must be measured on the target. Run on the Pi, boards
wired, with the project's venv:

    .venv/bin/python benchmarks/pi_read.py --pins 5:6,13,19,26,12,16,20,21 --reads 800
    .venv/bin/python benchmarks/pi_read.py --pins 5:6,13,19,26,12,16,20,21 --group-read

``--pins`` is the shared clock pin, a colon, then the data pins (BCM). Uses gpiozero's
default pin factory (lgpio on Bookworm and the Pi 5); ``--group-read`` takes the lgpio fast
path. Without ``--pins`` (as under ``./dev bench`` on a laptop) it prints one line and stops.
The reference is the boards' own rate (``--sps``, 10 or 80): frames/s is printed beside it, and
the CPU per read beside the 2 ms goal for 6 boards on a Pi 4. ``--quick``: 80 reads.
The clock-high window is the driver's own upper bound around each high phase (its clock is
read just before the rising and just after the falling write); it must stay under 60 µs.
"""

from __future__ import annotations

import argparse
import time

from firmware.hx711.driver import HX711Array


def parse_pins(spec: str) -> tuple[int, list[int]]:
    clock_text, _, data_text = spec.partition(":")
    return int(clock_text), [int(p) for p in data_text.split(",") if p]


def measure(clock_pin: int, data_pins: list[int], reads: int, group_read: bool, sps: int) -> None:
    arr = HX711Array(clock_pin, data_pins, ready_timeout=0.5, group_read=group_read)
    try:
        arr.read()  # the discarded power-up conversion
        misses = 0
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(reads):
            misses += sum(v is None for v in arr.read())
        elapsed_s = time.perf_counter() - start
        cpu_s = time.process_time() - cpu_start
    finally:
        arr.close()
    path = "group_read" if group_read else "gpiozero_pins"
    n = len(data_pins)
    print(f"pi_frames_per_s_{path}_{n}_boards {reads / elapsed_s:.1f} frames/s (boards: {sps} SPS)")
    print(
        f"pi_cpu_per_read_{path}_{n}_boards {cpu_s / reads * 1e3:.2f} ms "
        "(goal <= 2 for 6 boards, Pi 4)"
    )
    print(f"pi_longest_clock_high_window_{path} {arr.longest_high_s * 1e6:.1f} us (limit 60)")
    print(f"pi_trains_with_a_long_high_{path} {arr.interrupted_reads} of {reads}")
    print(f"pi_words_dropped_{path} {arr.dropped_words} count")
    print(f"pi_channel_misses_{path} {misses} of {reads * n}")


def main() -> None:
    parser = argparse.ArgumentParser(description="HX711 boards on a real Pi.")
    parser.add_argument("--pins", help="CLK:D1,D2,... (BCM), e.g. 5:6,13,19")
    parser.add_argument("--reads", type=int, default=800, help="frames to read")
    parser.add_argument("--group-read", action="store_true", help="lgpio group_read path")
    parser.add_argument("--sps", type=int, default=10, help="the boards' RATE: 10 or 80")
    parser.add_argument("--quick", action="store_true", help="80 reads")
    args = parser.parse_args()
    if not args.pins:
        print("pi_read skipped (no --pins: run it on a Pi with boards wired)")
        return
    clock_pin, data_pins = parse_pins(args.pins)
    measure(clock_pin, data_pins, 80 if args.quick else args.reads, args.group_read, args.sps)


if __name__ == "__main__":
    main()
