"""Export and import: the archive as JSON Lines or as a .tar.gz with the originals.

A round trip gives an identical archive: the same ids, versions, dates and original
bytes, and the user's tags and note of each article (on the record of its newest
version). A .tar.gz holds its list of articles first, then each original once in the order
the list names them, so an import reads it in one pass (an export written with the list
last is read in one pass too: its originals are set aside in the home until the list
comes). Import reads archives it did not write with suspicion: it never writes files
from their names (tar members are read in memory), caps every entry's size, checks each
original against its sha256, and never changes an article it does not prove
(archive/import_proofs.py). Every entry it cannot take is one line of the report and the
entries after it are still imported; a .tar.gz cut off in transit gives what arrived
before the cut. Versions the archive holds already are passed over without being
decoded, so importing the same file again is quick.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import tarfile
import tempfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import IO, BinaryIO, TypeGuard

from archive.article import Article, sha256_hex
from archive.decode import without_controls
from archive.import_proofs import Entry, ImportProofs
from archive.printable import printable_name
from archive.sources import MAX_BYTES
from archive.store import Store
from archive.tags import LabelError, Labels, note_text, tag_name

FORMAT = "archive-export/1"
LISTING = "articles.jsonl"
_SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_LINE = 4 * MAX_BYTES // 3 + 1_000_000  # a base64 original of the largest accepted size
SPOOL_IN_MEMORY = 32 * 1024 * 1024  # bytes of a tar's list kept in memory before a file
FIELDS = ("id", "version", "sha256", "title", "body", "author", "published", "site", "url",
          "lang", "origin", "added_at", "updated_at")
MAX_VERSION = 1_000_000  # versions count an article's changes; SQLite's integers stop at 2**63
Progress = Callable[[int], None]
# A damaged or truncated .tar.gz: what tarfile, gzip and zlib raise for it.
_DAMAGED = (tarfile.TarError, EOFError, zlib.error, OSError)


class TransferError(Exception):
    """The export file cannot be written or read; the message says why (on one line)."""

    def __init__(self, message: str):
        super().__init__(printable_name(message))


@dataclass
class ImportReport:
    """What `import` did: versions imported, versions the archive had already, and each
    entry it could not take (one line each)."""

    file: str = ""
    versions: int = 0
    already: int = 0
    problems: list[str] = field(default_factory=list)
    labelled: int = 0  # articles that got tags or a note from the export
    labels: dict[str, Labels] = field(default_factory=dict, repr=False)  # read so far, by id

    def to_json(self) -> dict:
        return {"file": self.file, "imported": self.versions, "already_archived": self.already,
                "labelled": self.labelled, "problems": self.problems}


@dataclass
class ExportReport:
    """What `export` wrote: where, in which format, how many articles and versions."""

    file: str
    format: str
    articles: int = 0
    versions: int = 0
    skipped: int = 0  # articles a format cannot hold (a bookmark without a URL)

    def to_json(self) -> dict:
        shape = {"file": self.file, "format": self.format, "articles": self.articles,
                 "versions": self.versions}
        if self.format == "bookmarks":
            shape["skipped"] = self.skipped
        return shape


def export_archive(store: Store, path: Path | None, kind: str, ids: Iterable[str] | None = None,
                   removed: bool = False, progress: Progress | None = None,
                   spool_dir: Path | None = None) -> ExportReport:
    """Write articles with all their versions to `path` (None: stdout): every live
    article, or those of `ids`, and with `removed` the removed articles whose originals
    are kept. A file appears whole or not at all (written beside, then renamed)."""
    report = ExportReport(str(path) if path else "-", kind)
    chosen = sorted(set(ids)) if ids is not None else None
    try:
        if path is None:
            _write(store, report, chosen, removed, progress, _stdout(), spool_dir)
            return report
        handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.",
                                             delete=False)
        try:
            with handle:
                _write(store, report, chosen, removed, progress, handle, path.parent)
            os.replace(handle.name, path)
        except BaseException:
            os.unlink(handle.name)
            raise
    except BrokenPipeError:
        raise  # `export - | head`: the command ends quietly
    except OSError as error:
        raise TransferError(f"cannot write {report.file}: {error.strerror or error}") from None
    return report


def _stdout() -> BinaryIO:
    import sys

    return sys.stdout.buffer


def _write(store: Store, report: ExportReport, ids: list[str] | None, removed: bool,
           progress: Progress | None, out: IO[bytes], spool_dir: Path | None) -> None:
    records = _records(store, ids, removed, report)
    if report.format == "tar.gz":
        _write_tar(store, records, out, progress, spool_dir)
        return
    out.write((json.dumps({"format": FORMAT}) + "\n").encode())
    for record in records:
        original = store.original_bytes(record["sha256"]) or b""
        record["original_base64"] = base64.b64encode(original).decode("ascii")
        out.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
        if progress:
            progress(1)
    out.flush()


def _write_tar(store: Store, records: Iterator[dict], out: IO[bytes], progress: Progress | None,
               spool_dir: Path | None) -> None:
    """The list first (spooled to learn its size), then each original once, in the
    order the list first names them."""
    shas: dict[str, int] = {}  # each original once, with how many versions it holds
    with tempfile.SpooledTemporaryFile(SPOOL_IN_MEMORY, dir=str(spool_dir) if spool_dir else None) as listing:
        listing.write((json.dumps({"format": FORMAT}) + "\n").encode())
        for record in records:
            listing.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            shas[record["sha256"]] = shas.get(record["sha256"], 0) + 1
        size = listing.tell()
        listing.seek(0)
        with tarfile.open(fileobj=out, mode="w|gz") as tar:
            _add_member(tar, LISTING, listing, size)
            for sha, versions in shas.items():
                data = store.original_bytes(sha) or b""
                _add_member(tar, f"originals/{sha}", io.BytesIO(data), len(data))
                if progress:
                    progress(versions)
    out.flush()


def _add_member(tar: tarfile.TarFile, name: str, data: IO[bytes], size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    tar.addfile(info, data)


def _records(store: Store, ids: list[str] | None, removed: bool,
             report: ExportReport) -> Iterator[dict]:
    """Every version of the chosen articles, oldest first, as export records; a removed
    article's are marked `"removed": true` so an import keeps it removed."""
    chosen: Iterable[tuple[str, bool]] = ((article.id, False) for article in store.iter_chosen(ids))
    if removed:
        chosen = chain(chosen, ((article_id, True) for article_id in store.removed_ids()))
    for article_id, gone in chosen:
        report.articles += 1
        versions = store.version_articles(article_id)
        labels = store.labels(article_id)
        for version in versions:
            record = {name: getattr(version, name) for name in FIELDS}
            if gone:
                record["removed"] = True
            if version is versions[-1]:
                record.update({"tags": labels.tags} if labels.tags else {})
                record.update({"note": labels.note} if labels.note else {})
            report.versions += 1
            yield record


def count_versions(store: Store, ids: Iterable[str] | None, removed: bool) -> int:
    """How many versions an export of these articles writes (for a progress bar)."""
    return store.count_versions(None if ids is None else list(ids), removed)


# --- import -------------------------------------------------------------------------


def import_archive(store: Store, path: Path | None, progress: Progress | None = None) -> ImportReport:
    """Read an export (from `path`, or stdin for None) into the store in one pass, so a
    pipe will do; bad entries are reported and skipped. `progress` hears the bytes read."""
    report = ImportReport(str(path) if path else "-")
    name = path or Path("-")
    proofs = ImportProofs(store, report.problems, store.path.parent)
    try:
        with (open(path, "rb") if path else _stdin()) as raw:
            stream = io.BufferedReader(_Counted(raw, progress), 1024 * 1024)
            head = stream.peek(512)[:512]
            if head.startswith(b"\x1f\x8b") or head[257:262] == b"ustar":
                entries = _tar_entries(proofs, name, stream, report)
            else:
                entries = _jsonl_entries(proofs, name, stream, report)
            batch: list[Entry] = []
            for entry in entries:
                batch += proofs.ready() + proofs.admit(entry)
                if len(batch) >= 200:
                    _import(store, batch, report)
                    batch = []
            _import(store, batch + proofs.ready(), report)
            proofs.finish()
            report.labelled = store.import_labels(_proven_labels(proofs, report))
    except OSError as error:
        raise TransferError(f"cannot read {name}: {error.strerror or error}") from None
    except (tarfile.TarError, EOFError, zlib.error) as error:
        raise TransferError(f"{name} is not a readable export: {error}") from None
    finally:
        proofs.close()
        report.already = proofs.already
    return report


def _stdin():
    """stdin's bytes, left open when the import is done."""
    import contextlib
    import sys

    return contextlib.nullcontext(sys.stdin.buffer)


def _proven_labels(proofs: ImportProofs, report: ImportReport) -> dict[str, Labels]:
    """The tags and notes of the articles this import proves; those of any other article
    are one line each, never applied (a crafted export must not label what it names)."""
    kept = {}
    for article_id, labels in report.labels.items():
        if proofs.proves(article_id):
            kept[article_id] = labels
        else:
            report.problems.append(f"the tags and note of article {article_id} are skipped: "
                                   "nothing in this import proves it is that article")
    return kept


def _import(store: Store, batch: list[Entry], report: ImportReport) -> None:
    removed = {article.id for _, article, _, gone in batch if gone}
    report.versions += store.import_versions([(a, original) for _, a, original, _ in batch],
                                             removed=removed)


class _Counted(io.RawIOBase):
    """A file read through, telling `progress` how many bytes each read took."""

    def __init__(self, raw: BinaryIO, progress: Progress | None):
        self.raw, self.progress = raw, progress

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.raw.read(len(buffer))
        buffer[:len(data)] = data
        if self.progress and data:
            self.progress(len(data))
        return len(data)


def _not_an_export(path: Path, why: str) -> TransferError:
    return TransferError(f"{path} is not an `archive export` file ({why})")


def _jsonl_entries(proofs: ImportProofs, path: Path, stream: BinaryIO,
                   report: ImportReport) -> Iterator[Entry]:
    header = stream.readline(1024)
    if not _is_header(header):
        raise _not_an_export(path, "it does not start with the export's format line")
    for number, record in _records_of(stream, report, first=2):
        if _passed_over(proofs, record, number):
            continue
        try:
            original = base64.b64decode(record.get("original_base64") or "", validate=True)
        except (ValueError, TypeError):
            report.problems.append(f"line {number}: the original is not valid base64")
            continue
        entry = _entry(record, original, f"line {number}", report)
        if entry:
            yield entry


def _is_header(line: bytes) -> bool:
    try:
        record = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(record, dict) and str(record.get("format", "")).startswith("archive-export/")


def _passed_over(proofs: ImportProofs, record: dict, number: int) -> bool:
    """Whether the archive holds this version already (then it is not decoded at all)."""
    article_id, version, sha = record.get("id"), record.get("version"), record.get("sha256")
    if not (isinstance(article_id, str) and isinstance(sha, str) and _is_version(version)):
        return False
    return proofs.passes_over(f"line {number}", article_id, version, sha)


def _is_version(version: object) -> TypeGuard[int]:
    return type(version) is int and 1 <= version <= MAX_VERSION  # True is an int to Python


def _tar_entries(proofs: ImportProofs, path: Path, stream: BinaryIO,
                 report: ImportReport) -> Iterator[Entry]:
    with tarfile.open(fileobj=stream, mode="r|*") as tar:
        damage: list[str] = []  # why the file ended early, when it did
        members = _files(tar, damage)
        first = next(members, None)
        if first is None:
            if damage:
                raise TransferError(f"{path}: {damage[0]}: nothing to import")
            raise _not_an_export(path, f"a tar file without {LISTING}")
        if first.name == LISTING:
            yield from _listed_first(proofs, tar, first, members, damage, report)
        else:
            yield from _listed_last(proofs, path, tar, first, members, damage, report)


def _listed_first(proofs: ImportProofs, tar: tarfile.TarFile, listing: tarfile.TarInfo,
                  members: Iterator[tarfile.TarInfo], damage: list[str],
                  report: ImportReport) -> Iterator[Entry]:
    """The list, then the originals: the records still wanted wait for theirs. A file
    cut off among the originals gives the entries whose originals came before the cut."""
    wanted: dict[str, list[tuple[int, dict]]] = {}
    for number, record in _listing(tar, listing, report, damage):
        if not _passed_over(proofs, record, number):
            wanted.setdefault(str(record.get("sha256")), []).append((number, record))
    if damage:  # the originals come after the list
        report.problems.append(f"{damage[0]}: nothing to import")
        return
    for member in members:
        records = wanted.pop(member.name.removeprefix("originals/"), None)
        if not records or not member.name.startswith("originals/"):
            continue
        original = _member_bytes(tar, member, damage)
        if damage:
            wanted[member.name.removeprefix("originals/")] = records
            break
        yield from _entries(records, original, report)
    if damage:
        missing = sum(len(records) for records in wanted.values())
        report.problems.append(f"{damage[0]}; {missing} entries whose originals came after it "
                               "were not imported")
        return
    for records in wanted.values():
        report.problems.extend(f"line {number}: its original is missing" for number, _ in records)


def _listed_last(proofs: ImportProofs, path: Path, tar: tarfile.TarFile, first: tarfile.TarInfo,
                 members: Iterator[tarfile.TarInfo], damage: list[str],
                 report: ImportReport) -> Iterator[Entry]:
    """Exports written before the list came first: the originals are set aside in a
    file of the home as they come (one pass over the gzip stream), then the list is read."""
    spooled: dict[str, tuple[int, int] | None] = {}  # sha256 -> (offset, size); None: too large
    with tempfile.TemporaryFile(dir=proofs.spool_dir) as spool:
        member: tarfile.TarInfo | None = first
        while member is not None and member.name != LISTING:
            if member.name.startswith("originals/"):
                data = _member_bytes(tar, member, damage)
                if data is not None:
                    spooled[member.name.removeprefix("originals/")] = (spool.tell(), len(data))
                    spool.write(data)
                else:
                    spooled[member.name.removeprefix("originals/")] = None
            member = None if damage else next(members, None)
        if member is None:
            if damage:
                raise TransferError(f"{path}: {damage[0]}; its list of articles ({LISTING}) comes "
                                    "after that: nothing to import")
            raise _not_an_export(path, f"a tar file without {LISTING}")
        for number, record in _listing(tar, member, report, damage):
            if _passed_over(proofs, record, number):
                continue
            where = spooled.get(str(record.get("sha256")))
            original = None
            if where is not None:
                spool.seek(where[0])
                original = spool.read(where[1])
            yield from _entries([(number, record)], original, report)
        report.problems.extend(damage)


def _files(tar: tarfile.TarFile, damage: list[str]) -> Iterator[tarfile.TarInfo]:
    """The regular files of the tar in order (links are never followed); a cut or damaged
    file ends them, with why in `damage`."""
    count = 0
    try:
        for member in tar:
            count += 1
            if member.isfile():
                yield member
    except _DAMAGED as error:
        damage.append(f"the file is cut off or damaged after {count} members ({_reason(error)})")


def _listing(tar: tarfile.TarFile, member: tarfile.TarInfo, report: ImportReport,
             damage: list[str]) -> Iterator[tuple[int, dict]]:
    """The list's records; a list cut off ends them, with why in `damage`."""
    stream = tar.extractfile(member)
    if stream is None:
        return
    try:
        yield from _records_of(stream, report)
    except _DAMAGED as error:
        damage.append(f"the file is cut off or damaged inside {LISTING} ({_reason(error)})")


def _member_bytes(tar: tarfile.TarFile, member: tarfile.TarInfo, damage: list[str]) -> bytes | None:
    """A member's bytes, or None when it is over the size cap or cut off (then `damage` says so)."""
    if member.size > MAX_BYTES:
        return None
    handle = tar.extractfile(member)
    if handle is None:
        return None
    try:
        return handle.read()
    except _DAMAGED as error:
        damage.append(f"the file is cut off or damaged inside {member.name} ({_reason(error)})")
        return None


def _reason(error: Exception) -> str:
    return (str(error).splitlines() or [""])[0][:100] or error.__class__.__name__


def _entries(records: list[tuple[int, dict]], original: bytes | None,
             report: ImportReport) -> Iterator[Entry]:
    for number, record in records:
        if original is None:
            report.problems.append(f"line {number}: its original is missing or too large")
            continue
        entry = _entry(record, original, f"line {number}", report)
        if entry:
            yield entry


def _records_of(stream, report: ImportReport, first: int = 1) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each JSON object line; a line over the size cap is
    skipped without being read into memory whole."""
    for number, line in enumerate(iter(lambda: stream.readline(MAX_LINE), b""), first):
        if len(line) >= MAX_LINE and not line.endswith(b"\n"):
            report.problems.append(f"line {number}: too large, skipped")
            _skip_rest_of_line(stream)
            continue
        record = _record(line, f"line {number}", report)
        if record is not None:
            _take_labels(record, f"line {number}", report)
            yield number, record


def _record(line: bytes, where: str, report: ImportReport) -> dict | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except RecursionError:
        report.problems.append(f"{where}: not JSON we read (nested too deeply)")
        return None
    except ValueError:
        report.problems.append(f"{where}: not JSON")
        return None
    if not isinstance(record, dict):
        report.problems.append(f"{where}: not an object")
        return None
    return None if "format" in record else record


def _take_labels(record: dict, where: str, report: ImportReport) -> None:
    """Keep a record's tags and note for when its article is imported (even when the
    version itself is in the archive already); a bad one is a problem, the rest goes on."""
    tags, note, article_id = record.get("tags"), record.get("note"), record.get("id")
    if (tags is None and note is None) or not isinstance(article_id, str):
        return
    labels = report.labels.setdefault(article_id, Labels())
    try:
        if tags is not None:
            if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                raise LabelError("the tags are not a list of names")
            labels.tags.extend(tag_name(t) for t in tags)
        if note is not None:
            if not isinstance(note, str):
                raise LabelError("the note is not text")
            labels.note = note_text(note) or None
    except LabelError as error:
        report.problems.append(f"{where}: {error}")


_TEXT_FIELDS = ("title", "author", "published", "site", "url", "lang", "origin", "added_at",
                "updated_at")


def _entry(record: dict, original: bytes, where: str, report: ImportReport) -> Entry | None:
    sha = record.get("sha256")
    if not isinstance(sha, str) or not _SHA.match(sha) or sha256_hex(original) != sha:
        report.problems.append(f"{where}: the original does not match its sha256")
        return None
    if not isinstance(record.get("id"), str) or not re.fullmatch(r"[0-9a-f]{6,64}", record["id"]):
        report.problems.append(f"{where}: bad article id")
        return None
    body = record.get("body")
    if not isinstance(body, list) or not all(isinstance(p, str) for p in body):
        report.problems.append(f"{where}: the body is not a list of paragraphs")
        return None
    version = record.get("version")
    if not _is_version(version):
        report.problems.append(f"{where}: bad version number (a whole number from 1 to "
                               f"{MAX_VERSION:,})")
        return None
    text = {name: record.get(name) if isinstance(record.get(name), str) else None
            for name in _TEXT_FIELDS}
    if not all(_storable(value) for value in [*body, *text.values()]):
        report.problems.append(f"{where}: text that is not valid Unicode (a lone surrogate)")
        return None
    text = {name: _clean(name, value) for name, value in text.items()}
    article = Article(title=text["title"] or "", body=[without_controls(p) for p in body],
                      id=record["id"], version=version, sha256=sha, author=text["author"],
                      published=text["published"], site=text["site"], url=text["url"],
                      lang=text["lang"], origin=text["origin"], added_at=text["added_at"],
                      updated_at=text["updated_at"])
    article.added_at = article.added_at or article.updated_at or "1970-01-01T00:00:00+00:00"
    article.updated_at = article.updated_at or article.added_at
    return where, article, original, record.get("removed") is True


def _storable(text: str | None) -> bool:
    try:
        (text or "").encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _clean(name: str, value: str | None) -> str | None:
    """No control character reaches the archive from an export (a title with an escape
    sequence would reach the terminal of whoever lists it); origins are escaped as names."""
    if value is None:
        return None
    return printable_name(value) if name == "origin" else without_controls(value)


def _skip_rest_of_line(lines) -> None:
    while True:
        chunk = lines.readline(MAX_LINE)
        if not chunk or chunk.endswith(b"\n"):
            return
