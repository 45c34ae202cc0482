"""Helper processes that never outlive the command that started them, and Ctrl-C held
while they run."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager


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


_held = 0  # how many interrupts_held() blocks are open
_pending = False  # a Ctrl-C came while they were


def _hold(signum: int, frame: object) -> None:
    global _pending
    _pending = True


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C until the next `interrupt_point()` (or the end of the block) while a
    process pool runs: a KeyboardInterrupt raised inside the pool's own locks leaves its
    manager thread waiting for a lock nobody releases, and the command hangs at shutdown."""
    global _held, _pending
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, _hold) if _held == 0 else None
    _held += 1
    try:
        yield
    except BaseException:
        _release(previous)
        raise
    _release(previous)
    interrupt_point()


def _release(previous: object) -> None:
    global _held
    _held -= 1
    if _held == 0:
        signal.signal(signal.SIGINT, previous)  # type: ignore[arg-type]


def interrupt_point() -> None:
    """Raise the KeyboardInterrupt held since the last point, if one came."""
    global _pending
    if _pending:
        _pending = False
        raise KeyboardInterrupt
