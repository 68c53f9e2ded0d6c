"""A really small, really full file system for the storage fault tests (test I/O).

``tiny_fs`` mounts a 2 MB tmpfs on a fresh directory (``mount -t tmpfs -o size=2m``, which
needs root: CI runs the suite as root; elsewhere these tests are skipped with that reason) and
unmounts it afterwards. ``TinyFs.fill`` writes a ballast file until only the asked room is
left (to the 4 kB page), ``fill(0)`` until the kernel says ``ENOSPC``; ``empty`` removes it.
The same fixture gives a read-only mount for "a state directory that cannot be written".
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SIZE = "2m"


@dataclass
class TinyFs:
    root: Path

    @property
    def ballast(self) -> Path:
        return self.root / "ballast"

    def free_bytes(self) -> int:
        info = os.statvfs(self.root)
        return info.f_bavail * info.f_frsize

    def fill(self, leave_bytes: int = 0) -> None:
        """Grows the ballast until at most ``leave_bytes`` are free (0: really full)."""
        with self.ballast.open("ab") as out:
            while self.free_bytes() > leave_bytes:
                room = self.free_bytes() - leave_bytes
                try:
                    out.write(b"\0" * max(4096, min(room, 1 << 20)))
                    out.flush()
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break

    def empty(self) -> None:
        self.ballast.unlink(missing_ok=True)


def _mount(where: Path, options: str) -> None:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.strip()}")


def _unmount(where: Path) -> None:
    subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[TinyFs]:
    where = tmp_path / "tiny"
    _mount(where, f"size={SIZE},mode=0755")
    try:
        yield TinyFs(where)
    finally:
        _unmount(where)


@pytest.fixture
def read_only_dir(tmp_path: Path) -> Iterator[Path]:
    """An empty directory on a read-only mount: not writable even by root."""
    where = tmp_path / "ro"
    _mount(where, f"size={SIZE},ro")
    try:
        yield where
    finally:
        _unmount(where)
