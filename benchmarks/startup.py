"""How fast ``acumat`` starts, beside the bare interpreter measured in the same run (issue 13).

``python benchmarks/startup.py [--quick] [--runs N]``. Each command runs as a fresh
``python -m controller ...`` of this interpreter (this checkout first on ``PYTHONPATH``),
round after round, the bare ``python -c pass`` in every round too, so a busy machine slows
both alike; one line a command: best and median wall time in ms and best/bare. The project's
bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``, after one warm-up round), as on an
installed mat; ``PYTHONDONTWRITEBYTECODE`` is dropped for the children. Then, per command, the
heavy modules it loads (numpy, pydantic, paho, matplotlib), read from ``-X importtime``.
Target: ``--help`` of acumat and of each subcommand, and ``check-config``, at most 5 × bare;
the reference line shows what the config's validator alone costs (``firmware.schema``: import
it, validate one small dataclass), the floor under ``check-config``. pydantic, which did that
job until issue 13, cost 94–99 ms (5.3–5.4 × bare) for the same on the development machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_CONFIG = ROOT / "config" / "config.toml"
HEAVY = ("numpy", "pydantic", "paho", "matplotlib")  # pydantic: none may bring it back
BUDGET_X = 5.0
OTHER_SUBCOMMANDS = ("simulate", "calibrate", "tare", "report", "monitor", "history")
# The least a config check costs: import the validator, declare one section, validate.
SCHEMA_FLOOR = (
    "from dataclasses import dataclass\n"
    "from firmware.schema import parse\n"
    "@dataclass(frozen=True)\n"
    "class Section:\n"
    "    x: int = 1\n"
    "parse(Section, {'x': 2})\n"
)


def commands(defaults: Path) -> dict[str, list[str]]:
    """Label → the arguments after ``python``; the first is the reference."""
    acumat = ["-m", "controller"]
    table = {
        "bare python -c pass": ["-c", "pass"],
        "reference: firmware.schema, one dataclass validated": ["-c", SCHEMA_FLOOR],
        "acumat --help": [*acumat, "--help"],
        "acumat check-config (example config)": [*acumat, "check-config", str(EXAMPLE_CONFIG)],
        "acumat check-config (defaults)": [*acumat, "check-config", str(defaults)],
        "acumat run --help": [*acumat, "run", "--help"],
        "acumat replay --help": [*acumat, "replay", "--help"],
        "acumat check-config --help": [*acumat, "check-config", "--help"],
    }
    for name in OTHER_SUBCOMMANDS:
        table[f"acumat {name} --help"] = [*acumat, name, "--help"]
    return table


def child_env(pycache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def once_ms(args: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, check=False,
    )  # fmt: skip
    return (time.perf_counter() - start) * 1000


def timings(
    table: dict[str, list[str]], env: dict[str, str], runs: int, cwd: Path
) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {label: [] for label in table}
    for _ in range(runs):  # round-robin: load on the machine hits every command alike
        for label, args in table.items():
            times[label].append(once_ms(args, env, cwd))
    return times


def heavy_modules(args: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    """The heavy top-level packages this command imports, from ``-X importtime``."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *args], env=env, cwd=cwd, capture_output=True,
        text=True, check=False,
    )  # fmt: skip
    loaded = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and line.count("|") == 2:
            loaded.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return [name for name in HEAVY if name in loaded]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds (a smoke test)")
    parser.add_argument("--runs", type=int, default=20, help="rounds (default 20)")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else max(1, args.runs)
    with tempfile.TemporaryDirectory(prefix="acumat-startup-") as tmp:
        work = Path(tmp)
        defaults = work / "defaults.toml"
        defaults.write_text("# every setting at its default\n", encoding="utf-8")
        env = child_env(work / "pycache")
        # check-config prints the state directory it resolves: keep it in the throwaway dir.
        env["XDG_STATE_HOME"] = str(work / "state")
        env.pop("STATE_DIRECTORY", None)
        table = commands(defaults)
        timings(table, env, 1, work)  # warm-up: writes the bytecode
        times = timings(table, env, runs, work)
        bare_best = min(times["bare python -c pass"])
        bare_median = statistics.median(times["bare python -c pass"])
        print(f"python {sys.version.split()[0]} ({sys.executable}), {runs} rounds, "
              f"budget {BUDGET_X:g} x bare")  # fmt: skip
        for label, args_ in table.items():
            best, median = min(times[label]), statistics.median(times[label])
            plain = label.startswith(("bare", "reference"))
            heavy = "-" if plain else ",".join(heavy_modules(args_, env, work))
            print(f"{label}: best {best:.1f} ms ({best / bare_best:.1f} x bare), "
                  f"median {median:.1f} ms ({median / bare_median:.1f} x bare), "
                  f"heavy modules: {heavy or 'none'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
