"""Helper processes that never outlive the command that started them."""

from __future__ import annotations

import ctypes
import os
import signal
import sys


def die_with_parent(parent: int) -> None:
    """Ask Linux to kill this process with its parent (PR_SET_PDEATHSIG), so a kill -9 of
    `archive add` leaves no worker behind; leave at once if the parent is already gone."""
    if sys.platform == "linux":
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:
        os._exit(0)
