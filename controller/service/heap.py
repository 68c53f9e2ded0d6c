"""The service's heap: large blocks go back to the system when they are freed.

glibc serves a request over ``M_MMAP_THRESHOLD`` (128 KiB) from its own mmap, unmapped on
free. But its first free of such a block raises the threshold to that block's size (up to
32 MiB), so from then on numpy's large temporaries (a scenario built by ``--simulate``, the
posture fits' residuals) come from the main heap, which gives memory back only from its top:
one live small object above a freed block keeps it resident. Measured with
benchmarks/memory.py: ``--simulate`` grew 5.1 MB over an hour in steps, one per scenario
rebuilt, and 1.4 MB with the threshold fixed. Setting the threshold explicitly turns the
dynamic raise off (mallopt(3)). Not pure: it changes the process's allocator. A C library
without ``mallopt`` (musl, macOS) is left as it is.
"""

from __future__ import annotations

import ctypes

M_MMAP_THRESHOLD = -3  # malloc.h
MMAP_THRESHOLD_BYTES = 128 * 1024  # glibc's own default, held fixed


def fix_mmap_threshold(threshold_bytes: int = MMAP_THRESHOLD_BYTES) -> bool:
    """Hold glibc's mmap threshold at ``threshold_bytes``; False where it cannot be set."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, threshold_bytes))
