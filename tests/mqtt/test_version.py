"""acumat's version for Home Assistant's device page, found as importlib.metadata finds it
(controller/mqtt/version.py), without loading importlib.metadata in the service."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from controller.mqtt.version import UNKNOWN, installed_version


def _dist_info(folder: Path, name: str, version: str, file: str = "METADATA") -> None:
    info = folder / name
    info.mkdir(parents=True)
    (info / file).write_text(
        f"Metadata-Version: 2.1\nName: acumat\nVersion: {version}\n\nVersion: not a header\n"
    )


def test_the_installed_version_is_importlib_metadatas() -> None:
    assert installed_version() == metadata.version("acumat") != UNKNOWN


def test_the_first_folder_on_the_path_that_has_it_wins(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    _dist_info(first, "acumat-2.0.1.dist-info", "2.0.1")
    _dist_info(second, "acumat-9.9.dist-info", "9.9")
    path = [str(tmp_path / "missing"), str(tmp_path / "a.zip"), str(first), str(second)]
    assert installed_version(path=path) == "2.0.1"
    assert installed_version(path=path[::-1][:2]) == "9.9"


def test_an_egg_info_from_a_development_install_counts(tmp_path: Path) -> None:
    _dist_info(tmp_path, "acumat.egg-info", "0.3.dev1", file="PKG-INFO")
    assert installed_version(path=[str(tmp_path)]) == "0.3.dev1"


def test_another_package_or_no_metadata_is_unknown(tmp_path: Path) -> None:
    _dist_info(tmp_path, "acumat_tools-1.0.dist-info", "1.0")
    _dist_info(tmp_path, "acumat-1.1.dist-info", "1.1", file="RECORD")  # no METADATA in it
    (tmp_path / "acumatic-3.0.dist-info").mkdir()
    assert installed_version(path=[str(tmp_path)]) == UNKNOWN
    assert installed_version(path=[]) == UNKNOWN
