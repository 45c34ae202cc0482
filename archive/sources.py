"""What `archive add` accepts: files, folders (recursive), globs, stdin (`-`), URLs, URL
lists, browser bookmark exports, MHTML and WARC files."""

from __future__ import annotations

import glob
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from archive.decode import decode_bytes, repaired_text
from archive.printable import printable_name

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".txt", ".text", ".mht", ".mhtml",
                 ".warc", ".warc.gz", ".html.gz", ".htm.gz")
GZIPPED_PAGES = (".html.gz", ".htm.gz")
MAX_BYTES = 50 * 1024 * 1024  # a larger file is refused rather than read into memory
_GLOB_CHARS = set("*?[")


@dataclass
class Source:
    """One input as the user named it: a file (`path`), stdin (no path), a URL still to
    fetch (`fetch`), or bytes already in hand (`data`: a fetched page, a WARC record)."""

    origin: str
    path: Path | None = None
    error: str | None = None
    data: bytes | None = None
    fetch: str | None = None
    url: str | None = None  # where the page came from, when known from outside it
    charset: str | None = None  # declared outside the page (an HTTP header)
    skip: str | None = None  # not an article by design (a WARC revisit): counted, not failed
    fallback_title: str | None = None  # from a bookmark, for a page without a title
    fallback_date: str | None = None
    known: str | None = None  # the id of the article already archived from this URL
    span: tuple[int, int] | None = None  # (offset, length) of a WARC record within `path`
    refresh: bool = False  # fetch the URL even if it is archived (a feed item that changed)
    tags: list[str] = field(default_factory=list)  # the user's, carried by the input (a bookmark's)

    def __post_init__(self) -> None:
        self.origin = printable_name(self.origin)

    def read(self, max_bytes: int = MAX_BYTES) -> bytes:
        """The input's bytes; raises InputError with a user-facing reason."""
        if self.data is not None:
            data = self.data
        elif self.span is not None:
            offset, length = self.span
            if length > max_bytes:
                raise InputError(f"too large (over the {megabytes(max_bytes)} MB cap)")
            if self.path is None:
                raise InputError("a part of a file with no file")  # never: spans come from files
            try:
                with open(self.path, "rb") as handle:
                    handle.seek(offset)
                    data = handle.read(length)
            except OSError as error:
                raise InputError(error.strerror or str(error)) from None
        elif self.path is None:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            try:
                info = self.path.stat()
                if not stat.S_ISREG(info.st_mode):
                    raise InputError("not a regular file")
                if info.st_size > max_bytes:
                    raise InputError(f"too large ({megabytes(info.st_size)} MB, the cap is "
                                     f"{megabytes(max_bytes)} MB)")
                with open(self.path, "rb") as handle:
                    data = handle.read(max_bytes + 1)
            except PermissionError:
                raise InputError("permission denied") from None
            except OSError as error:
                raise InputError(error.strerror or str(error)) from None
        if len(data) > max_bytes:
            raise InputError(f"too large (over the {megabytes(max_bytes)} MB cap)")
        if self.path is not None and self.span is None and self.path.name.lower().endswith(GZIPPED_PAGES):
            return gunzip(data, max_bytes)
        return data


def gunzip(data: bytes, max_bytes: int) -> bytes:
    """A gzipped page's bytes, refused past `max_bytes` once decompressed (a small file
    can hold a huge page) and when the gzip stream is damaged."""
    inflater = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        page = inflater.decompress(data, max_bytes + 1)
    except zlib.error:
        raise InputError("not a readable gzip file") from None
    if len(page) > max_bytes:
        raise InputError(f"too large once decompressed (over the {megabytes(max_bytes)} MB cap)")
    if not inflater.eof:
        raise InputError("a gzip file cut off before its end")
    return page


def megabytes(size: int) -> int:
    """Sizes as the --max-size option counts them (MiB)."""
    return size // (1024 * 1024)


class InputError(Exception):
    """An input that cannot be read or is not an article page; the message says why."""

    def __init__(self, message: str):
        super().__init__(printable_name(message))


def request_url(url: str) -> str:
    """The URL as an HTTP request can carry it: a non-ASCII host in IDNA, spaces and
    non-ASCII in the path and query percent-encoded as UTF-8 (as browsers send them), the
    fragment left out. Raises InputError for an address that cannot be fetched."""
    try:
        parts = urlsplit(repaired_text(url).strip())
        port = parts.port
        host = parts.hostname
    except ValueError as error:  # "Invalid IPv6 URL", "Port out of range 0-65535"
        raise InputError(f"not a valid URL ({error})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise InputError("not an http(s) URL")
    if not host:
        raise InputError("not a valid URL (no host name)")
    netloc = parts.netloc
    if not netloc.isascii():
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            raise InputError(f"not a valid host name ({host})") from None
        netloc = ascii_host if port is None else f"{ascii_host}:{port}"
    path = quote(parts.path, safe="/%:@!$&'()*+,;=~") or "/"
    query = quote(parts.query, safe="/%:@!$&'()*+,;=~?")
    return urlunsplit((parts.scheme.lower(), netloc, path, query, ""))


def expand(arguments: list[str]) -> Iterator[Source]:
    """Each input named by the arguments, in order. Folders are walked for page files;
    names that do not exist become Sources carrying an error, so the rest goes on."""
    seen: set[str] = set()
    for argument in arguments:
        for source in _expand_one(argument):
            key = str(source.path.resolve()) if source.path is not None and source.span is None \
                else source.origin
            if source.error is None and key in seen:
                continue
            seen.add(key)
            yield source


def _expand_one(argument: str) -> Iterator[Source]:
    if argument == "-":
        yield Source(origin="-")
        return
    if is_url(argument):
        yield url_source(argument)
        return
    path = Path(argument)
    if path.is_file() and is_warc_name(path.name):
        yield from warc_sources(path)
        return
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
            if is_warc_name(file.name):
                yield from warc_sources(file)
            else:
                yield Source(origin=str(file), path=file)
        if not found:
            yield Source(origin=argument, error="no article pages in this folder "
                         f"(looked for {', '.join(PAGE_SUFFIXES)})")
        return
    yield Source(origin=argument, path=path)


def is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def url_source(url: str, **fields) -> Source:
    """A URL to fetch, or, when it cannot be fetched, a Source carrying the reason."""
    try:
        return Source(origin=url, fetch=request_url(url), **fields)
    except InputError as error:
        return Source(origin=url, error=str(error))


def url_list_sources(path: Path) -> Iterator[Source]:
    """The URLs of a list file, one per line; blank lines and # comments are skipped."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as error:
        yield Source(origin=str(path), error=error.strerror or str(error))
        return
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not entry:
            continue
        if is_url(entry):
            yield url_source(entry)
        else:
            yield Source(origin=f"{path}:{number}", error=f"not an http(s) URL: {entry[:80]!r}")


def bookmark_sources(path: Path) -> Iterator[Source]:
    """The links of a browser bookmark export, each carrying its title and add date."""
    from archive.bookmarks import parse_bookmarks

    try:
        text = decode_bytes(path.read_bytes())[0]
    except OSError as error:
        yield Source(origin=str(path), error=error.strerror or str(error))
        return
    marks = parse_bookmarks(text)
    if not marks:
        yield Source(origin=str(path), error="no http(s) bookmarks in this file")
    for mark in marks:
        yield url_source(mark.url, fallback_title=mark.title, fallback_date=mark.added,
                         tags=mark.tags)


def warc_sources(path: Path) -> Iterator[Source]:
    """One source per response record of a WARC file; revisits and non-HTML are skips."""
    from archive.warc import WarcError, iter_records

    try:
        for number, record in enumerate(iter_records(path), 1):
            origin = f"{path}#{number}" + (f" {record.uri}" if record.uri else "")
            yield Source(origin=origin, path=path, span=(record.offset, record.length),
                         url=record.uri, skip=record.skip, fallback_date=record.date)
    except WarcError as error:
        yield Source(origin=str(path), error=str(error))
    except OSError as error:
        yield Source(origin=str(path), error=error.strerror or str(error))


def is_warc_name(name: str) -> bool:
    return name.lower().endswith((".warc", ".warc.gz"))


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
