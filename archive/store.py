"""The archive of record: one SQLite file holding every article, its versions and the
original bytes of every page.

The store is the truth; the search index is derived from it. Every change to an
article (added, new version, re-extracted, removed) appends a row to `changes` in the
same transaction, so an index can replay exactly what it has not seen yet. Originals
are kept verbatim (zlib-compressed) so a better cleaner can re-extract them later.
"""

from __future__ import annotations

import functools
import inspect
import os
import re
import sqlite3
import time
import zlib
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from archive import migrations, neardup
from archive.article import Article, article_id, sha256_hex
from archive.feeds import Feed, FeedRecord, ItemResult, SeenItem
from archive.migrations import compress_body, expand_body, text_chars
from archive.tags import Labels, tag_key
from archive.urls import canonical_url

DB_NAME = "archive.db"
LOCK_TIMEOUT = 30.0  # seconds to wait for another archive process before giving up
FIELDS = "title, body, author, published, site, url, lang, origin"
ARTICLE_COLUMNS = f"id, version, sha256, {FIELDS}, added_at, updated_at, dup_group"
BRIEF_COLUMNS = ARTICLE_COLUMNS.replace(" body,", " NULL,")  # all but the text


# A version row whose body is NULL is the current version: its text and metadata are the
# article's own, read from articles.
_CURRENT_JOIN = "LEFT JOIN articles a ON a.id = v.article_id AND v.body IS NULL"
_CURRENT_OR_KEPT = ", ".join(f"CASE WHEN v.body IS NULL THEN a.{name} ELSE v.{name} END"
                             for name in FIELDS.split(", "))


class StoreError(Exception):
    """The archive cannot be opened or used; the message says why, for the user."""


class IdError(ValueError):
    """An id as typed that names no single article: not hex digits, or the start of the
    ids of several articles (the message lists them, as git lists ambiguous prefixes)."""

    def __init__(self, message: str, candidates: list[Article] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


_HEX_ID = re.compile(r"[0-9a-f]+")
AMBIGUOUS_LISTED = 10  # candidates an ambiguous prefix lists


@dataclass
class Stored:
    """What `add` did with one page: 'added', 'updated' (a new version) or 'exists'."""

    status: str
    article: Article


@dataclass
class Version:
    """One kept version of an article: its number, original, time and title."""

    number: int
    sha256: str
    added_at: str
    title: str
    origin: str | None

    def to_json(self) -> dict:
        return asdict(self)


def _one_line_errors(cls):
    """Every public method of the store turns SQLite's errors (a damaged page, a full
    disk, a busy file) into StoreError, one line for the user, generators included."""
    def wrap(method):
        if inspect.isgeneratorfunction(method):
            @functools.wraps(method)
            def generator(self, *args, **kwargs):
                try:
                    yield from method(self, *args, **kwargs)
                except sqlite3.DatabaseError as error:
                    raise StoreError(_explain(error, self.path)) from None
            return generator

        @functools.wraps(method)
        def function(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as error:
                raise StoreError(_explain(error, self.path)) from None
        return function

    for name, method in list(vars(cls).items()):
        if not name.startswith("_") and inspect.isfunction(method):
            setattr(cls, name, wrap(method))
    return cls


@_one_line_errors
class Store:
    """The archive of record in `home/archive.db`."""

    def __init__(self, connection: sqlite3.Connection, path: Path):
        self.db = connection
        self.path = path
        self.read_only = False
        self._identity: str | None = None

    @classmethod
    def open(cls, home: Path, create: bool = False) -> Store:
        """Open the archive in `home`; with `create`, make the home and the file if needed.
        A home that cannot be written (a read-only mount, a backup copy) opens read-only."""
        path = Path(home) / DB_NAME
        if not path.exists() and not create:
            raise StoreError(f"no archive in {home}: run `archive add` first")
        try:
            if create:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not os.access(path.parent, os.W_OK):
                    raise StoreError(f"cannot write to the archive folder {home}: permission denied")
            writable = os.access(path.parent, os.W_OK) and (not path.exists()
                                                             or os.access(path, os.W_OK))
            store = cls(_connect(path, writable), path)
            store.read_only = not writable
            store._prepare()
        except sqlite3.DatabaseError as error:
            raise StoreError(_explain(error, path)) from None
        except OSError as error:
            raise StoreError(f"cannot open the archive {path}: {error.strerror}") from None
        return store

    def _prepare(self) -> None:
        """Make the schema of a new archive, or upgrade an older one, in one transaction
        that another process waits for; check that the file is an archive."""
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == migrations.SCHEMA_VERSION:
            self.db.execute("SELECT count(*) FROM articles").fetchone()
            if not self.read_only and migrations.missing_tables(self.db):
                with self._transaction():
                    migrations.add_late_tables(self.db)
            return
        if version > migrations.SCHEMA_VERSION:
            raise StoreError(f"the archive {self.path} was made by a newer version of archive "
                             f"(format {version}); upgrade archive to read it")
        if self.read_only:
            if version == 0:
                raise StoreError(f"no archive in {self.path.parent} (an empty archive.db)")
            raise StoreError(f"the archive {self.path} is in an older format and must be "
                             "upgraded once, which needs write access to its folder")
        with self._transaction():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]  # another won?
            fresh = version == 0 and not self.db.execute(
                "SELECT 1 FROM sqlite_schema WHERE name = 'articles'").fetchone()
            if fresh:
                migrations.create(self.db)
            elif version < migrations.SCHEMA_VERSION:
                migrations.upgrade(self.db, self._regroup_all)
        if not fresh and version < migrations.SCHEMA_VERSION:
            self.db.execute("VACUUM")  # give back the space of the old tables

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- adding -----------------------------------------------------------------------

    def has_original(self, sha256: str) -> str | None:
        """The id of the live article that has a version from these exact bytes, if any."""
        row = self.db.execute(
            "SELECT v.article_id FROM versions v JOIN articles a ON a.id = v.article_id "
            "WHERE v.sha256 = ? LIMIT 1", (sha256,)
        ).fetchone()
        return row[0] if row else None

    def add_many(self, items: list[tuple[Article, bytes]]) -> list[Article]:
        """Commit pages in one transaction; return the articles stored (new ones and new
        versions). Bytes already archived are skipped."""
        return [s.article for s in self.store_pages(items) if s.status != "exists"]

    def store_pages(self, items: list[tuple[Article, bytes]]) -> list[Stored]:
        """Commit pages in one transaction. A page whose canonical URL is an article's
        already becomes that article's new version; every original is kept."""
        results = []
        with self._transaction():
            for article, original in items:
                results.append(self._store_page(article, original))
        return results

    def _store_page(self, article: Article, original: bytes) -> Stored:
        sha = sha256_hex(original)
        known = self.has_original(sha)
        if known:
            kept = self.get(known)
            assert kept is not None  # has_original names live articles only, in this transaction
            return Stored("exists", kept)
        self.db.execute(
            "INSERT OR IGNORE INTO originals VALUES (?, ?, 'zlib', ?)",
            (sha, len(original), zlib.compress(original, 6)),
        )
        now = _now()
        article.sha256 = sha
        key = canonical_url(article.url)
        row = self.db.execute("SELECT id, version, added_at FROM articles WHERE key = ?",
                              (key,)).fetchone() if key else None
        if row:
            article.id, article.version, article.added_at = row[0], row[1] + 1, row[2]
            status = "updated"
        else:
            article.id = self._free_id(sha)
            earlier = self.db.execute("SELECT max(version) FROM versions WHERE article_id = ?",
                                      (article.id,)).fetchone()[0]
            article.version = (earlier or 0) + 1  # a removed article brought back keeps its history
            article.added_at = article.added_at or now
            status = "added"
        self._write_version(article, now)
        return Stored(status, article)

    def _free_id(self, sha: str) -> str:
        """The first 12 hex digits of the sha256, longer only if a removed article or a
        different page already took them."""
        for length in range(len(article_id(sha)), len(sha) + 1):
            candidate = sha[:length]
            taken = self.db.execute(
                "SELECT 1 FROM versions WHERE article_id = ? AND sha256 != ? LIMIT 1", (candidate, sha)
            ).fetchone()
            if not taken:
                return candidate
        return sha

    def _write_version(self, article: Article, now: str) -> None:
        values = (article.title, compress_body(article.body), text_chars(article.title, article.body),
                  article.author, article.published, article.site, article.url, article.lang,
                  article.origin)
        previous = self._bands_of(article.id)
        self._retire_current(article.id)
        self.db.execute(  # the current version's text and metadata are in articles, kept once
            "INSERT OR REPLACE INTO versions (article_id, version, sha256, added_at) "
            "VALUES (?,?,?,?)", (article.id, article.version, article.sha256, now))
        self._upsert_current(article, values, article.added_at, now)
        self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article.id,))
        self._group_near_duplicates(article, previous)

    def _upsert_current(self, article: Article, values: tuple, added_at: str | None,
                        updated_at: str | None) -> None:
        """The article's current row; an article already kept keeps its row number (its
        near-duplicate bands point at it)."""
        key = canonical_url(article.url)
        if key and self.db.execute("SELECT 1 FROM articles WHERE key = ? AND id != ?",
                                   (key, article.id)).fetchone():
            key = None  # another article holds this URL: this one stays apart
        self.db.execute(
            f"INSERT INTO articles (id, key, version, {FIELDS}, chars, sha256, added_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE SET key=excluded.key,"
            " version=excluded.version, title=excluded.title, body=excluded.body, "
            "chars=excluded.chars, author=excluded.author, published=excluded.published, "
            "site=excluded.site, url=excluded.url, lang=excluded.lang, origin=excluded.origin, "
            "sha256=excluded.sha256, added_at=excluded.added_at, updated_at=excluded.updated_at",
            (article.id, key, article.version, values[0], values[1], *values[3:], values[2],
             article.sha256, added_at, updated_at),
        )

    def _retire_current(self, article_id: str) -> None:
        """Copy the current text and metadata into its version row, before it stops being
        current: the current version's are kept once, in articles (the text was 25 of 67 MB
        at 10k; the rest 0.22x the raw text)."""
        self.db.execute(
            f"UPDATE versions SET ({FIELDS}) = (SELECT {FIELDS} FROM articles WHERE id = ?) "
            "WHERE article_id = ? AND body IS NULL", (article_id, article_id))

    def _bands_of(self, article_id: str) -> tuple[int, list[int]] | None:
        """The row number and band keys of the article kept under this id, if any (the
        signature is made again from the text: keeping it cost 0.15x the raw text)."""
        row = self.db.execute("SELECT num, body FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        sig = neardup.signature(expand_body(row[1]))
        return row[0], neardup.band_keys(sig) if sig is not None else []

    def _group_near_duplicates(self, article: Article,
                               previous: tuple[int, list[int]] | None = None) -> None:
        """Give the article the group of the most similar earlier copy of the same story
        (MinHash over the clean body; LSH bands find the candidates, whose signatures are
        made again from their text)."""
        if previous is not None:
            self._drop_bands(*previous)
        (num,) = self.db.execute("SELECT num FROM articles WHERE id = ?", (article.id,)).fetchone()
        sig = article.signature or neardup.signature(article.body)
        group = None
        if sig is not None:
            keys = neardup.band_keys(sig)
            marks = ",".join("?" * len(keys))
            candidates = self.db.execute(
                f"SELECT a.id, a.body, a.dup_group FROM articles a WHERE a.num IN "
                f"(SELECT article FROM neardup WHERE band_key IN ({marks})) AND a.num != ?",
                (*keys, num)).fetchall()
            best = 0.0
            for other, other_body, other_group in candidates:
                other_sig = neardup.signature(expand_body(other_body))
                score = neardup.similarity(sig, other_sig) if other_sig else 0.0
                if score >= neardup.SIMILAR and score > best:
                    best, group = score, other_group or other
                    if other_group is None:
                        self.db.execute("UPDATE articles SET dup_group = ? WHERE id = ?", (other, other))
            self.db.executemany("INSERT OR IGNORE INTO neardup VALUES (?, ?)",
                                [(key, num) for key in keys])
        self.db.execute("UPDATE articles SET dup_group = ? WHERE num = ?", (group, num))
        article.group = group

    def _drop_bands(self, num: int, keys: list[int]) -> None:
        self.db.executemany("DELETE FROM neardup WHERE band_key = ? AND article = ?",
                            [(key, num) for key in keys])

    def _regroup_all(self) -> None:
        """Bands and groups again for every article, oldest first (an upgrade of the
        signature's hash makes the old ones incomparable)."""
        self.db.execute("DELETE FROM neardup")
        self.db.execute("UPDATE articles SET dup_group = NULL")
        last = 0
        while rows := self.db.execute("SELECT num, id, title, body FROM articles WHERE num > ? "
                                      "ORDER BY num LIMIT 500", (last,)).fetchall():
            for _, id_, title, body in rows:
                self._group_near_duplicates(Article(title=title, body=expand_body(body), id=id_))
            last = rows[-1][0]

    def duplicate_groups(self) -> list[list[Article]]:
        """Stories kept more than once (near-duplicates), each group oldest first."""
        groups: dict[str, list[Article]] = {}
        for article in self._articles("WHERE dup_group IN (SELECT dup_group FROM articles "
                                      "WHERE dup_group IS NOT NULL GROUP BY dup_group HAVING count(*) > 1) "
                                      "ORDER BY dup_group, added_at, num", ()):
            groups.setdefault(article.group or "", []).append(article)
        return list(groups.values())

    def story(self, group: str) -> list[Article]:
        """The articles of one near-duplicate group (the copies of one story)."""
        return self._articles("WHERE dup_group = ? ORDER BY added_at, num", (group,))

    def replace_text(self, article: Article) -> None:
        """Keep a re-extracted text of the same original as the article's new version."""
        with self._transaction():
            row = self.db.execute("SELECT version FROM articles WHERE id = ?", (article.id,)).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article.id}")
            article.version = row[0] + 1
            self._write_version(article, _now())

    def import_versions(self, items: list[tuple[Article, bytes]],
                        removed: AbstractSet[str] = frozenset()) -> int:
        """Put exported versions back as they were (same ids, numbers, dates and bytes);
        versions already present are left alone, and the articles of `removed` stay
        removed (their versions kept). Returns how many were new."""
        count = 0
        with self._transaction():
            for article, original in items:
                if self.db.execute("SELECT 1 FROM versions WHERE article_id = ? AND version = ?",
                                   (article.id, article.version)).fetchone():
                    continue
                self.db.execute("INSERT OR IGNORE INTO originals VALUES (?, ?, 'zlib', ?)",
                                (article.sha256, len(original), zlib.compress(original, 6)))
                values = (article.title, compress_body(article.body),
                          text_chars(article.title, article.body), article.author,
                          article.published, article.site, article.url, article.lang, article.origin)
                current = self.db.execute("SELECT version FROM articles WHERE id = ?",
                                          (article.id,)).fetchone()
                becomes_current = article.id not in removed and (current is None
                                                                 or current[0] < article.version)
                if becomes_current:
                    self._retire_current(article.id)
                if becomes_current:
                    previous = self._bands_of(article.id)
                    self.db.execute("INSERT INTO versions (article_id, version, sha256, added_at) "
                                    "VALUES (?,?,?,?)", (article.id, article.version,
                                                         article.sha256, article.updated_at))
                    self._upsert_current(article, values, article.added_at, article.updated_at)
                    self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article.id,))
                    self._group_near_duplicates(article, previous)
                else:
                    self.db.execute(
                        f"INSERT INTO versions (article_id, version, sha256, {FIELDS}, added_at) "
                        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                        (article.id, article.version, article.sha256, values[0], values[1],
                         *values[3:], article.updated_at))
                count += 1
        return count

    def version_articles(self, article_id: str) -> list[Article]:
        """Every kept version of an article as a full record, oldest first; `updated_at`
        is when that version was kept, `added_at` when the article first was."""
        first = self.db.execute("SELECT min(added_at) FROM versions WHERE article_id = ?",
                                (article_id,)).fetchone()[0]
        rows = self.db.execute(
            f"SELECT v.article_id, v.version, v.sha256, {_CURRENT_OR_KEPT}, v.added_at "
            f"FROM versions v {_CURRENT_JOIN} WHERE v.article_id = ? ORDER BY v.version",
            (article_id,)).fetchall()
        live = self.db.execute("SELECT added_at FROM articles WHERE id = ?", (article_id,)).fetchone()
        versions = []
        for row in rows:
            (id_, number, sha, title, body, author, published, site, url, lang, origin, kept_at) = row
            versions.append(Article(
                id=id_, version=number, sha256=sha, title=title, body=expand_body(body), author=author,
                published=published, site=site, url=url, lang=lang, origin=origin,
                added_at=live[0] if live else first, updated_at=kept_at,
            ))
        return versions

    # --- tags and notes: the user's, by article id (so every version has them) ---------

    def tag(self, names_by_id: dict[str, list[str]]) -> dict[str, list[str]]:
        """Give articles tags, in one transaction; a tag whose key is known already keeps
        its first spelling. Returns, by id, the names each article did not have yet (a
        change the index replays)."""
        added: dict[str, list[str]] = {}
        now = _now()
        with self._transaction():
            for article_id, names in names_by_id.items():
                for name in names:
                    key = tag_key(name)
                    known = self.db.execute("SELECT name FROM tags WHERE key = ? LIMIT 1",
                                            (key,)).fetchone()
                    kept = known[0] if known else name
                    if self.db.execute("INSERT OR IGNORE INTO tags VALUES (?, ?, ?, ?)",
                                       (article_id, key, kept, now)).rowcount:
                        added.setdefault(article_id, []).append(kept)
                if article_id in added:
                    self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article_id,))
        return added

    def untag(self, article_ids: list[str], name: str) -> list[str]:
        """Take a tag off articles; returns the ids that had it."""
        removed = []
        with self._transaction():
            for article_id in article_ids:
                if self.db.execute("DELETE FROM tags WHERE article_id = ? AND key = ?",
                                   (article_id, tag_key(name))).rowcount:
                    self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article_id,))
                    removed.append(article_id)
        return removed

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag of the live articles with how many articles have it, by name."""
        return [(name, count) for name, count in self.db.execute(
            "SELECT min(t.name), count(*) FROM tags t JOIN articles a ON a.id = t.article_id "
            "GROUP BY t.key ORDER BY t.key")]

    def tagged(self, name: str, limit: int | None = None) -> list[Article]:
        """The live articles with this tag, the most recently added first."""
        sql = ("WHERE id IN (SELECT article_id FROM tags WHERE key = ?) "
               "ORDER BY added_at DESC, num DESC" + (" LIMIT ?" if limit else ""))
        return self._articles(sql, (tag_key(name), limit) if limit else (tag_key(name),))

    def set_note(self, article_id: str, text: str | None) -> bool:
        """Write (or, with None or "", clear) an article's note; whether it changed."""
        with self._transaction():
            row = self.db.execute("SELECT text FROM notes WHERE article_id = ?",
                                  (article_id,)).fetchone()
            if (row[0] if row else None) == (text or None):
                return False
            if text:
                self.db.execute("INSERT OR REPLACE INTO notes VALUES (?, ?, ?)",
                                (article_id, text, _now()))
            else:
                self.db.execute("DELETE FROM notes WHERE article_id = ?", (article_id,))
            self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article_id,))
        return True

    def labels(self, article_id: str) -> Labels:
        """An article's tags and note (a removed article's too)."""
        tags = [row[0] for row in self.db.execute(
            "SELECT name FROM tags WHERE article_id = ? ORDER BY key", (article_id,))]
        note = self.db.execute("SELECT text FROM notes WHERE article_id = ?", (article_id,)).fetchone()
        return Labels(tags, note[0] if note else None)

    def import_labels(self, labels: dict[str, Labels]) -> int:
        """Tags and notes from an export, for the articles the archive keeps: tags are
        added to those the articles have, a note is kept only where the article has none
        (the archive's own is never overwritten). Returns how many articles changed."""
        kept = {article_id: found for article_id, found in labels.items() if self.db.execute(
            "SELECT 1 FROM versions WHERE article_id = ? LIMIT 1", (article_id,)).fetchone()}
        added = self.tag({article_id: found.tags for article_id, found in kept.items() if found.tags})
        changed = set(added)
        for labelled, found in kept.items():
            if found.note and self.labels(labelled).note is None:
                self.set_note(labelled, found.note)
                changed.add(labelled)
        return len(changed)

    def changed(self, limit: int | None = None) -> list[Article]:
        """Live articles kept in more than one version of different text (title or
        paragraphs), the most recently updated first."""
        candidates = self.db.execute(
            "SELECT a.id, a.title, a.body, v.title, v.body FROM articles a JOIN versions v "
            "ON v.article_id = a.id AND v.body IS NOT NULL WHERE v.body != a.body OR "
            "v.title != a.title ORDER BY a.updated_at DESC, a.num DESC").fetchall()
        ids: dict[str, None] = {}  # in order, each once
        for changed_id, title, body, old_title, old_body in candidates:
            if changed_id in ids or (limit and len(ids) >= limit):
                continue
            if title != old_title or expand_body(body) != expand_body(old_body):
                ids[changed_id] = None  # (not only the same paragraphs compressed otherwise)
        found = self.get_many(list(ids))
        return [found[i] for i in ids if i in found]

    # --- removing ---------------------------------------------------------------------

    def remove(self, article_id: str, purge: bool = False) -> bool:
        """Take an article out of the archive. Its versions and originals stay (re-adding the
        page brings it back) unless `purge`, which deletes them for good."""
        with self._transaction():
            bands = self._bands_of(article_id)
            if bands is not None:
                self._drop_bands(*bands)
            self._retire_current(article_id)  # the versions keep the text once articles does not
            gone = self.db.execute("DELETE FROM articles WHERE id = ?", (article_id,)).rowcount
            if purge:
                shas = [r[0] for r in self.db.execute(
                    "SELECT sha256 FROM versions WHERE article_id = ?", (article_id,))]
                self.db.execute("DELETE FROM versions WHERE article_id = ?", (article_id,))
                self.db.execute("DELETE FROM tags WHERE article_id = ?", (article_id,))
                self.db.execute("DELETE FROM notes WHERE article_id = ?", (article_id,))
                for sha in shas:
                    if not self.db.execute("SELECT 1 FROM versions WHERE sha256 = ?", (sha,)).fetchone():
                        self.db.execute("DELETE FROM originals WHERE sha256 = ?", (sha,))
                gone = gone or bool(shas)
            if gone:
                self.db.execute("INSERT INTO changes (article_id) VALUES (?)", (article_id,))
        return bool(gone)

    # --- reading ----------------------------------------------------------------------

    def get(self, article_id: str) -> Article | None:
        """The article with this id, or with this unique id prefix; None when no article
        has it. IdError for an id that is not hex digits or is the start of several."""
        prefix = article_id.strip().lower()
        if not _HEX_ID.fullmatch(prefix):
            raise IdError(f"{article_id!r} is not an article id: ids are hex digits (0-9, a-f)")
        rows = self._articles("WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                              (prefix, prefix + "g", AMBIGUOUS_LISTED + 1))
        exact = [a for a in rows if a.id == prefix]
        if exact or len(rows) <= 1:
            return exact[0] if exact else (rows[0] if rows else None)
        count = self.db.execute("SELECT count(*) FROM articles WHERE id >= ? AND id < ?",
                                (prefix, prefix + "g")).fetchone()[0]
        listed = "".join(f"\n  {a.id}  {(a.published or '')[:10]:10}  {a.title[:60]}"
                         for a in rows[:AMBIGUOUS_LISTED])
        more = f"\n  … and {count - AMBIGUOUS_LISTED} more" if count > AMBIGUOUS_LISTED else ""
        raise IdError(f"ambiguous id {article_id!r}: {count} articles start with {prefix}; "
                      f"type more of the id:{listed}{more}", rows[:AMBIGUOUS_LISTED])

    def with_prefix(self, prefix: str, limit: int = 50) -> list[Article]:
        """Articles whose id starts with `prefix` (hex digits), in id order."""
        if not _HEX_ID.fullmatch(prefix or "0"):
            return []
        return self._articles("WHERE id >= ? AND id < ? ORDER BY id LIMIT ?",
                              (prefix, prefix + "g", limit))

    def find_origin(self, origin: str, sha256: str | None = None) -> str | None:
        """The id of the live article kept from these bytes (`sha256`), else from a file
        of this name (the origin as given to `add`)."""
        if sha256:
            known = self.has_original(sha256)
            if known:
                return known
        row = self.db.execute("SELECT id FROM articles WHERE origin = ? LIMIT 1", (origin,)).fetchone()
        if row is None:
            row = self.db.execute(
                "SELECT a.id FROM versions v JOIN articles a ON a.id = v.article_id "
                "WHERE v.origin = ? LIMIT 1", (origin,)).fetchone()
        return row[0] if row else None

    def find_url(self, url: str) -> str | None:
        """The id of the article archived from this URL (as given, or any form of it)."""
        key = canonical_url(url)
        # an article's key is its url's canonical form, and origins are indexed where they
        # are URLs (the LIKE lets SQLite use that partial index)
        row = self.db.execute(
            "SELECT id FROM articles WHERE key = ? UNION ALL SELECT id FROM articles "
            "WHERE origin = ? AND origin LIKE 'http%' LIMIT 1", (key, url)).fetchone()
        if row is None and key:
            row = self.db.execute(
                "SELECT a.id FROM versions v JOIN articles a ON a.id = v.article_id "
                "WHERE v.origin = ? AND v.origin LIKE 'http%' LIMIT 1", (url,)).fetchone()
        return row[0] if row else None

    def get_many(self, ids: list[str], bodies: bool = True) -> dict[str, Article]:
        """Articles by exact id, for turning search hits into records; without `bodies`,
        their metadata only (body []), which spares reading and inflating the text."""
        found: dict[str, Article] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update((a.id, a) for a in self._articles(
                f"WHERE id IN ({marks})", tuple(chunk), BRIEF_COLUMNS if not bodies else ARTICLE_COLUMNS))
        return found

    def recent(self, limit: int | None = None) -> list[Article]:
        """Articles, the most recently added first."""
        sql = "ORDER BY added_at DESC, num DESC" + (" LIMIT ?" if limit else "")
        return self._articles(sql, (limit,) if limit else ())

    def iter_articles(self, batch: int = 500) -> Iterator[Article]:
        """Every live article, in id order, a batch at a time."""
        last = ""
        while True:
            rows = self._articles("WHERE id > ? ORDER BY id LIMIT ?", (last, batch))
            if not rows:
                return
            yield from rows
            last = rows[-1].id

    def iter_chosen(self, ids: list[str] | None, batch: int = 500) -> Iterator[Article]:
        """The live articles of `ids` in that order (every one, in id order, for None), a
        batch at a time: an export of any size holds one batch in memory."""
        if ids is None:
            yield from self.iter_articles(batch)
            return
        for start in range(0, len(ids), batch):
            chunk = ids[start:start + batch]
            found = self.get_many(chunk)
            yield from (found[i] for i in chunk if i in found)

    def version_sha(self, article_id: str, version: int) -> str | None:
        """The sha256 of the original a kept version came from, None if it is not kept."""
        row = self.db.execute("SELECT sha256 FROM versions WHERE article_id = ? AND version = ?",
                              (article_id, version)).fetchone()
        return row[0] if row else None

    def removed_ids(self) -> list[str]:
        """The removed articles whose versions (and originals) are kept, in id order."""
        return [row[0] for row in self.db.execute(
            "SELECT DISTINCT article_id FROM versions WHERE article_id NOT IN "
            "(SELECT id FROM articles) ORDER BY article_id")]

    def count_versions(self, ids: list[str] | None = None, removed: bool = False) -> int:
        """Versions of the live articles (or of `ids`), with those of removed ones."""
        if ids is None:
            live = self.db.execute("SELECT count(*) FROM versions WHERE article_id IN "
                                   "(SELECT id FROM articles)").fetchone()[0]
        else:
            live = 0
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                live += self.db.execute(
                    f"SELECT count(*) FROM versions WHERE article_id IN ({','.join('?' * len(chunk))})",
                    chunk).fetchone()[0]
        if removed:
            live += self.db.execute("SELECT count(*) FROM versions WHERE article_id NOT IN "
                                    "(SELECT id FROM articles)").fetchone()[0]
        return live

    def versions(self, article_id: str) -> list[Version]:
        """Every kept version of an article, oldest first."""
        rows = self.db.execute(
            f"SELECT v.version, v.sha256, v.added_at, coalesce(v.title, a.title), "
            f"CASE WHEN v.body IS NULL THEN a.origin ELSE v.origin END FROM versions v "
            f"{_CURRENT_JOIN} WHERE v.article_id = ? ORDER BY v.version", (article_id,)).fetchall()
        return [Version(*row) for row in rows]

    def original(self, article_id: str, version: int | None = None) -> bytes | None:
        """The exact bytes a version of the article (the current one by default) came from."""
        if version is None:
            row = self.db.execute("SELECT sha256 FROM articles WHERE id = ?", (article_id,)).fetchone()
        else:
            row = self.db.execute("SELECT sha256 FROM versions WHERE article_id = ? AND version = ?",
                                  (article_id, version)).fetchone()
        return self.original_bytes(row[0]) if row else None

    def original_bytes(self, sha256: str) -> bytes | None:
        row = self.db.execute("SELECT compression, data FROM originals WHERE sha256 = ?",
                              (sha256,)).fetchone()
        if row is None:
            return None
        return zlib.decompress(row[1]) if row[0] == "zlib" else bytes(row[1])

    def iter_originals(self) -> Iterator[tuple[str, bytes]]:
        """(sha256, bytes) of every kept original."""
        for (sha,) in self.db.execute("SELECT sha256 FROM originals ORDER BY sha256").fetchall():
            data = self.original_bytes(sha)
            if data is not None:
                yield sha, data

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM articles").fetchone()[0]

    def damaged_originals(self) -> list[str]:
        """The sha256 of every original whose bytes no longer hash to it, or whose version
        points at no original."""
        damaged = []
        for (sha,) in self.db.execute("SELECT sha256 FROM originals").fetchall():
            try:
                data = self.original_bytes(sha)
            except zlib.error:
                data = None
            if data is None or sha256_hex(data) != sha:
                damaged.append(sha)
        damaged += [row[0] for row in self.db.execute(
            "SELECT DISTINCT v.sha256 FROM versions v LEFT JOIN originals o ON o.sha256 = v.sha256 "
            "WHERE o.sha256 IS NULL")]
        return damaged

    def stats(self) -> dict:
        """Counts, sizes, sites and date ranges, for `archive stats`."""
        one = lambda sql: self.db.execute(sql).fetchone()  # noqa: E731
        sites = self.db.execute(
            "SELECT coalesce(site, '(unknown)'), count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC, 1"
        ).fetchall()
        published = one("SELECT min(published), max(published) FROM articles WHERE published IS NOT NULL")
        added = one("SELECT min(added_at), max(added_at) FROM articles")
        return {
            "articles": self.count(),
            "versions": one("SELECT count(*) FROM versions v JOIN articles a ON a.id = v.article_id")[0],
            "originals": one("SELECT count(*) FROM originals")[0],
            "originals_bytes": one("SELECT coalesce(sum(size), 0) FROM originals")[0],
            "originals_stored_bytes": one("SELECT coalesce(sum(length(data)), 0) FROM originals")[0],
            "text_chars": one("SELECT coalesce(sum(chars), 0) FROM articles")[0],
            "database_bytes": sum(p.stat().st_size for p in self.path.parent.glob(DB_NAME + "*")),
            "sites": [{"site": site, "articles": n} for site, n in sites],
            "published": {"first": published[0], "last": published[1]},
            "added": {"first": added[0], "last": added[1]},
        }

    # --- feeds --------------------------------------------------------------------------

    def seen_items(self, feed_url: str) -> dict[str, SeenItem]:
        """What earlier reads of this feed saw, by item key."""
        rows = self.db.execute("SELECT key, link, updated, article_id, tries FROM feed_items "
                               "WHERE feed = ?", (feed_url,)).fetchall()
        return {row[0]: SeenItem(*row[1:]) for row in rows}

    def record_feed_read(self, feed: Feed, results: list[ItemResult]) -> None:
        """Remember one read of a feed that worked, and what became of each of its items,
        in one transaction."""
        now = _now()
        added = sum(1 for r in results if r.added)
        with self._transaction():
            self.db.execute(
                "INSERT INTO feeds (url, title, link, added_at, read_at, items, last_added) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT(url) DO UPDATE SET title=excluded.title, "
                "link=excluded.link, read_at=excluded.read_at, items=excluded.items, "
                "last_added=excluded.last_added, failed_at=NULL, error=NULL",
                (feed.url, feed.title, feed.link, now, now, len(feed.items), added))
            self.db.executemany(
                "INSERT INTO feed_items (feed, key, link, updated, article_id, added, tries, "
                "first_seen, last_seen) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(feed, key) DO UPDATE "
                "SET link=excluded.link, last_seen=excluded.last_seen, "
                "updated=CASE WHEN excluded.tries = 0 THEN excluded.updated ELSE updated END, "
                "article_id=coalesce(excluded.article_id, article_id), "
                "added=max(added, excluded.added), tries=tries + excluded.tries",
                [(feed.url, r.item.key, r.item.link, r.item.updated, r.article_id, int(r.added),
                  int(r.fetched and r.article_id is None), now, now) for r in results])

    def record_feed_failure(self, feed_url: str, error: str) -> None:
        """A read of a feed already added that failed (a new feed that fails is not added)."""
        with self._transaction():
            self.db.execute("UPDATE feeds SET failed_at = ?, error = ? WHERE url = ?",
                            (_now(), error, feed_url))

    def feeds(self) -> list[FeedRecord]:
        """Every feed added, in the order they were first read."""
        if migrations.missing_tables(self.db):  # a read-only archive of an earlier build
            return []
        rows = self.db.execute(
            "SELECT f.url, f.title, f.link, f.added_at, f.read_at, f.items, f.last_added, "
            "(SELECT count(*) FROM feed_items i WHERE i.feed = f.url AND i.added = 1), "
            "f.failed_at, f.error FROM feeds f ORDER BY f.added_at, f.rowid").fetchall()
        return [FeedRecord(*row) for row in rows]

    # --- changes, for the derived index ------------------------------------------------

    def identity(self) -> str | None:
        """This archive's own id, made when it was created: an index records it, so an
        index copied from another archive is not taken for this one's."""
        if self._identity is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'archive'").fetchone()
            self._identity = row[0] if row else None
        return self._identity

    def change_article(self, seq: int) -> str | None:
        """The article id of change `seq` (None when there is no such change)."""
        row = self.db.execute("SELECT article_id FROM changes WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    def last_seq(self) -> int:
        """The newest change number (0 for an archive that never changed)."""
        return self.db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes_since(self, seq: int, batch: int = 500) -> Iterator[tuple[int, str, Article | None]]:
        """Each article changed after `seq`, once (at its latest change), as (seq, id,
        current article or None if removed), in change order. From 0, every current
        article, at the newest seq: what a rebuild indexes."""
        if seq == 0:
            yield from self._everything(batch)
            return
        while True:
            rows = self.db.execute(
                "SELECT seq, article_id FROM changes c WHERE seq > ? AND NOT EXISTS (SELECT 1 "
                "FROM changes d WHERE d.article_id = c.article_id AND d.seq > c.seq) "
                "ORDER BY seq LIMIT ?", (seq, batch)).fetchall()
            if not rows:
                return
            current = self.get_many([r[1] for r in rows])
            for change, changed_id in rows:
                yield change, changed_id, current.get(changed_id)
            seq = rows[-1][0]

    def _everything(self, batch: int) -> Iterator[tuple[int, str, Article | None]]:
        """Every current article at the newest seq (articles changed meanwhile come again
        after it, at their own change)."""
        newest, last = self.last_seq(), 0
        while rows := self.db.execute(f"SELECT num, {ARTICLE_COLUMNS} FROM articles WHERE num > ? "
                                      "ORDER BY num LIMIT ?", (last, batch)).fetchall():
            for article in self._labelled([_article(row[1:]) for row in rows]):
                yield newest, article.id, article
            last = rows[-1][0]

    def integrity_problems(self, full: bool = False) -> list[str]:
        """What SQLite finds wrong in the file: PRAGMA quick_check, or integrity_check
        (slower: it also compares every index with its table) with `full`."""
        check = "integrity_check" if full else "quick_check"
        try:
            rows = [row[0] for row in self.db.execute(f"PRAGMA {check}")]
        except sqlite3.DatabaseError as error:
            return [str(error)]
        if rows == ["ok"]:
            return []
        lines = [line.strip() for row in rows for line in str(row).splitlines()]
        return [line for line in lines if line and not line.startswith("***")]

    # --- internals --------------------------------------------------------------------

    def _articles(self, where: str, params: tuple, columns: str = ARTICLE_COLUMNS) -> list[Article]:
        try:
            rows = self.db.execute(f"SELECT {columns} FROM articles {where}", params).fetchall()
        except sqlite3.DatabaseError as error:
            raise StoreError(_explain(error, self.path)) from None
        return self._labelled([_article(row) for row in rows])

    def _labelled(self, articles: list[Article]) -> list[Article]:
        """The articles with their tags and notes filled in (two queries a batch)."""
        for start in range(0, len(articles), 500):
            chunk = {a.id: a for a in articles[start:start + 500]}
            marks = ",".join("?" * len(chunk))
            for tagged_id, name in self.db.execute(
                    f"SELECT article_id, name FROM tags WHERE article_id IN ({marks}) "
                    "ORDER BY article_id, key", tuple(chunk)):
                chunk[tagged_id].tags.append(name)
            for noted_id, text in self.db.execute(
                    f"SELECT article_id, text FROM notes WHERE article_id IN ({marks})", tuple(chunk)):
                chunk[noted_id].note = text
        return articles

    def _transaction(self):
        return _Transaction(self)


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error; SQLite errors become StoreError."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> None:
        try:
            self.store.db.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as error:
            raise StoreError(_explain(error, self.store.path)) from None

    def __exit__(self, kind, error, traceback) -> Literal[False]:
        db = self.store.db
        if kind is None:
            try:
                db.execute("COMMIT")
                return False
            except sqlite3.DatabaseError as commit_error:
                error, kind = commit_error, type(commit_error)
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(error, sqlite3.DatabaseError):
            raise StoreError(_explain(error, self.store.path)) from None
        return False


def _article(row: tuple) -> Article:
    (id_, version, sha, title, body, author, published, site, url, lang, origin, added_at, updated_at,
     group) = row
    return Article(
        id=id_, version=version, sha256=sha, title=title, body=expand_body(body) if body is not None else [],
        author=author,
        published=published, site=site, url=url, lang=lang, origin=origin, added_at=added_at,
        updated_at=updated_at, group=group,
    )


def _connect(path: Path, writable: bool) -> sqlite3.Connection:
    """A connection in WAL mode; a home that cannot be written is read as it is (an
    immutable file: no -shm or -wal can be made next to it)."""
    if not writable:
        uri = f"file:{quote(str(path))}?immutable=1"
        return sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT, isolation_level=None)
    connection = sqlite3.connect(path, timeout=LOCK_TIMEOUT, isolation_level=None)
    if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        # A new file: two processes creating an archive at once both get here, and setting
        # the journal mode does not wait for a lock like other statements do.
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _explain(error: sqlite3.DatabaseError, path: Path) -> str:
    message = str(error)
    if "locked" in message or "busy" in message:
        return f"the archive {path} is busy in another archive process; try again when it is done"
    if "not a database" in message or "malformed" in message:
        return f"the archive {path} is damaged ({message}); restore it from a backup"
    if "readonly" in message or "read-only" in message:
        return f"the archive {path} is read-only ({message})"
    if "disk" in message and "full" in message or "disk I/O" in message:
        return f"the disk holding {path} is full or failing; nothing more was committed"
    return f"the archive {path} failed: {message}"
