"""Renders docs/configuration.md from the configuration models, so the doc cannot drift.

``python -m controller.service.configdoc > docs/configuration.md`` rewrites it; a test compares.
"""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

from controller.core.settings import (
    BalanceSettings,
    BreathingSettings,
    DetectionSettings,
    FaultSettings,
    ProgramSettings,
    SessionSettings,
)
from controller.mqtt.config import MqttConfig
from controller.service.config import AppConfig, MatConfig, SourceConfig, StorageConfig
from firmware.filters import FilterSettings
from firmware.hwconfig import HardwareConfig, ZoneHardware
from firmware.schema import hints, public_fields

_INTRO = """# Configuration

`acumat run --config FILE` reads a TOML file; every section and field is optional and has the
default shown. A bad file stops acumat with one line per problem, naming the field, e.g.
`acumat: config: session.grace_s: must be >= 0, got -1`. Leave out
`[mqtt]` to run without a broker (console and history only).

```toml
[mat]
id = "bedroom"

[session]
program = "relax"
grace_s = 60

[session.programs.relax]
target_s = 900          # 15 minutes instead of 20

[mqtt]
host = "homeassistant.local"
```

This page is generated from the models (`python -m controller.service.configdoc`); a test checks
that it matches them.
"""


Section = type[Any]  # a dataclass the config validates (firmware.schema)


def _sections() -> list[tuple[str, Section]]:
    sections: list[tuple[str, Section]] = [
        ("mat", MatConfig),
        ("source", SourceConfig),
        ("source.hardware", HardwareConfig),
        ("source.hardware.zones.NAME", ZoneHardware),
        ("source.hardware.filters", FilterSettings),
        ("storage", StorageConfig),
        ("detection", DetectionSettings),
        ("session", SessionSettings),
        ("session.programs.NAME", ProgramSettings),
        ("balance", BalanceSettings),
        ("faults", FaultSettings),
        ("breathing", BreathingSettings),
        ("mqtt", MqttConfig),
    ]
    known = {name.split(".")[0] for name, _ in sections}
    extra = [f.name for f in public_fields(AppConfig) if f.name not in known]
    sections += [(n, _model_of(n)) for n in extra]
    return sections


def _model_of(name: str) -> Section:
    annotation = hints(AppConfig)[name]
    for candidate in typing.get_args(annotation) or (annotation,):
        if dataclasses.is_dataclass(candidate):
            return typing.cast(Section, candidate)
    raise TypeError(f"section {name} is not a dataclass")


def _rows(model: Section) -> list[tuple[str, str, str]]:
    """(field, default, meaning) for each field a section's table may give."""
    return [
        (f.name, _default(model, f), str(f.metadata.get("description", "")))
        for f in public_fields(model)
    ]


def _default(model: Section, f: dataclasses.Field[Any]) -> str:
    if f.default_factory is not dataclasses.MISSING:
        nested = dataclasses.is_dataclass(_inner(hints(model)[f.name]))
        return "(see below)" if nested or f.name == "programs" else "(computed)"
    return "required" if f.default is dataclasses.MISSING else f"`{f.default}`"


def _inner(hint: Any) -> Any:
    """The type inside ``Annotated[...]``."""
    return typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint


def render() -> str:
    parts = [_INTRO]
    for name, model in _sections():
        parts.append(f"\n## [{name}]\n\n| field | default | meaning |\n| --- | --- | --- |\n")
        for field_name, default, meaning in _rows(model):
            parts.append(f"| `{field_name}` | {default} | {meaning.replace('|', '/')} |\n")
    parts.append(_programs())
    return "".join(parts)


def _programs() -> str:
    rows = [
        "\n## Programs (defaults)\n\n| program | target | starts on | warn | max |\n",
        "| --- | --- | --- | --- | --- |\n",
    ]
    for name, p in SessionSettings().programs.items():
        rows.append(
            f"| `{name}` | {_minutes(p.target_s)} | {p.trigger} | {_minutes(p.warn_s)}"
            f" | {_minutes(p.max_s)} |\n"
        )
    return "".join(rows)


def _minutes(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds / 60:g} min"


if __name__ == "__main__":  # pragma: no cover
    print(render(), end="")
