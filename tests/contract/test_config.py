"""The configuration file: defaults, one readable line per problem, docs kept true."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.service.config import ConfigError, load_config, parse_config
from controller.service.configdoc import render
from firmware.layout import DEFAULT_LAYOUT

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_run_the_default_mat() -> None:
    config = load_config(None)
    assert config.mat.layout() == DEFAULT_LAYOUT
    assert config.mqtt is None and config.session.program == "relax"
    assert config.session.programs["cellulite"].max_s == 1800


def test_a_grid_and_custom_zones() -> None:
    grid = parse_config({"mat": {"columns": 2, "rows": 4, "width_m": 0.6, "length_m": 1.8}})
    assert len(grid.mat.layout().zones) == 8
    custom = parse_config(
        {
            "mat": {
                "width_m": 0.5,
                "length_m": 1.0,
                "zones": [
                    {"name": "head", "x_m": 0.25, "y_m": 0.25, "width_m": 0.5, "length_m": 0.5},
                    {"name": "hips", "x_m": 0.25, "y_m": 0.75, "width_m": 0.5, "length_m": 0.5},
                ],
            }
        }
    )
    assert custom.mat.layout().names == ("head", "hips")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (
            {"session": {"grace_s": -1}},
            "session.grace_s: must be >= 0, got -1",
        ),
        ({"session": {"program": "yoga"}}, "session: program 'yoga' is not one of"),
        ({"balance": {"alert_imbalance": 0.1}}, "balance: clear_imbalance must be below"),
        ({"mat": {"id": "my mat"}}, "mat.id: must be 1 to 64 letters, digits, _ or -, got 'my"),
        ({"mat": {"colour": "red"}}, "mat.colour: unknown field"),
        ({"detection": {"person_kg": 10}}, "detection: leave_kg must be below person_kg"),
        ({"source": {"kind": "file"}}, "source: kind = 'file' needs file"),
        # the file meant a frame file or boards; the default kind would simulate, silently
        ({"source": {"file": "night.jsonl"}}, "source.file: is used only with kind = 'file'"),
        (
            {
                "mat": {
                    "zones": [
                        {"name": "a", "x_m": 0.9, "y_m": 0.1, "width_m": 0.2, "length_m": 0.2}
                    ]
                }
            },
            "mat: zone 'a' reaches outside",
        ),
    ],
)
def test_each_problem_names_its_field(data: dict[str, object], line: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(data)
    assert any(p.startswith(line) for p in caught.value.problems), caught.value.problems


def test_boards_without_a_kind_are_not_simulated(tmp_path: Path) -> None:
    example = (Path(__file__).parents[2] / "config" / "config.toml").read_text()
    assert 'kind = "hx711"\n' in example
    path = tmp_path / "no_kind.toml"
    path.write_text(example.replace('kind = "hx711"\n', "", 1))
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.problems == [
        "source.hardware: is used only with kind = 'hx711', 'iio' or 'adafruit'; add kind to"
        " [source] (without it, acumat simulates)"
    ]


def test_kind_given_keeps_a_file_for_later() -> None:
    config = parse_config({"source": {"kind": "simulate", "file": "night.jsonl"}})
    assert config.source.simulated


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text("[session]\ngrace_s = -1\n[balance]\ndwell_s = 'long'\n")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert len(caught.value.problems) == 2


def test_unreadable_and_invalid_toml_say_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path / "missing.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[mat\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(broken)


def test_a_config_that_is_not_utf8_or_is_huge_is_one_line(tmp_path: Path) -> None:
    latin = tmp_path / "latin1.toml"
    latin.write_bytes('[mat]\nname = "Schlafzimmer \u00fc"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="not UTF-8 text") as caught:
        load_config(latin)
    assert len(caught.value.problems) == 1
    huge = tmp_path / "huge.toml"
    huge.write_bytes(b"# " + b"x" * (2 << 20) + b"\n")
    with pytest.raises(ConfigError, match="larger than 1024 KiB"):
        load_config(huge)
    with pytest.raises(ConfigError, match="larger than"):  # a device that never ends
        load_config(Path("/dev/zero"))


def test_overlapping_zones_in_a_config_name_the_field() -> None:
    zones = [
        {"name": "a", "x_m": 0.125, "y_m": 0.2, "width_m": 0.25, "length_m": 0.4},
        {"name": "b", "x_m": 0.2, "y_m": 0.2, "width_m": 0.25, "length_m": 0.4},
    ]
    with pytest.raises(ConfigError) as caught:
        parse_config({"mat": {"zones": zones}})
    (line,) = caught.value.problems
    assert line.startswith("mat: zones 'a' and 'b' overlap (18 x 40 cm)")


def test_configuration_doc_matches_the_models() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert doc == render(), "run: python -m controller.service.configdoc > docs/configuration.md"


def test_readme_names_the_two_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "./dev simulate" in readme and "./dev test" in readme
    assert "./dev test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_document_the_readme_links_exists() -> None:
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    links = re.findall(r"\]\(((?:docs|scripts)/[^)#]+)\)", readme)
    assert len(links) >= 10
    assert [link for link in links if not (ROOT / link).exists()] == []
