"""Exports other tools read, beside the archive's own (archive/transfer.py): a CSV table,
browser bookmarks, a folder of Markdown notes and CSL-JSON for citation managers. Each
writes the current version of every chosen article, one at a time, so memory stays flat
on any number of them; a file appears whole or not at all (written beside, then renamed).
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, BinaryIO, TextIO

from archive.article import Article
from archive.store import Store
from archive.transfer import ExportReport, TransferError, export_archive

# name ending -> format; a name ending in / is a folder of Markdown notes
SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".tar.gz": "tar.gz", ".tgz": "tar.gz",
            ".csv": "csv", ".html": "bookmarks", ".htm": "bookmarks", ".csl.json": "csl"}
FORMATS = ("jsonl", "tar.gz", "csv", "bookmarks", "markdown", "csl")
ROUND_TRIP = ("jsonl", "tar.gz")  # what `archive import` reads back, removed articles too
TO_STDOUT = ("jsonl", "tar.gz", "csv", "bookmarks", "csl")
Progress = Callable[[int], None]


def export_format(name: str, chosen: str | None = None) -> str:
    """The format of an export named `name` ('-' is stdout: JSON Lines unless chosen);
    ValueError, for the user, when neither the name nor `chosen` says it."""
    if chosen:
        if name == "-" and chosen not in TO_STDOUT:
            raise ValueError(f"a {chosen} export is a folder of files: name the folder, not -")
        return chosen
    if name == "-":
        return "jsonl"
    lowered = name.lower()
    if lowered.endswith(("/", os.sep)):
        return "markdown"
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return SUFFIXES[suffix]
    if lowered.endswith(".json"):
        raise ValueError(f"cannot tell the export format of {name!r}: for CSL-JSON choose "
                         "--format csl (or name it .csl.json)")
    raise ValueError(f"cannot tell the export format of {name!r}: name it .jsonl, .tar.gz, .csv, "
                     ".html (bookmarks), .csl.json or folder/ (Markdown), or choose with --format")


def count_articles(store: Store, ids: list[str] | None) -> int:
    return store.count() if ids is None else len(set(ids))


def write_export(store: Store, path: Path | None, kind: str, ids: Iterable[str] | None = None,
                 removed: bool = False, progress: Progress | None = None,
                 spool_dir: Path | None = None) -> ExportReport:
    """Write the chosen articles (all, or `ids`) to `path` (None: stdout) in `kind`."""
    if kind in ROUND_TRIP:
        return export_archive(store, path, kind, ids=ids, removed=removed, progress=progress,
                              spool_dir=spool_dir)
    report = ExportReport(str(path) if path else "-", kind)
    seen = [0]
    articles = _counted(store.iter_chosen(None if ids is None else sorted(set(ids))), seen, progress)
    try:
        if kind == "markdown":
            from archive.exports.markdown import write_notes

            if path is None:
                raise TransferError("a Markdown export is a folder of files: name the folder")
            report.articles = write_notes(articles, path)
        else:
            report.articles = _write_file(path, lambda out: _writer(kind)(articles, out))
    except BrokenPipeError:
        raise
    except OSError as error:
        raise TransferError(f"cannot write {report.file}: {error.strerror or error}") from None
    report.versions = report.articles
    report.skipped = seen[0] - report.articles
    return report


def _writer(kind: str):
    if kind == "csv":
        from archive.exports.table import write_csv
        return write_csv
    if kind == "bookmarks":
        from archive.exports.bookmarks import write_bookmarks
        return write_bookmarks
    if kind == "csl":
        from archive.exports.csl import write_csl
        return write_csl
    raise ValueError(f"no export format {kind!r}")


def _counted(articles: Iterator[Article], seen: list[int],
             progress: Progress | None) -> Iterator[Article]:
    for article in articles:
        seen[0] += 1
        yield article
        if progress:
            progress(1)


def _write_file(path: Path | None, write: Callable[[TextIO], int]) -> int:
    """Write UTF-8 text to stdout, or to a file beside `path` renamed to it once complete;
    returns what `write` returns (the articles written)."""
    if path is None:
        import sys

        return _as_text(sys.stdout.buffer, write)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False)
    try:
        with handle:
            written = _as_text(handle, write)
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise
    return written


def _as_text(out: BinaryIO | IO[bytes], write: Callable[[TextIO], int]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8", newline="")
    written = write(text)
    text.flush()
    text.detach()  # leave the file (or stdout) open for its owner
    return written
