"""The service's fixed mmap threshold: a large block freed goes back to the system.

Each case runs in a fresh interpreter (the allocator's state is the process's). glibc's
``mallinfo2().hblks`` counts the blocks it serves from their own mmap: after a 4 MiB block
is freed, glibc by itself serves a 256 KiB request from the heap; with the threshold fixed,
from its own mmap again (given back on free)."""

from __future__ import annotations

import ctypes
import platform
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    platform.system() != "Linux" or platform.libc_ver()[0] != "glibc", reason="glibc only"
)

PROBE = """
import ctypes, sys
from controller.service.heap import fix_mmap_threshold

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split())]

libc = ctypes.CDLL(None)
libc.mallinfo2.restype = MallInfo2
big = bytearray(4 << 20)
del big  # a 4 MiB block freed: glibc raises its threshold to 4 MiB
fixed = fix_mmap_threshold() if sys.argv[1] == "fixed" else None
before = libc.mallinfo2().hblks
block = bytearray(256 << 10)
print(fixed, libc.mallinfo2().hblks - before)
"""


def _probe(mode: str) -> str:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_a_large_block_after_a_larger_free_is_mapped_on_its_own_once_fixed() -> None:
    assert _probe("fixed") == "True 1"


def test_without_the_fix_glibc_serves_it_from_the_heap() -> None:
    assert _probe("dynamic") == "None 0"  # what the fix is for: the probe can tell


def test_a_c_library_without_mallopt_is_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    from controller.service import heap

    class NoMallopt:
        def __init__(self, _name: object) -> None:
            pass

    monkeypatch.setattr(ctypes, "CDLL", NoMallopt)
    assert heap.fix_mmap_threshold() is False
