"""What `archive add` accepts: files, folders (recursive), globs and stdin (`-`)."""

from __future__ import annotations

import glob
import os
import stat
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".txt", ".text")
MAX_BYTES = 50 * 1024 * 1024  # a larger file is refused rather than read into memory
_GLOB_CHARS = set("*?[")


@dataclass
class Source:
    """One input as the user named it, with its path (None for stdin)."""

    origin: str
    path: Path | None = None
    error: str | None = None

    def __post_init__(self) -> None:
        self.origin = printable_name(self.origin)

    def read(self, max_bytes: int = MAX_BYTES) -> bytes:
        """The input's bytes; raises InputError with a user-facing reason."""
        if self.path is None:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            try:
                info = self.path.stat()
                if not stat.S_ISREG(info.st_mode):
                    raise InputError("not a regular file")
                if info.st_size > max_bytes:
                    raise InputError(f"too large ({info.st_size // 1_000_000} MB, the cap is "
                                     f"{max_bytes // 1_000_000} MB)")
                with open(self.path, "rb") as handle:
                    data = handle.read(max_bytes + 1)
            except PermissionError:
                raise InputError("permission denied") from None
            except OSError as error:
                raise InputError(error.strerror or str(error)) from None
        if len(data) > max_bytes:
            raise InputError(f"too large (over the {max_bytes // 1_000_000} MB cap)")
        return data


def printable_name(name: str) -> str:
    """A file name as text that can be stored and printed: undecodable bytes (kept by
    Python as surrogates) become \\xNN escapes, and line breaks become \\n."""
    raw = name.encode("utf-8", "surrogateescape")
    return raw.decode("utf-8", "backslashreplace").replace("\n", "\\n").replace("\r", "\\r")


class InputError(Exception):
    """An input that cannot be read or is not an article page; the message says why."""


def expand(arguments: list[str]) -> Iterator[Source]:
    """Each input named by the arguments, in order. Folders are walked for page files;
    names that do not exist become Sources carrying an error, so the rest goes on."""
    seen: set[str] = set()
    for argument in arguments:
        for source in _expand_one(argument):
            key = source.origin if source.path is None else str(source.path.resolve())
            if source.error is None and key in seen:
                continue
            seen.add(key)
            yield source


def _expand_one(argument: str) -> Iterator[Source]:
    if argument == "-":
        yield Source(origin="-")
        return
    path = Path(argument)
    if not os.path.lexists(path):
        if _GLOB_CHARS & set(argument):
            matches = sorted(glob.glob(argument, recursive=True))
            if not matches:
                yield Source(origin=argument, error="no file matches this pattern")
            for match in matches:
                yield from _expand_one(match)
            return
        yield Source(origin=argument, error="no such file or folder")
        return
    if path.is_dir():
        found = False
        for file in walk_folder(path):
            found = True
            yield Source(origin=str(file), path=file)
        if not found:
            yield Source(origin=argument, error="no article pages in this folder "
                         f"(looked for {', '.join(PAGE_SUFFIXES)})")
        return
    yield Source(origin=argument, path=path)


def walk_folder(folder: Path) -> Iterator[Path]:
    """Page files under a folder, sorted, skipping hidden entries and the `page_files/`
    asset folders that browsers save beside a page; symlink loops are not followed."""
    visited: set[tuple[int, int]] = set()
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            info = current.stat()
        except OSError:
            continue
        if (info.st_dev, info.st_ino) in visited:
            continue
        visited.add((info.st_dev, info.st_ino))
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name, reverse=True)
        except OSError:
            continue
        files = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                if not entry.name.endswith("_files"):
                    stack.append(Path(entry.path))
            elif entry.name.lower().endswith(PAGE_SUFFIXES):
                files.append(Path(entry.path))
        yield from reversed(files)
