"""The engine boundary: what `archive` asks of a search index, whichever engine runs it.

The SQLite store is the archive of record; an engine holds a derived index of its
current articles. Whoosh (index/indexer.py, files in the archive home) is the default;
OpenSearch (index/opensearch.py, a cluster) is for archives that outgrow one machine.
Parsing the query language, folding near-duplicates, cutting snippets from the store's
text and choosing a did-you-mean stay above this boundary (index/search.py), so both
engines answer with the same JSON.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from whoosh import query as wq

    from archive.store import Store

ENGINES = ("whoosh", "opensearch")
DEFAULT_ENGINE = "whoosh"
SORTS = ("relevance", "date")


class IndexUnavailable(Exception):
    """The index cannot be used; the message says why, for the user."""


class IndexDamaged(IndexUnavailable):
    """The index cannot be read or was built by another version; rebuilding from the
    store fixes it."""


class IndexLocked(IndexUnavailable):
    """Another archive process holds the index writer past our wait."""


@dataclass
class Ranking:
    """Article ids in rank order with their scores, and how many articles matched."""

    ranked: list[tuple[str, float]]
    total: int


class Vocabulary(Protocol):
    """The archive's words as written (folded, unstemmed), for did-you-mean."""

    def terms_within(self, word: str, maxdist: int, prefix: int) -> Iterable[str]:
        """Words at most `maxdist` edits from `word` that share its first `prefix` letters."""

    def doc_frequency(self, word: str) -> int:
        """How many articles hold the word."""


class Engine(Protocol):
    """One search index derived from the store."""

    def sync(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Apply every store change the index has not seen; return how many articles."""

    def rebuild(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Drop the index and index the whole store again; return how many articles."""

    def rank(self, query: wq.Query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` article ids for a parsed query (index/query.py), by BM25F
        relevance with the title boosted, or newest first with sort="date"."""

    def vocabulary(self) -> AbstractContextManager[Vocabulary]:
        """The spelling vocabulary, open for the length of a `with` block."""

    def indexed_ids(self) -> Counter[str]:
        """How many times each article id is in the index (once, when all is well)."""

    def size_bytes(self) -> int:
        """The index's size on disk (primaries only, for a cluster)."""

    def close(self) -> None:
        """Release files, searchers and connections."""


def engine_name(name: str | None = None) -> str:
    """The engine asked for: `name`, else $ARCHIVE_ENGINE, else Whoosh."""
    chosen = (name or os.environ.get("ARCHIVE_ENGINE") or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise IndexUnavailable(f"unknown engine {chosen!r} (ARCHIVE_ENGINE): use "
                               + " or ".join(ENGINES))
    return chosen


def open_engine(home: Path, name: str | None = None) -> Engine:
    """The engine for the archive in `home` (see engine_name)."""
    if engine_name(name) == "opensearch":
        from index.opensearch import OpenSearchEngine

        return OpenSearchEngine.from_environment(home)
    from index.indexer import ArchiveIndex

    return ArchiveIndex(home)

