"""scripts/install.sh and uninstall.sh against a temporary root (ACUMAT_ROOT).

apt and useradd are skipped there by design; the venv is real (made from python3, with the
project installed from a wheel built once), and the unit is enabled with ``systemctl --root``.
"""

from __future__ import annotations

import hashlib
import os
import re
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
    shipped = (ROOT / "config/config.toml").read_text(encoding="utf-8")
    loaded = load_config(config)
    assert loaded.source.kind == "hx711"
    # One state directory: commands given this config use the service's files.
    assert loaded.storage.dir == Path("/var/lib/acumat")
    assert _unit_state_dir() == loaded.storage.dir
    ours = config.read_text(encoding="utf-8").splitlines()
    assert len(ours) == len(shipped.splitlines())  # the shipped file, two lines uncommented
    assert sum(a != b for a, b in zip(ours, shipped.splitlines(), strict=True)) == 2
    link = installed / "usr/local/bin/acumat"  # `acumat` on the PATH
    assert link.is_symlink() and os.readlink(link) == "/opt/acumat/venv/bin/acumat"
    password = installed / "etc/acumat/mqtt_password"
    assert password.read_bytes() == b""
    assert stat.S_IMODE(password.stat().st_mode) == 0o600
    venv = installed / "opt/acumat/venv"
    assert "controller.cli" in (venv / "bin/acumat").read_text(encoding="utf-8")
    assert (installed / "opt/acumat/docs/install-guide.md").is_file()


def _unit_state_dir() -> Path:
    unit = (ROOT / "systemd/acumat.service").read_text(encoding="utf-8")
    [name] = [
        line.split("=", 1)[1] for line in unit.splitlines() if line.startswith("StateDirectory=")
    ]
    return Path("/var/lib") / name


LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def test_all_the_docs_are_installed_and_their_links_resolve(installed: Path) -> None:
    docs = installed / "opt/acumat/docs"
    shipped = sorted(
        p.relative_to(ROOT / "docs") for p in (ROOT / "docs").rglob("*") if p.is_file()
    )
    assert sorted(p.relative_to(docs) for p in docs.rglob("*") if p.is_file()) == shipped
    broken = [
        f"{page.relative_to(docs)}: {target}"
        for page in docs.rglob("*.md")
        for target in LINK.findall(page.read_text(encoding="utf-8"))
        if "://" not in target
        and not target.startswith("mailto:")
        and not (page.parent / target).exists()
    ]
    assert broken == []


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

    assert not (tmp_path / "usr/local/bin/acumat").is_symlink()
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


def test_the_docs_name_no_placeholder_and_one_password_path() -> None:
    texts = {
        p: p.read_text(encoding="utf-8")
        for p in (ROOT / "docs").rglob("*")
        if p.suffix in {".md", ".yaml"}
    }
    for path, text in texts.items():
        assert "<this repository>" not in text, path
        assert "source_url" not in text, path  # the blueprint is imported from its file
        assert "mqtt-password" not in text, path  # the installer's name: mqtt_password
    install = (ROOT / "scripts/install.sh").read_text(encoding="utf-8")
    assert "/etc/acumat/mqtt_password" in install or '"$etc/mqtt_password"' in install


def test_the_guides_run_acumat_from_the_path_the_installer_links() -> None:
    for guide in ("install-guide.md", "build-guide.md"):
        text = (ROOT / "docs" / guide).read_text(encoding="utf-8")
        assert "/opt/acumat/venv/bin/acumat " not in text, guide  # `acumat` is on the PATH
    build = (ROOT / "docs/build-guide.md").read_text(encoding="utf-8")
    # The tile check (step 3) uses a view that works before calibration (step 4).
    mount, calibrate = build.index("## 3. Mount"), build.index("## 4. Calibrate")
    assert "--watch" in build[mount:calibrate]
