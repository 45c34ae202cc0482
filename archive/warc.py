"""WARC files (.warc, .warc.gz): each HTML response record is one page.

Records are read with warcio. The original kept for an article is the record's own
bytes (a gzip member in a .warc.gz), so it can be read again on its own later. A file
that does not begin with a WARC record, an empty one, and a .warc.gz compressed as one
stream (whose records cannot be read on their own) are refused in one line, before any
of their records is archived. A record's payload is read up to the size cap and no
further: a small .warc.gz that inflates to gigabytes costs the time to inflate what is
scanned, never the memory.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.statusandheaders import StatusAndHeadersParserException

from archive.dates import parse_iso
from archive.printable import printable_name

PAGE_TYPES = ("text/html", "application/xhtml+xml")
_ONE_STREAM = ("a .warc.gz compressed as one stream: its records cannot be read one by one; "
               "recompress it record by record (warcio recompress)")
_UNREADABLE = (ArchiveLoadFailed, StatusAndHeadersParserException, ValueError, EOFError, zlib.error,
               gzip.BadGzipFile)


class _CutOff(Exception):
    """A record whose bytes end before its Content-Length: the file was cut in transit."""


class WarcError(Exception):
    """The WARC file or record cannot be read; the message says why."""

    def __init__(self, message: str):
        super().__init__(printable_name(message))


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
        except (OSError, EOFError, zlib.error):
            return False
    return data.startswith(b"WARC/")


def iter_records(path: Path) -> Iterator[WarcRecord]:
    """Every response and revisit record of a WARC file, with where its bytes are.
    Raises WarcError for a file that is not a WARC file or cannot be read record by
    record; a file damaged further on gives the records before the damage first."""
    with open(path, "rb") as stream:
        _check_start(stream)
        records = ArchiveIterator(stream)
        scanned = iter(records)
        held: WarcRecord | None = None  # given out once the record after it reads cleanly
        count = pages = end = 0
        while True:
            try:
                with _quiet():
                    record = next(scanned, None)
                    if record is None:
                        break
                    count += 1
                    skip = _why_not_a_page(record)
                    uri = record.rec_headers.get_header("WARC-Target-URI")
                    date = record.rec_headers.get_header("WARC-Date")
                    records.read_to_end(record)
                    offset, length = records.get_record_offset(), records.get_record_length()
                    end = offset + length
                    missing = getattr(record.raw_stream, "limit", 0)  # of its Content-Length
                    if missing > 0:
                        raise _CutOff(f"cut off, {missing} bytes short of its Content-Length")
            except (*_UNREADABLE, _CutOff) as error:
                if "non-chunked gzip" in str(error):
                    raise WarcError(_ONE_STREAM) from None
                if held is not None:
                    yield held
                what = str(error) if isinstance(error, _CutOff) else \
                    f"not a readable WARC record ({_first_line(error)})"
                raise WarcError(f"record {count}: {what}; the rest of the file was not read") from None
            if held is not None:
                yield held
                held = None
            if record.rec_type in ("response", "revisit"):
                pages += 1
                held = WarcRecord(uri, parse_iso(date or ""), offset, length, skip)
        if held is not None:
            yield held
        if count and _leftover(stream, end):
            raise WarcError(f"record {count + 1}: cut off or damaged (the file's last "
                            f"{_leftover(stream, end)} bytes are no whole record)")
        if not pages:
            raise WarcError(f"no response records in this WARC file ({count} other records)" if count
                            else "no records in this WARC file")


def read_record(raw: bytes, max_bytes: int) -> tuple[bytes, str | None, str | None, str | None]:
    """(HTML payload, charset, target URI, date) of one response record's bytes. The
    payload is inflated up to `max_bytes` and refused beyond."""
    try:
        with _quiet():
            record = next(iter(ArchiveIterator(io.BytesIO(raw))))
    except StopIteration:
        raise WarcError("not a readable WARC record (no record)") from None
    except _UNREADABLE as error:
        raise WarcError(f"not a readable WARC record ({_first_line(error)})") from None
    why = _why_not_a_page(record)
    if why:
        raise WarcError(f"not a page: {why}")
    charset = None
    content_type = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if content_type and "charset=" in content_type.lower():
        charset = content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'") or None
    try:
        with _quiet():
            payload = record.content_stream().read(max_bytes + 1)
    except _UNREADABLE as error:
        raise WarcError(f"the record's page cannot be read ({_first_line(error)})") from None
    if len(payload) > max_bytes:
        raise WarcError(f"the record's page is too large (over the {max_bytes >> 20} MB cap)")
    return (payload, charset, record.rec_headers.get_header("WARC-Target-URI"),
            parse_iso(record.rec_headers.get_header("WARC-Date") or ""))


def _check_start(stream) -> None:
    """Refuse, before warcio reads on, a file that does not begin with a WARC record."""
    head = stream.read(2)
    stream.seek(0)
    if not head:
        raise WarcError("an empty file, not a WARC file")
    if head == b"\x1f\x8b":
        try:
            with gzip.GzipFile(fileobj=stream) as member:
                start = member.read(5)
        except (OSError, EOFError, zlib.error):
            raise WarcError("not a WARC file: a damaged gzip file") from None
        finally:
            stream.seek(0)
    else:
        start = stream.read(5)
        stream.seek(0)
    if start != b"WARC/":
        raise WarcError("not a WARC file (it does not begin with a WARC/1.x record)")


def _leftover(stream, end: int) -> int:
    """How many bytes follow the last whole record, blank lines aside: warcio ends quietly
    at a record too cut off to parse."""
    size = os.fstat(stream.fileno()).st_size
    stream.seek(end)
    return 0 if size <= end or not stream.read(4096).strip() else size - end


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """warcio writes its warnings (a record not followed by a blank line) to stderr: each
    input gets one line from us, so they are kept out of the user's terminal."""
    with contextlib.redirect_stderr(io.StringIO()):
        yield


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[0] if lines else error.__class__.__name__)[:120]


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
