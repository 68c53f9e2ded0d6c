"""The configuration file (TOML): sections, defaults and one readable line per problem.

Loaded in ``main()``, never at import time. ``load_config`` raises ``ConfigError`` whose
``problems`` are lines like ``session.grace_s: Input should be greater than or equal to 0``.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

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
from firmware.hwconfig import HARDWARE_KINDS, HardwareConfig, Problem, problems_error
from firmware.layout import DEFAULT_LAYOUT, LayoutError, MatLayout

_M = TypeVar("_M", bound=BaseModel)


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ZoneConfig(_Section):
    name: str = Field(description="Zone name, as in frame files and MQTT.")
    x_m: float = Field(description="Centre across the mat from the user's left, m.")
    y_m: float = Field(description="Centre along the mat from the head end, m.")
    width_m: float = Field(gt=0, description="Size across, m.")
    length_m: float = Field(gt=0, description="Size along, m.")


class MatConfig(_Section):
    id: str = Field(
        "mat1", pattern=r"^[A-Za-z0-9_-]{1,64}$", description="Mat id, used in MQTT topics."
    )
    name: str = Field("Acupressure mat", description="Name shown in dashboards.")
    width_m: float = Field(DEFAULT_LAYOUT.width_m, gt=0, description="Platform width, m.")
    length_m: float = Field(DEFAULT_LAYOUT.length_m, gt=0, description="Platform length, m.")
    columns: int | None = Field(None, ge=1, le=16, description="Grid of equal tiles: columns.")
    rows: int | None = Field(None, ge=1, le=16, description="Grid of equal tiles: rows.")
    zones: list[ZoneConfig] | None = Field(None, description="Or any set of rectangles.")

    @model_validator(mode="after")
    def _one_layout(self) -> MatConfig:
        if self.zones is not None and (self.columns or self.rows):
            raise ValueError("give either columns/rows or zones, not both")
        self.layout()  # raises LayoutError (a ValueError) with the reason
        return self

    def layout(self) -> MatLayout:
        if self.zones is not None:
            return MatLayout.from_dict(
                {
                    "width_m": self.width_m,
                    "length_m": self.length_m,
                    "zones": [z.model_dump() for z in self.zones],
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


class SourceConfig(_Section):
    kind: SourceKind = Field("simulate", description="Where frames come from.")
    scenario: str = Field(
        "relax_session",
        description="Simulator scenario (kind=simulate): a name from `acumat simulate --list`,"
        " or 'all' for every scenario in turn.",
    )
    loop: bool = Field(
        False,
        description="kind=simulate: start again after the last scenario, time running on,"
        " for a demo that never ends.",
    )
    speed: float = Field(1.0, gt=0, description="Simulator / file speed-up factor.")
    file: Path | None = Field(None, description="Frame file to play (kind=file).")
    rate_hz: float = Field(10.0, gt=0, le=100, description="Frames per second.")
    hardware: HardwareConfig | None = Field(
        None, description="Boards, pins and calibration (kind = hx711, iio or adafruit)."
    )

    @model_validator(mode="after")
    def _what_the_kind_needs(self) -> SourceConfig:
        problems: list[Problem] = []
        if self.kind == "file" and self.file is None:
            problems.append(((), "kind = 'file' needs file = '<path to an acumat-frames/1 file>'"))
        if self.kind in HARDWARE_KINDS:
            if self.hardware is None:
                problems.append(((), f"kind = {self.kind!r} needs a [source.hardware] table"))
            else:
                problems += [(("hardware",), p) for p in self.hardware.problems_for(self.kind)]
        if problems:
            raise problems_error(type(self).__name__, problems)
        return self


def default_state_dir() -> Path:
    """systemd's $STATE_DIRECTORY, else $XDG_STATE_HOME/acumat, else ~/.local/state/acumat."""
    if os.environ.get("STATE_DIRECTORY"):
        return Path(os.environ["STATE_DIRECTORY"].split(":")[0])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "acumat"


class StorageConfig(_Section):
    dir: Path = Field(
        default_factory=default_state_dir,
        description=(
            "State directory: history, recordings, session journal, MQTT outbox, calibration"
            " ($STATE_DIRECTORY under systemd, else $XDG_STATE_HOME/acumat, else"
            " ~/.local/state/acumat; made owner-only when acumat makes it)."
        ),
    )
    min_free_mb: float = Field(
        100.0,
        ge=0,
        description=(
            "Free space, MB, that session recordings leave on the state directory's file"
            " system: the oldest recordings are deleted, then the running one stops, before it"
            " gets less (history rows, the session journal and the MQTT outbox use that room)."
            " 0: no check."
        ),
    )
    recordings_keep: int = Field(
        50, ge=0, description="Session recordings kept (the newest); 0 records none."
    )
    unusable: Literal["run", "exit"] = Field(
        "run",
        description=(
            "When the directory cannot be used at start (cannot be made, not a directory, not"
            " writable): 'run' runs without storing (no history, recordings or session journal;"
            " the MQTT outbox in a temporary directory), says so in one log line and in"
            " systemd's status; 'exit' exits with status 2. A directory typed with `acumat run"
            " --state-dir` counts as 'exit' unless the config sets `unusable` (a person is"
            " watching; a typo should stop the run). Under systemd 'exit' restarts"
            " into the same failure until the start limit, and then the mat stays down."
        ),
    )


class AppConfig(_Section):
    mat: MatConfig = Field(default_factory=MatConfig, description="The mat and its zones.")
    source: SourceConfig = Field(default_factory=SourceConfig, description="Frame source.")
    storage: StorageConfig = Field(default_factory=StorageConfig, description="State.")
    detection: DetectionSettings = Field(default_factory=DetectionSettings, description="")
    session: SessionSettings = Field(default_factory=SessionSettings, description="")
    balance: BalanceSettings = Field(default_factory=BalanceSettings, description="")
    faults: FaultSettings = Field(default_factory=FaultSettings, description="")
    breathing: BreathingSettings = Field(default_factory=BreathingSettings, description="")
    mqtt: MqttConfig | None = Field(None, description="Broker; leave out to run without one.")
    web: WebConfig | None = Field(None, description="The mat's own web page (docs/web.md).")
    # Whether the file chose [session] program (a simulated scenario's own program yields).
    _program_given: bool = PrivateAttr(default=False)

    @model_validator(mode="wrap")
    @classmethod
    def _note_program(cls, data: Any, handler: Any) -> AppConfig:
        config: AppConfig = handler(data)
        session = data.get("session") if isinstance(data, dict) else None
        given = isinstance(session, dict) and "program" in session
        config._program_given = given or (isinstance(data, AppConfig) and data.program_given)
        return config

    @property
    def program_given(self) -> bool:
        """True when the config file names the start-up program itself."""
        return self._program_given

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
        return model.model_validate(data)
    except ValidationError as exc:
        raise ConfigError([_problem_line(err, where) for err in exc.errors()]) from None


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


def _problem_line(err: Any, prefix: str = "") -> str:
    where = ".".join([prefix, *(str(p) for p in err["loc"])] if prefix else
                     [str(p) for p in err["loc"]]) or "(top level)"  # fmt: skip
    msg = str(err["msg"]).removeprefix("Value error, ")
    # pydantic says "extra_forbidden" for models, "unexpected_keyword_argument" for dataclasses
    if err["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
        msg = "unknown field (check the spelling)"
    return f"{where}: {msg}"


__all__ = ["AppConfig", "ConfigError", "LayoutError", "load_config", "parse_config"]
