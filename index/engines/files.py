"""What the engines that keep their index in the archive home share: one writer at a
time across processes, the state the index records, and rebuilds built beside the index
and swapped in, so no process ever deletes an index another one is reading or writing.

The state (`synced.json` in the index folder) says which archive the index belongs to,
the last store change it applied and that change's article, and the format. A store
restored from a backup has other changes at those numbers: the index is rebuilt.
Standard library only.
"""

from __future__ import annotations

import errno
import fcntl
import functools
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from index.engines.base import IndexDamaged, IndexLocked, IndexUnavailable

T = TypeVar("T")

if TYPE_CHECKING:
    from archive.store import Store

STATE_FILE = "synced.json"
LOCK_WAIT = 30.0  # seconds to wait for another archive process's writer
NEW_SUFFIX = ".new"  # a rebuild in progress
OLD_SUFFIX = ".old"  # the index a rebuild just replaced, deleted right after


@dataclass
class IndexState:
    """What an index records after each commit."""

    format: int
    seq: int = 0
    archive: str | None = None  # the store's identity
    change: str | None = None  # the article id of change `seq`, to tell a restored store
    build: str = ""  # a new value per build: a long-running reader reopens when it changes

    @classmethod
    def read(cls, folder: Path) -> IndexState | None:
        try:
            data = json.loads((folder / STATE_FILE).read_text())
            return cls(**{key: data[key] for key in data if key in cls.__dataclass_fields__})
        except (OSError, ValueError, TypeError):
            return None

    def write(self, folder: Path) -> None:
        temporary = folder / (STATE_FILE + ".tmp")
        with open(temporary, "w") as out:
            json.dump(asdict(self), out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / STATE_FILE)


def state_stamp(folder: Path) -> tuple[int, int] | None:
    """Changes whenever the state file is replaced (a commit, or a swapped rebuild)."""
    try:
        status = (folder / STATE_FILE).stat()
    except OSError:
        return None
    return status.st_ino, status.st_mtime_ns


class LocalIndex:
    """An index folder in the archive home (`home/<name>`), its lock and its state."""

    def __init__(self, home: Path, name: str, fmt: int, label: str):
        self.home = Path(home)
        self.path = self.home / name
        self.format = fmt
        self.label = label  # "the tantivy index", for messages
        self._lock_path = self.home / (name + ".lock")

    @property
    def building(self) -> Path:
        return self.path.with_name(self.path.name + NEW_SUFFIX)

    def state(self) -> IndexState | None:
        return IndexState.read(self.path)

    @contextmanager
    def writer_lock(self, wait: float | None = None) -> Iterator[None]:
        """Hold the one writer lock of this index (across processes); IndexLocked after
        `wait` seconds (LOCK_WAIT by default). The lock dies with its process: a kill never
        leaves it held."""
        wait = LOCK_WAIT if wait is None else wait
        try:
            self.home.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise ReadOnlyHome(f"{self.label} in {self.home} cannot be updated "
                                   f"({error.strerror})") from None
            raise
        try:
            deadline = time.monotonic() + wait
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise IndexLocked(
                            f"{self.label} {self.path} is busy in another archive process "
                            "(an add or a reindex)") from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(descriptor)  # releases the lock

    def problem(self, store: Store, locked: bool = False) -> str | None:
        """Why the index on disk cannot serve this store as it is, or None when it can
        (it may still be behind: sync catches up). Only the holder of the writer lock can
        tell an interrupted rebuild from one in progress."""
        if locked and self.building.exists():
            return f"the last rebuild of {self.label} {self.path} was interrupted"
        if not self.path.exists():
            return None
        state = self.state()
        if state is None:
            return f"{self.label} {self.path} is damaged (no readable {STATE_FILE})"
        if state.format != self.format:
            return f"{self.label} {self.path} was built by another version of archive"
        if state.archive not in (None, store.identity()):
            return f"{self.label} {self.path} belongs to another archive"
        if state.seq > store.last_seq() or (state.seq and store.change_article(state.seq)
                                            not in (state.change, None)):
            return (f"{self.label} {self.path} is ahead of the archive (was archive.db restored "
                    "from a backup?)")
        return None

    def new_state(self, store: Store, seq: int, build: str) -> IndexState:
        return IndexState(self.format, seq, store.identity(), store.change_article(seq) if seq
                          else None, build)

    def build_beside(self, make: Callable[[Path], None]) -> None:
        """Build a whole new index in `<path>.new` with `make`, then swap it in place of
        the old one. Hold writer_lock. A kill leaves the old index untouched."""
        if self.building.exists():
            shutil.rmtree(self.building)
        self.building.mkdir(parents=True)
        make(self.building)
        old = self.path.with_name(self.path.name + OLD_SUFFIX)
        if old.exists():
            shutil.rmtree(old)
        if self.path.exists():
            os.rename(self.path, old)
        os.rename(self.building, self.path)
        shutil.rmtree(old, ignore_errors=True)

    def built(self) -> bool:
        return self.state() is not None

    def lock_wait(self) -> float:
        """How long to wait for the writer: not at all while a rebuild may be running beside
        an index that answers meanwhile, else LOCK_WAIT (a first build is short)."""
        return 0.0 if self.building.exists() and self.path.exists() else LOCK_WAIT

    def size_bytes(self) -> int:
        if not self.path.exists():
            return 0
        return sum(f.stat().st_size for f in self.path.rglob("*") if f.is_file())


def new_build_id() -> str:
    return uuid.uuid4().hex[:12]


class ReadOnlyHome(IndexUnavailable):
    """The archive home cannot be written: search what the index has, update nothing."""


__all__ = ["IndexDamaged", "IndexState", "LocalIndex", "ReadOnlyHome", "new_build_id",
           "state_stamp"]


def guarded_read(method: Callable[..., T]) -> Callable[..., T]:
    """A read of an index that another process deleted or replaced meanwhile fails in the
    library's own words (Whoosh: a TypeError from a file it opens lazily; tantivy: a
    ValueError, "Data corrupted"): that is IndexDamaged, so the caller rebuilds and asks
    again. Any other error of a read of an unchanged index stays what it is."""

    @functools.wraps(method)
    def guarded(engine, *args, **kwargs):
        try:
            return method(engine, *args, **kwargs)
        except (IndexUnavailable, IndexDamaged, IndexLocked):
            raise
        except Exception as error:
            if engine._stamp is not None and state_stamp(engine.path) == engine._stamp:
                raise
            engine.close()
            raise IndexDamaged(f"the index {engine.path} changed while it was read "
                               f"({error.__class__.__name__})") from None

    return guarded
