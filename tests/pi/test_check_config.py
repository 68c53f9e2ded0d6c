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
