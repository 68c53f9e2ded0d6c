"""Builds the wiring diagram (SVG, PNG) and the bill of materials (CSV) from acumat-wiring.yml.

The YAML harness is the one source of truth; everything here is generated from it and
committed so a maker needs neither tool. Run from the repository root:

    .venv/bin/pip install -e '.[hardware]'   # WireViz; plus Debian's graphviz (apt)
    .venv/bin/python hardware/schematics/build.py [--bom-only]

``bom_rows`` and ``wiring_pins`` are pure (YAML data in, rows out) so the tests can check the
committed BOM and the pins against the default configuration without WireViz or graphviz.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "acumat-wiring.yml"
BOM_CSV = HERE / "bom.csv"
BOM_HEADER = ("part", "quantity", "specification", "example supplier part")


def load_harness(path: Path = SOURCE) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _supplier_part(item: dict[str, Any]) -> str:
    return " ".join(str(item[k]) for k in ("supplier", "spn") if item.get(k)).strip()


def _cable_spec(cable: dict[str, Any]) -> str:
    spec = f"{cable['wirecount']} x {cable['gauge']} {cable.get('gauge_unit', 'mm2')}"
    spec += f", {cable['length']} m each"
    return spec + (", shielded" if cable.get("shield") else "")


def bom_rows(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(part, quantity, specification, example supplier part), same parts counted once."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for connector in data["connectors"].values():
        counts[(connector["type"], connector.get("subtype", ""), _supplier_part(connector))] += 1
        for extra in connector.get("additional_components", []):
            key = (extra["type"], extra.get("subtype", ""), _supplier_part(extra))
            counts[key] += int(extra.get("qty", 1))
    for cable in data["cables"].values():
        counts[(cable["type"], _cable_spec(cable), _supplier_part(cable))] += 1
    for item in data.get("additional_bom_items", []):
        counts[(item["type"], item.get("subtype", ""), _supplier_part(item))] += int(item["qty"])
    return [(part, str(n), spec, supplier) for (part, spec, supplier), n in counts.items()]


def bom_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BOM_HEADER)
    writer.writerows(bom_rows(data))
    return out.getvalue()


def _bcm(label: str) -> int | None:
    found = re.fullmatch(r"GPIO(\d+)", label)
    return int(found.group(1)) if found else None


def wiring_pins(data: dict[str, Any]) -> dict[str, dict[str, int]]:
    """BCM GPIO per board and signal, e.g. {"upper_left": {"CLK": 5, "DAT": 6}}."""
    pi = data["connectors"]["PI"]
    bcm_of_pin = dict(zip(pi["pins"], (_bcm(str(lb)) for lb in pi["pinlabels"]), strict=True))
    boards: dict[str, dict[str, int]] = {}
    for path in data["connections"]:
        ends = [next(iter(step.items())) for step in path]
        (first, pins), (last, labels) = ends[0], ends[-1]
        if first != "PI" or not str(last).startswith("HX_"):
            continue
        zone = str(last).removeprefix("HX_")
        for pin, label in zip(pins, labels, strict=True):
            bcm = bcm_of_pin[pin]
            if bcm is not None:
                boards.setdefault(zone, {})[str(label)] = bcm
    return boards


def render(formats: str = "sp") -> None:
    """SVG + PNG through WireViz (needs the hardware extra and graphviz's ``dot``)."""
    wireviz = Path(sys.executable).with_name("wireviz")
    subprocess.run([str(wireviz), "-f", formats, "-o", str(HERE), str(SOURCE)], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--bom-only", action="store_true", help="skip the diagram (no WireViz)")
    args = parser.parse_args(argv)
    BOM_CSV.write_text(bom_csv(load_harness()), encoding="utf-8")
    print(f"wrote {BOM_CSV}")
    if not args.bom_only:
        render()
        print(f"wrote {SOURCE.with_suffix('.svg').name} and {SOURCE.with_suffix('.png').name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
