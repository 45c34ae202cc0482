"""Export and import: the whole archive as JSON Lines or as a .tar.gz with the originals.

A round trip gives an identical archive: the same ids, versions, dates and original
bytes. Import reads archives it did not write with suspicion: it never writes files
(tar members are read in memory, whatever their names), caps every entry's size, and
checks each original against its sha256.
"""

from __future__ import annotations

import base64
import io
import json
import re
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.article import Article, sha256_hex
from archive.sources import MAX_BYTES
from archive.store import Store

FORMAT = "archive-export/1"
_SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_LINE = 4 * MAX_BYTES // 3 + 1_000_000  # a base64 original of the largest accepted size
FIELDS = ("id", "version", "sha256", "title", "body", "author", "published", "site", "url",
          "lang", "origin", "added_at", "updated_at")


class TransferError(Exception):
    """The export file cannot be written or read; the message says why."""


@dataclass
class ImportReport:
    versions: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def export_archive(store: Store, path: Path) -> int:
    """Write every live article with all its versions; .tar.gz keeps originals as files,
    anything else is JSON Lines with originals in base64. Returns the versions written."""
    tarred = path.name.endswith((".tar.gz", ".tgz"))
    try:
        if tarred:
            return _export_tar(store, path)
        with open(path, "w", encoding="utf-8") as out:
            count = 0
            out.write(json.dumps({"format": FORMAT}) + "\n")
            for record, original in _records(store):
                record["original_base64"] = base64.b64encode(original).decode("ascii")
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
            return count
    except OSError as error:
        raise TransferError(f"cannot write {path}: {error.strerror}") from None


def _export_tar(store: Store, path: Path) -> int:
    lines, count = io.BytesIO(), 0
    lines.write((json.dumps({"format": FORMAT}) + "\n").encode("utf-8"))
    with tarfile.open(path, "w:gz") as tar:
        written: set[str] = set()
        for record, original in _records(store):
            lines.write((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
            if record["sha256"] not in written:
                _add_member(tar, f"originals/{record['sha256']}", original)
                written.add(record["sha256"])
            count += 1
        _add_member(tar, "articles.jsonl", lines.getvalue())
    return count


def _add_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def _records(store: Store) -> Iterator[tuple[dict, bytes]]:
    for article in store.iter_articles():
        for version in store.version_articles(article.id):
            original = store.original_bytes(version.sha256) or b""
            yield {name: getattr(version, name) for name in FIELDS}, original


def import_archive(store: Store, path: Path) -> ImportReport:
    """Read an export into the store; bad entries are reported and skipped."""
    report = ImportReport()
    try:
        if tarfile.is_tarfile(path):
            entries = _tar_entries(path, report)
        else:
            entries = _jsonl_entries(path, report)
        batch: list[tuple[Article, bytes]] = []
        for article, original in entries:
            batch.append((article, original))
            if len(batch) >= 200:
                report.versions += store.import_versions(batch)
                batch = []
        report.versions += store.import_versions(batch)
    except OSError as error:
        raise TransferError(f"cannot read {path}: {error.strerror}") from None
    except tarfile.TarError as error:
        raise TransferError(f"{path} is not a readable export: {error}") from None
    return report


def _jsonl_entries(path: Path, report: ImportReport) -> Iterator[tuple[Article, bytes]]:
    with open(path, "rb") as stream:
        for number, record in _records_of(stream, report):
            try:
                original = base64.b64decode(record.get("original_base64") or "", validate=True)
            except ValueError:
                report.problems.append(f"line {number}: the original is not valid base64")
                continue
            entry = _entry(record, original, f"line {number}", report)
            if entry:
                yield entry


def _tar_entries(path: Path, report: ImportReport) -> Iterator[tuple[Article, bytes]]:
    with tarfile.open(path, "r:*") as tar:
        members = {m.name: m for m in tar.getmembers() if m.isfile()}
        listing = members.get("articles.jsonl")
        if listing is None:
            raise TransferError(f"{path} has no articles.jsonl: not an archive export")
        for number, record in _records_of(tar.extractfile(listing), report):
            member = members.get(f"originals/{record.get('sha256')}")
            if member is None or member.size > MAX_BYTES:
                report.problems.append(f"line {number}: its original is missing or too large")
                continue
            entry = _entry(record, tar.extractfile(member).read(), f"line {number}", report)
            if entry:
                yield entry


def _records_of(stream, report: ImportReport) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each JSON object line; a line over the size cap is
    skipped without being read into memory whole."""
    for number, line in enumerate(iter(lambda: stream.readline(MAX_LINE), b""), 1):
        if len(line) >= MAX_LINE and not line.endswith(b"\n"):
            report.problems.append(f"line {number}: too large, skipped")
            _skip_rest_of_line(stream)
            continue
        record = _record(line, f"line {number}", report)
        if record is not None:
            yield number, record


def _record(line: bytes, where: str, report: ImportReport) -> dict | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        report.problems.append(f"{where}: not JSON")
        return None
    if not isinstance(record, dict):
        report.problems.append(f"{where}: not an object")
        return None
    return None if "format" in record else record


def _entry(record: dict, original: bytes, where: str, report: ImportReport) -> tuple[Article, bytes] | None:
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
    if not isinstance(version, int) or version < 1:
        report.problems.append(f"{where}: bad version number")
        return None
    text = {name: record.get(name) if isinstance(record.get(name), str) else None
            for name in ("author", "published", "site", "url", "lang", "origin", "added_at", "updated_at")}
    article = Article(title=str(record.get("title") or ""), body=body, id=record["id"], version=version,
                      sha256=sha, **text)
    article.added_at = article.added_at or article.updated_at or "1970-01-01T00:00:00+00:00"
    article.updated_at = article.updated_at or article.added_at
    return article, original


def _skip_rest_of_line(lines) -> None:
    while True:
        chunk = lines.readline(MAX_LINE)
        if not chunk or chunk.endswith(b"\n"):
            return
