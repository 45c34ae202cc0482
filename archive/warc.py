"""WARC files (.warc, .warc.gz): each HTML response record is one page.

Records are read with warcio. The original kept for an article is the record's own
bytes (a gzip member in a .warc.gz), so it can be read again on its own later.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from archive.dates import parse_iso

PAGE_TYPES = ("text/html", "application/xhtml+xml")


class WarcError(Exception):
    """The WARC file or record cannot be read; the message says why."""


@dataclass
class WarcRecord:
    """One record of a WARC file, and why it is or is not a page."""

    uri: str | None
    date: str | None
    offset: int  # where the record's bytes (a gzip member in a .warc.gz) start in the file
    length: int
    skip: str | None = None  # why it is not an article ("a revisit record", "image/png")


def looks_like_warc(data: bytes) -> bool:
    """A WARC record, plain or as a gzip member."""
    if data.startswith(b"\x1f\x8b"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as member:
                return member.read(5) == b"WARC/"
        except (OSError, EOFError):
            return False
    return data.startswith(b"WARC/")


def iter_records(path: Path) -> Iterator[WarcRecord]:
    """Every response and revisit record of a WARC file, with where its bytes are."""
    try:
        with open(path, "rb") as stream:
            records = ArchiveIterator(stream)
            for record in records:
                skip = _why_not_a_page(record)
                uri = record.rec_headers.get_header("WARC-Target-URI")
                date = record.rec_headers.get_header("WARC-Date")
                records.read_to_end(record)
                if record.rec_type in ("response", "revisit"):
                    yield WarcRecord(uri, parse_iso(date or ""), records.get_record_offset(),
                                     records.get_record_length(), skip)
    except ArchiveLoadFailed as error:
        raise WarcError(f"not a readable WARC file ({error})") from None


def read_record(raw: bytes) -> tuple[bytes, str | None, str | None, str | None]:
    """(HTML payload, charset, target URI, date) of one response record's bytes."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(raw))))
    except (ArchiveLoadFailed, StopIteration) as error:
        raise WarcError(f"not a readable WARC record ({error})") from None
    why = _why_not_a_page(record)
    if why:
        raise WarcError(f"not a page: {why}")
    charset = None
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
    return (record.content_stream().read(), charset,
            record.rec_headers.get_header("WARC-Target-URI"),
            parse_iso(record.rec_headers.get_header("WARC-Date") or ""))


def _why_not_a_page(record) -> str | None:
    if record.rec_type == "revisit":
        return "a revisit record"
    if record.rec_type != "response":
        return f"a {record.rec_type} record"
    if record.http_headers is None:
        return "a response without HTTP headers"
    status = record.http_headers.get_statuscode()
    if status != "200":
        return f"HTTP status {status}"
    kind = (record.http_headers.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in PAGE_TYPES:
        return f"not HTML ({kind or 'no content type'})"
    return None
