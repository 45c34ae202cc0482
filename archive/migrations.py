"""The archive's SQLite schema, made in one transaction, and the upgrades from every
earlier version of it (PRAGMA user_version), each in one transaction too: a kill during
either leaves the archive as it was before.

Version 7 keeps the text compressed (zlib JSON of the paragraphs), keeps the current
version's text and metadata once (in articles, not also in versions), keys the
near-duplicate bands by the article's integer row number in a table without rowids, drops
what can be made again (the MinHash signatures, from the text; the index on `url`: an
article's `key` is its canonical URL, which answers the same lookups) and indexes origins
only where they are URLs. It also keeps what is the user's own: tags and notes, by
article id. Originals are untouched by every upgrade.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
import zlib
from collections.abc import Callable

SCHEMA_VERSION = 7

TABLES = """
CREATE TABLE IF NOT EXISTS originals (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    compression TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    num INTEGER PRIMARY KEY,  -- the row number: near-duplicate bands point at it
    id TEXT NOT NULL UNIQUE,
    key TEXT UNIQUE,  -- the canonical URL: the same article under another form of its URL
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body BLOB NOT NULL,  -- the paragraphs as JSON, zlib-compressed
    chars INTEGER NOT NULL,  -- characters of title and paragraphs, for stats
    author TEXT, published TEXT, site TEXT, url TEXT, lang TEXT, origin TEXT,
    sha256 TEXT NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    dup_group TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    article_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT,  -- NULL, like the body and the rest, for the current version: its text and
    body BLOB,   -- metadata are in articles, kept once
    author TEXT, published TEXT, site TEXT, url TEXT, lang TEXT, origin TEXT,
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, version)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS neardup (
    band_key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (band_key, article)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,  -- as given to `add --feed`
    title TEXT,
    link TEXT,  -- the feed's own site
    added_at TEXT NOT NULL,
    read_at TEXT,  -- the last read that worked
    items INTEGER NOT NULL DEFAULT 0,  -- items in the feed then
    last_added INTEGER NOT NULL DEFAULT 0,  -- articles that read added
    failed_at TEXT, error TEXT  -- the last read that failed, if it came after read_at
);
CREATE TABLE IF NOT EXISTS feed_items (
    feed TEXT NOT NULL,
    key TEXT NOT NULL,  -- the item's guid or id, else its link
    link TEXT NOT NULL,
    updated TEXT,  -- the item's date as the feed wrote it: another one means it changed
    article_id TEXT,  -- the article it became (NULL while its page fails)
    added INTEGER NOT NULL DEFAULT 0,  -- 1 when it added that article to the archive
    tries INTEGER NOT NULL DEFAULT 0,  -- failed fetches of its page
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    PRIMARY KEY (feed, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tags (  -- the user's labels: kept by article id, so every version has them
    article_id TEXT NOT NULL,
    key TEXT NOT NULL,  -- the name folded (case, accents, spaces): Benalla and benalla are one tag
    name TEXT NOT NULL,  -- as first written
    added_at TEXT NOT NULL,
    PRIMARY KEY (article_id, key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS notes (
    article_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
# Tables added to version 7 before it was released: an archive made by a build of version 7
# without them gets them when it is opened (CREATE TABLE IF NOT EXISTS, in one transaction).
LATE_TABLES = ("feeds", "feed_items", "tags", "notes")
INDEXES = """
CREATE INDEX IF NOT EXISTS versions_sha ON versions(sha256);
CREATE INDEX IF NOT EXISTS versions_origin ON versions(origin) WHERE origin LIKE 'http%';
CREATE INDEX IF NOT EXISTS articles_added ON articles(added_at);
CREATE INDEX IF NOT EXISTS articles_origin ON articles(origin) WHERE origin LIKE 'http%';
CREATE INDEX IF NOT EXISTS articles_group ON articles(dup_group) WHERE dup_group IS NOT NULL;
CREATE INDEX IF NOT EXISTS changes_article ON changes(article_id);
CREATE INDEX IF NOT EXISTS tags_key ON tags(key);
"""


def compress_body(paragraphs: list[str]) -> bytes:
    return zlib.compress(json.dumps(paragraphs, ensure_ascii=False).encode(), 6)


def expand_body(blob: bytes | str) -> list[str]:
    """The paragraphs kept in a body column (version 6 and before kept plain JSON)."""
    if isinstance(blob, str):
        return json.loads(blob)
    return json.loads(zlib.decompress(blob))


def text_chars(title: str, paragraphs: list[str]) -> int:
    return len(title) + sum(len(p) for p in paragraphs)


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def create(db: sqlite3.Connection) -> None:
    """Every table and index of the current version, in the open transaction."""
    for statement in _statements(TABLES) + _statements(INDEXES):
        db.execute(statement)
    db.execute("INSERT OR IGNORE INTO meta VALUES ('archive', ?)", (uuid.uuid4().hex,))
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def missing_tables(db: sqlite3.Connection) -> bool:
    """Whether an archive of the current version lacks a table of LATE_TABLES."""
    marks = ",".join("?" * len(LATE_TABLES))
    found = db.execute(f"SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ({marks})",
                       LATE_TABLES).fetchone()[0]
    return found < len(LATE_TABLES)


def add_late_tables(db: sqlite3.Connection) -> None:
    """Every table of TABLES that is missing (LATE_TABLES) and its indexes, in the open
    transaction."""
    for statement in _statements(TABLES) + _statements(INDEXES):
        db.execute(statement)


def upgrade(db: sqlite3.Connection, regroup: Callable[[], None]) -> None:
    """Bring an archive of any earlier version to the current one, in the open
    transaction; `regroup` then recomputes the near-duplicate groups."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version < 5:
        _to_version_5(db)
    if version < 7:
        _to_version_7(db)
        regroup()
    db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")


def _columns(db: sqlite3.Connection, table: str) -> dict[str, tuple]:
    return {row[1]: row for row in db.execute(f"PRAGMA table_info({table})")}


def _to_version_5(db: sqlite3.Connection) -> None:
    """Versions 1 to 4 lacked two columns (and kept the current text in versions too,
    which _to_version_7 drops)."""
    for column, kind in (("dup_group", "TEXT"), ("signature", "BLOB")):
        if column not in _columns(db, "articles"):
            db.execute(f"ALTER TABLE articles ADD COLUMN {column} {kind}")


_FIELDS = "author, published, site, url, lang, origin"
_ALL = f"title, body, {_FIELDS}"


def _to_version_7(db: sqlite3.Connection) -> None:
    """Compressed text, integer-keyed bands, leaner indexes (see the module docstring)."""
    db.create_function("archive_zip", 1, lambda body: None if body is None
                       else compress_body(expand_body(body)), deterministic=True)
    db.create_function("archive_chars", 2, lambda title, body: text_chars(title, expand_body(body)),
                       deterministic=True)
    for name in ("versions_sha", "articles_added", "articles_origin", "articles_url", "articles_group",
                 "changes_article", "neardup_key", "neardup_article"):
        db.execute(f"DROP INDEX IF EXISTS {name}")
    db.execute("ALTER TABLE articles RENAME TO articles_v6")
    db.execute("ALTER TABLE versions RENAME TO versions_v6")
    db.execute("DROP TABLE IF EXISTS neardup")
    for statement in _statements(TABLES):
        db.execute(statement)
    db.execute(f"INSERT INTO articles (id, key, version, title, body, chars, {_FIELDS}, sha256, "
               f"added_at, updated_at) SELECT id, key, version, title, archive_zip(body), "
               f"archive_chars(title, body), {_FIELDS}, sha256, added_at, updated_at "
               "FROM articles_v6 ORDER BY added_at, rowid")
    db.execute(f"INSERT INTO versions (article_id, version, sha256, title, body, {_FIELDS}, "
               f"added_at) SELECT article_id, version, sha256, title, archive_zip(body), "
               f"{_FIELDS}, added_at FROM versions_v6")
    db.execute(f"UPDATE versions SET ({_ALL}) = ({', '.join(['NULL'] * 8)}) WHERE EXISTS (SELECT 1 "
               "FROM articles a WHERE a.id = versions.article_id AND a.version = versions.version)")
    db.execute("DROP TABLE articles_v6")
    db.execute("DROP TABLE versions_v6")
    for statement in _statements(INDEXES):
        db.execute(statement)
    db.execute("INSERT OR IGNORE INTO meta VALUES ('archive', ?)", (uuid.uuid4().hex,))
