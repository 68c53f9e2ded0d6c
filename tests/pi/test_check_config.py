"""``acumat check-config``: every problem with its field path, exit 1; ok files exit 0."""

from __future__ import annotations

from pathlib import Path

import pytest

from controller.cli import main

ROOT = Path(__file__).resolve().parents[2]


def _check(tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    code = main(["check-config", str(path)])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_shipped_config_is_ok(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check-config", str(ROOT / "config" / "config.toml")])
    out = capsys.readouterr().out
    assert code == 0
    assert out.strip().endswith("ok (mat mat1, 6 zones, source hx711, mqtt off)")
    assert out.startswith("state directory: ")


def test_every_problem_is_listed_with_its_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, text = _check(
        tmp_path,
        '[mat]\nid = "a b"\ncolour = 1\n[session]\ngrace_s = -1\n[mqtt]\nport = 0\n'
        "[detection]\nperson_kg = 10\nleave_kg = 12\n",
        capsys,
    )
    assert code == 1
    lines = text.strip().splitlines()
    fields = [line.split(": ")[1] for line in lines[:-1]]
    assert sorted(fields) == [
        "detection",
        "mat.colour",
        "mat.id",
        "mqtt.port",
        "session.grace_s",
    ]
    assert "unknown field" in text
    assert "leave_kg must be below person_kg" in text
    assert lines[-1].endswith("5 problem(s)")


def test_bad_hardware_pins_name_the_zone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (ROOT / "config" / "config.toml").read_text(encoding="utf-8")
    code, out = _check(tmp_path, text.replace("data_pin = 20", "data_pin = 40"), capsys)
    assert code == 1
    assert "source.hardware.zones.lower_right.data_pin: " in out


def test_missing_files_are_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ca = tmp_path / "ca.pem"
    ca.write_text("x", encoding="utf-8")
    code, out = _check(
        tmp_path,
        f'[mqtt]\nusername = "mat"\npassword_file = "{tmp_path}/nope"\ntls_ca = "{ca}"\n',
        capsys,
    )
    assert code == 1
    assert f"mqtt.password_file: no such file: {tmp_path}/nope" in out
    assert "tls_ca" not in out


def test_a_systemd_credential_is_not_checked_here(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _check(
        tmp_path,
        '[mqtt]\nusername = "mat"\n'
        'password_file = "/run/credentials/acumat.service/mqtt_password"\n',
        capsys,
    )
    assert code == 0, out


def test_not_toml_and_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _check(tmp_path, "[mat\n", capsys)
    assert code == 1
    assert "not valid TOML" in out
    assert main(["check-config", str(tmp_path / "absent.toml")]) == 1
    assert "cannot read" in capsys.readouterr().err


def _shipped(**replace: str) -> str:
    text = (ROOT / "config" / "config.toml").read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    return text


def _run(path: Path, state: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["run", "--config", str(path), "--state-dir", str(state), "--quiet"])
    return code, capsys.readouterr().err


def test_a_misspelt_zone_fails_check_config_with_the_line_run_refuses_with(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _shipped(**{"zones.upper_left]": "zones.upper_lft]"})
    text += f'[storage]\ndir = "{tmp_path / "state"}"\n'
    code, out = _check(tmp_path, text, capsys)
    assert code == 1
    typo = "source.hardware.zones.upper_lft: not a zone of the mat; did you mean upper_left?"
    assert typo in out
    assert "zone upper_left has no board" in out
    assert out.strip().endswith("2 problem(s)")
    code, err = _run(tmp_path / "config.toml", tmp_path / "state", capsys)
    assert code == 2
    assert typo in err and "zone upper_left has no board" in err


def test_a_reused_pin_is_reported_with_the_other_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _shipped(**{"data_pin = 13 ": "data_pin = 6 ", "data_pin = 20": "data_pin = 40"})
    code, out = _check(tmp_path, text, capsys)
    assert code == 1
    assert out.strip().endswith("2 problem(s)")
    assert "source.hardware: GPIO 6 is used twice" in out
    assert "source.hardware.zones.lower_right.data_pin: GPIO 40" in out


def test_a_misspelt_zone_is_named_beside_a_reused_pin_and_a_bad_speed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _shipped(**{"zones.upper_left]": "zones.upper_lft]", "data_pin = 13 ": "data_pin = 6 "})
    text = text.replace("[source]", '[source]\nspeed = "fast"', 1)
    code, out = _check(tmp_path, text, capsys)
    assert code == 1
    assert "source.speed: must be a number, got 'fast'" in out
    assert "source.hardware: GPIO 6 is used twice" in out
    assert "source.hardware.zones.upper_lft: not a zone of the mat; did you mean upper_left?" in out
    assert "zone upper_left has no board" in out


@pytest.mark.parametrize("source", ["5", '"hx711"', "[1, 2]"])
def test_a_source_that_is_not_a_table_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], source: str
) -> None:
    code, out = _check(tmp_path, f"source = {source}\n", capsys)
    assert code == 1
    assert "source: must be a table" in out
    assert "Traceback" not in out


def test_problems_in_one_section_do_not_hide_the_checks_between_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = _shipped(
        **{"zones.lower_right]": "zones.lower_rigth]", "[detection]": "[detection]\nperson_kg = -1"}
    )
    code, out = _check(tmp_path, text, capsys)
    assert code == 1
    assert "detection.person_kg: " in out
    assert "source.hardware.zones.lower_rigth: not a zone of the mat" in out


@pytest.mark.parametrize(
    ("source", "expected", "run_says"),
    [
        (
            'kind = "simulate"\nscenario = "relax_sesion"',
            "source.scenario: unknown scenario 'relax_sesion'",
            "source.scenario: unknown scenario 'relax_sesion'",
        ),
        (
            'kind = "file"\nfile = "{tmp}/missing.jsonl"',
            "source.file: no such file: {tmp}/missing.jsonl",
            "file source: {tmp}/missing.jsonl: No such file or directory\n",
        ),
        (
            'kind = "file"\nfile = "{tmp}/bad.jsonl"',
            "source.file: {tmp}/bad.jsonl: line 1: ",
            "{tmp}/bad.jsonl source: line 1: ",
        ),
    ],
)
def test_the_source_is_checked_as_run_checks_it(
    source: str, expected: str, run_says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bad.jsonl").write_text('{"format": "nope"}\n', encoding="utf-8")
    text = f"[source]\n{source.format(tmp=tmp_path)}\n"
    code, out = _check(tmp_path, text, capsys)
    assert code == 1
    assert expected.format(tmp=tmp_path) in out
    code, err = _run(tmp_path / "config.toml", tmp_path / "state", capsys)
    assert code == 2
    assert run_says.format(tmp=tmp_path) in err


def test_an_unknown_scenario_points_to_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = _check(tmp_path, '[source]\nscenario = "relax_sesion"\n', capsys)
    assert "did you mean relax_session?" in out
    assert "acumat simulate --list shows them" in out
    code, out = _check(tmp_path, '[source]\nscenario = "all"\nloop = true\n', capsys)
    assert code == 0, out


def test_a_damaged_calibration_file_is_a_problem_for_hardware_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    state.mkdir()
    (state / "calibration.json").write_text("{", encoding="utf-8")
    storage = f'[storage]\ndir = "{state}"\n'
    code, out = _check(tmp_path, _shipped() + storage, capsys)
    assert code == 1
    assert "calibration: " in out and "calibration.json" in out
    code, err = _run(tmp_path / "config.toml", state, capsys)
    assert code == 2 and "calibration.json" in err
    code, out = _check(tmp_path, storage, capsys)
    assert code == 0, out


def test_the_state_directory_and_calibration_file_are_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "state"
    code, out = _check(tmp_path, _shipped() + f'[storage]\ndir = "{state}"\n', capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"state directory: {state} ([storage] dir)"
    assert lines[1] == (
        f"calibration file: {state / 'calibration.json'}"
        " (not written yet; no zone has a scale yet: run acumat calibrate)"
    )
    code, out = _check(tmp_path, '[source]\nkind = "simulate"\n', capsys)
    assert "this user's default; set [storage] dir to share it" in out.splitlines()[0]
    assert "not used by source simulate" in out.splitlines()[1]
    # what `acumat run` names as it starts ("state in .../simulated"), not only its parent
    simulated = out.splitlines()[2]
    assert simulated.startswith("simulated runs keep their history and recordings in ")
    assert simulated.endswith("/simulated (--simulated)")
