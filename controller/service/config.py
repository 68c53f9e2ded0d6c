"""The configuration file (TOML): sections, defaults and one readable line per problem.

Loaded in ``main()``, never at import time. ``load_config`` raises ``ConfigError`` whose
``problems`` are lines like ``session.grace_s: must be >= 0, got -1``, every problem of the
file at once. The sections are frozen dataclasses validated by ``firmware.schema`` (the
core's settings are validated the same way); ``_given`` keeps which keys the file gave.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from annotated_types import Ge, Gt, Le

from controller.core.settings import (
    BalanceSettings,
    BreathingSettings,
    CoreSettings,
    DetectionSettings,
    FaultSettings,
    SessionSettings,
)
from controller.errors import ConfigError
from controller.mqtt.config import MqttConfig
from controller.web.config import WebConfig
from firmware.hwconfig import HARDWARE_KINDS, HardwareConfig
from firmware.layout import DEFAULT_LAYOUT, LayoutError, MatLayout
from firmware.schema import Pattern, Problem, SchemaError, as_data, doc, doc_factory, parse

_M = TypeVar("_M")


def _given() -> Any:
    """Which keys the data gave, as dotted paths (``firmware.schema`` fills it in; not a
    setting: a ``_private`` field is no key of the file)."""
    return field(default=frozenset(), repr=False, compare=False)


@dataclass(frozen=True)
class ZoneConfig:
    name: str = doc(description="Zone name, as in frame files and MQTT.")
    x_m: float = doc(description="Centre across the mat from the user's left, m.")
    y_m: float = doc(description="Centre along the mat from the head end, m.")
    width_m: Annotated[float, Gt(0)] = doc(description="Size across, m.")
    length_m: Annotated[float, Gt(0)] = doc(description="Size along, m.")


@dataclass(frozen=True)
class MatConfig:
    id: Annotated[str, Pattern(r"[A-Za-z0-9_-]{1,64}", "1 to 64 letters, digits, _ or -")] = doc(
        "mat1", "Mat id, used in MQTT topics."
    )
    name: str = doc("Acupressure mat", "Name shown in dashboards.")
    width_m: Annotated[float, Gt(0)] = doc(DEFAULT_LAYOUT.width_m, "Platform width, m.")
    length_m: Annotated[float, Gt(0)] = doc(DEFAULT_LAYOUT.length_m, "Platform length, m.")
    columns: Annotated[int, Ge(1), Le(16)] | None = doc(None, "Grid of equal tiles: columns.")
    rows: Annotated[int, Ge(1), Le(16)] | None = doc(None, "Grid of equal tiles: rows.")
    zones: list[ZoneConfig] | None = doc(None, "Or any set of rectangles.")
    _given: frozenset[str] = _given()

    def __post_init__(self) -> None:
        if self.zones is not None and (self.columns or self.rows):
            raise ValueError("give either columns/rows or zones, not both")
        self.layout()  # raises LayoutError (a ValueError) with the reason

    def layout(self) -> MatLayout:
        if self.zones is not None:
            return MatLayout.from_dict(
                {
                    "width_m": self.width_m,
                    "length_m": self.length_m,
                    "zones": [as_data(z) for z in self.zones],
                }
            )
        if (
            self.columns is None
            and self.rows is None
            and ((self.width_m, self.length_m) == (DEFAULT_LAYOUT.width_m, DEFAULT_LAYOUT.length_m))
        ):
            return DEFAULT_LAYOUT
        return MatLayout.grid(self.columns or 2, self.rows or 3, self.width_m, self.length_m)


SourceKind = Literal["simulate", "file", "hx711", "iio", "adafruit"]


@dataclass(frozen=True)
class SourceConfig:
    kind: SourceKind = doc("simulate", "Where frames come from.")
    scenario: str = doc(
        "relax_session",
        "Simulator scenario (kind=simulate): a name from `acumat simulate --list`,"
        " or 'all' for every scenario in turn.",
    )
    loop: bool = doc(
        False,
        "kind=simulate: start again after the last scenario, time running on,"
        " for a demo that never ends.",
    )
    speed: Annotated[float, Gt(0)] = doc(1.0, "Simulator / file speed-up factor.")
    file: Path | None = doc(None, "Frame file to play (kind=file).")
    rate_hz: Annotated[float, Gt(0), Le(100)] = doc(10.0, "Frames per second.")
    hardware: HardwareConfig | None = doc(
        None, "Boards, pins and calibration (kind = hx711, iio or adafruit)."
    )
    _given: frozenset[str] = _given()

    def __post_init__(self) -> None:
        problems = self._kind_left_out()
        if self.kind == "file" and self.file is None:
            problems.append(((), "kind = 'file' needs file = '<path to an acumat-frames/1 file>'"))
        if self.kind in HARDWARE_KINDS:
            if self.hardware is None:
                problems.append(((), f"kind = {self.kind!r} needs a [source.hardware] table"))
            else:
                problems += [(("hardware",), p) for p in self.hardware.problems_for(self.kind)]
        if problems:
            raise SchemaError(problems)

    def _kind_left_out(self) -> list[Problem]:
        """A frame file or boards given without ``kind``: the file meant them, but the default
        kind would simulate, silently (an explicit ``kind = 'simulate'`` keeps both for later)."""
        if "kind" in self._given:
            return []
        meant = [
            (key, kinds)
            for key, kinds in (("file", "'file'"), ("hardware", "'hx711', 'iio' or 'adafruit'"))
            if any(path == key or path.startswith(f"{key}.") for path in self._given)
        ]
        tail = "add kind to [source] (without it, acumat simulates)"
        return [((key,), f"is used only with kind = {kinds}; {tail}") for key, kinds in meant]

    @property
    def simulated(self) -> bool:
        """A simulated run keeps its own state (``StatePaths.for_source``) and never resumes a
        session saved by another run."""
        return self.kind == "simulate"


def default_state_dir() -> Path:
    """systemd's $STATE_DIRECTORY, else $XDG_STATE_HOME/acumat, else ~/.local/state/acumat."""
    if os.environ.get("STATE_DIRECTORY"):
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "acumat"


@dataclass(frozen=True)
class StorageConfig:
    dir: Path = doc_factory(
        default_state_dir,
        (
            "State directory: history, recordings, session journal, MQTT outbox, calibration"
            " ($STATE_DIRECTORY under systemd, else $XDG_STATE_HOME/acumat, else"
            " ~/.local/state/acumat; made owner-only when acumat makes it)."
        ),
    )
    min_free_mb: Annotated[float, Ge(0)] = doc(
        100.0,
        (
            "Free space, MB, that session recordings leave on the state directory's file"
            " system: the oldest recordings are deleted, then the running one stops, before it"
            " gets less (history rows, the session journal and the MQTT outbox use that room)."
            " 0: no check."
        ),
    )
    recordings_keep: Annotated[int, Ge(0)] = doc(
        50, "Session recordings kept (the newest); 0 records none."
    )
    unusable: Literal["run", "exit"] = doc(
        "run",
        (
            "When the directory cannot be used at start (cannot be made, not a directory, not"
            " writable): 'run' runs without storing (no history, recordings or session journal;"
            " the MQTT outbox in a temporary directory), says so in one log line and in"
            " systemd's status; 'exit' exits with status 2. A directory typed with `acumat run"
            " --state-dir` counts as 'exit' unless the config sets `unusable` (a person is"
            " watching; a typo should stop the run). Under systemd 'exit' restarts"
            " into the same failure until the start limit, and then the mat stays down."
        ),
    )
    _given: frozenset[str] = _given()


@dataclass(frozen=True)
class AppConfig:
    mat: MatConfig = doc_factory(MatConfig, "The mat and its zones.")
    source: SourceConfig = doc_factory(SourceConfig, "Frame source.")
    storage: StorageConfig = doc_factory(StorageConfig, "State.")
    detection: DetectionSettings = doc_factory(DetectionSettings, "")
    session: SessionSettings = doc_factory(SessionSettings, "")
    balance: BalanceSettings = doc_factory(BalanceSettings, "")
    faults: FaultSettings = doc_factory(FaultSettings, "")
    breathing: BreathingSettings = doc_factory(BreathingSettings, "")
    mqtt: MqttConfig | None = doc(None, "Broker; leave out to run without one.")
    web: WebConfig | None = doc(None, "The mat's own web page (docs/web.md).")
    _given: frozenset[str] = _given()

    @property
    def program_given(self) -> bool:
        """True when the config file names the start-up program itself (a simulated
        scenario's own program yields to it)."""
        return self.given("session.program")

    def given(self, path: str) -> bool:
        """True when the file gave ``path`` (``"storage.dir"``), not a default."""
        return path in self._given

    def core(self) -> CoreSettings:
        return CoreSettings(
            detection=self.detection,
            session=self.session,
            balance=self.balance,
            faults=self.faults,
            breathing=self.breathing,
        )


def parse_config(data: dict[str, Any]) -> AppConfig:
    return parse_section(AppConfig, data)


def parse_section(model: type[_M], data: dict[str, Any], where: str = "") -> _M:
    """Validates ``data`` as ``model``; ``ConfigError`` lines are prefixed with ``where``."""
    try:
        return parse(model, data, tuple(where.split(".")) if where else ())
    except SchemaError as exc:
        raise ConfigError(exc.lines()) from None


def load_config(path: Path | None) -> AppConfig:
    """Reads and validates a TOML file; ``None`` gives the defaults."""
    if path is None:
        return parse_config({})
    text = _read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc})"]) from None
    return parse_config(data)


# A real config is a few kB; reading stops here (so /dev/zero or a huge file cannot hang us).
MAX_CONFIG_BYTES = 1 << 20


def _read_text(path: Path) -> str:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read ({exc.strerror})"]) from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError([f"{path}: larger than {MAX_CONFIG_BYTES // 1024} KiB, not a config"])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            [f"{path}: not UTF-8 text (byte {exc.start}: {data[exc.start]:#04x}); save it as UTF-8"]
        ) from None


__all__ = ["AppConfig", "ConfigError", "LayoutError", "load_config", "parse_config"]
