"""scripts/install.sh and uninstall.sh against a temporary root (ACUMAT_ROOT).

apt and useradd are skipped there by design; the venv is real (made from python3, with the
project installed from a wheel built once), and the unit is enabled with ``systemctl --root``.
"""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from controller.service.config import load_config

ROOT = Path(__file__).resolve().parents[2]
WANTS = "etc/systemd/system/multi-user.target.wants/acumat.service"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return next(out.glob("acumat-*.whl"))


def _set_umask(mask: int) -> None:
    os.umask(mask)


def _script(name: str, root: Path, wheel: Path, *args: str, umask: int | None = None) -> str:
    # Without $PYTHONPATH: a checkout on it looks installed to the venv's pip, which then skips
    # the wheel ("already satisfied") and leaves no bin/acumat.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "ACUMAT_ROOT": str(root),
        "ACUMAT_PACKAGE": str(wheel),
        "ACUMAT_EXTRAS": "",
        "ACUMAT_PIP_ARGS": "--no-deps --no-index",
    }
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        preexec_fn=None if umask is None else (lambda: _set_umask(umask)),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("root")
    _script("install.sh", root, wheel)
    yield root


def _snapshot(root: Path) -> dict[str, tuple[object, ...]]:
    """Every path with its type, mode, mtime and content (so any change shows)."""
    seen: dict[str, tuple[object, ...]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        key = str(path.relative_to(root))
        if path.is_symlink():
            seen[key] = ("link", os.readlink(path))
        elif path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            seen[key] = ("file", info.st_mode, info.st_mtime_ns, digest)
        else:
            seen[key] = ("dir", info.st_mode)
    return seen


def test_install_lays_out_the_system(installed: Path) -> None:
    unit = installed / "etc/systemd/system/acumat.service"
    assert unit.read_bytes() == (ROOT / "systemd/acumat.service").read_bytes()
    assert (installed / WANTS).is_symlink()
    config = installed / "etc/acumat/config.toml"
    assert config.read_bytes() == (ROOT / "config/config.toml").read_bytes()
    assert load_config(config).source.kind == "hx711"
    password = installed / "etc/acumat/mqtt_password"
    assert password.read_bytes() == b""
    assert stat.S_IMODE(password.stat().st_mode) == 0o600
    venv = installed / "opt/acumat/venv"
    assert "controller.cli" in (venv / "bin/acumat").read_text(encoding="utf-8")
    assert (installed / "opt/acumat/docs/install-guide.md").is_file()


def _closed_to_others(path: Path) -> bool:
    """True when a user other than the owner could not use it: read a file (and run it when
    its owner can), enter and list a directory."""
    mode = stat.S_IMODE(path.stat().st_mode)
    if path.is_dir():
        return mode & 0o005 != 0o005
    wanted = 0o004 | (0o001 if mode & 0o100 else 0)
    return mode & wanted != wanted


def test_a_strict_umask_leaves_the_program_readable_and_the_secret_root_only(
    wheel: Path, tmp_path: Path
) -> None:
    _script("install.sh", tmp_path, wheel, umask=0o077)  # root's umask on hardened systems
    # The service runs as the user acumat: it must read and run the venv, unit and config.
    installed = [tmp_path / "opt/acumat", tmp_path / "etc/acumat/config.toml",
                 tmp_path / "etc/systemd/system/acumat.service"]  # fmt: skip
    paths = [p for top in installed for p in (top, *top.rglob("*")) if not p.is_symlink()]
    assert [str(p) for p in paths if _closed_to_others(p)] == []
    password = tmp_path / "etc/acumat/mqtt_password"
    assert stat.S_IMODE(password.stat().st_mode) == 0o600


def test_running_it_again_changes_nothing(installed: Path, wheel: Path) -> None:
    before = _snapshot(installed)
    out = _script("install.sh", installed, wheel)
    assert "nothing changed" in out
    assert _snapshot(installed) == before


def test_own_config_is_kept_and_uninstall_keeps_data(wheel: Path, tmp_path: Path) -> None:
    _script("install.sh", tmp_path, wheel)
    config = tmp_path / "etc/acumat/config.toml"
    config.write_text('[mat]\nid = "bedroom"\n', encoding="utf-8")
    history = tmp_path / "var/lib/acumat/history.sqlite"
    history.parent.mkdir(parents=True)
    history.write_bytes(b"sessions")

    _script("install.sh", tmp_path, wheel)
    assert config.read_text(encoding="utf-8") == '[mat]\nid = "bedroom"\n'

    out = _script("uninstall.sh", tmp_path, wheel)
    assert "kept" in out
    assert not (tmp_path / "opt/acumat").exists()
    assert not (tmp_path / "etc/systemd/system/acumat.service").exists()
    assert not (tmp_path / WANTS).exists()
    assert config.is_file()
    assert history.read_bytes() == b"sessions"

    _script("uninstall.sh", tmp_path, wheel, "--purge")
    assert not (tmp_path / "etc/acumat").exists()
    assert not history.exists()


def test_uninstall_refuses_unknown_arguments(tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts/uninstall.sh"), "--everything"],
        env={**os.environ, "ACUMAT_ROOT": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 2
    assert "usage" in result.stderr
