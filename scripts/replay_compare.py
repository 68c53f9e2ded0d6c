"""Replays every library scenario through ``acumat replay --json`` and compares the events with
a stored run (the behaviour check for refactors).

    python scripts/replay_compare.py --save tests/golden/replays.json   # record the reference
    python scripts/replay_compare.py tests/golden/replays.json          # compare against it

Each scenario is written with ``acumat simulate`` (its own seed and layout) and replayed by
the ``acumat`` command itself, process included, so the check covers the whole path a user
takes. Exit 1 lists every scenario whose events differ, with the first difference.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ACUMAT = [sys.executable, "-m", "controller"]


def scenario_names() -> list[str]:
    out = subprocess.run(
        [*ACUMAT, "simulate", "--list"], capture_output=True, text=True, check=True
    )
    return [line.split()[0] for line in out.stdout.splitlines() if line.strip()]


def replay(name: str, workdir: Path) -> list[dict[str, Any]]:
    frames = workdir / f"{name}.jsonl"
    subprocess.run([*ACUMAT, "simulate", name, "--out", str(frames)], check=True,
                   capture_output=True)  # fmt: skip
    out = subprocess.run([*ACUMAT, "replay", str(frames), "--json"], capture_output=True,
                         text=True, check=True)  # fmt: skip
    return [json.loads(line) for line in out.stdout.splitlines()]


def replay_all(names: list[str]) -> dict[str, list[dict[str, Any]]]:
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=2) as pool:
        runs = pool.map(lambda n: replay(n, Path(tmp)), names)
        return dict(zip(names, runs, strict=True))


def first_difference(want: list[dict[str, Any]], got: list[dict[str, Any]]) -> str | None:
    for i, (a, b) in enumerate(zip(want, got, strict=False)):
        if a != b:
            return f"event {i}: was {json.dumps(a)}\n      now {json.dumps(b)}"
    if len(want) != len(got):
        return f"{len(want)} events before, {len(got)} now"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference", type=Path, help="the stored run (JSON)")
    parser.add_argument("--save", action="store_true", help="write the reference instead")
    args = parser.parse_args(argv)
    runs = replay_all(scenario_names())
    if args.save:
        args.reference.parent.mkdir(parents=True, exist_ok=True)
        args.reference.write_text(json.dumps(runs, indent=0, sort_keys=True) + "\n")
        print(f"saved {len(runs)} scenarios, {sum(map(len, runs.values()))} events")
        return 0
    want: dict[str, list[dict[str, Any]]] = json.loads(args.reference.read_text())
    differ = 0
    for name in sorted(set(want) | set(runs)):
        diff = first_difference(want.get(name, []), runs.get(name, []))
        if diff is not None:
            differ += 1
            print(f"{name}: {diff}")
    print(f"{len(runs) - differ} of {len(runs)} scenarios give the same events")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
