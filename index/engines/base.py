"""The engine boundary: what `archive` asks of a search index, whichever engine runs it.

The SQLite store is the archive of record; an engine holds a derived index of its
current articles. Parsing the query language, folding near-duplicates, cutting snippets
from the store's text and choosing a did-you-mean stay above this boundary
(index/search.py), so every engine answers with the same JSON. Standard library only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from whoosh import query as wq

    from archive.article import Article
    from archive.store import Store

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


@dataclass
class Facets:
    """How the matches of a query spread over sites and publication months."""

    total: int
    sites: list[tuple[str, int]] = field(default_factory=list)  # most articles first
    months: list[tuple[str, int]] = field(default_factory=list)  # "YYYY-MM", in order
    undated: int = 0

    def to_json(self) -> dict:
        return {"total": self.total,
                "sites": [{"site": site, "articles": n} for site, n in self.sites],
                "months": [{"month": month, "articles": n} for month, n in self.months],
                "undated": self.undated}


def facets_from_counts(total: int, sites: dict[str, int], months: dict[int, int],
                       site_limit: int) -> Facets:
    """Facets from raw counts: sites by count (then name), months YYYYMM in order."""
    top = sorted(sites.items(), key=lambda item: (-item[1], item[0]))[:site_limit]
    ordered = sorted(months.items())
    dated = sum(n for _, n in ordered)
    return Facets(total, top, [(f"{m // 100:04d}-{m % 100:02d}", n) for m, n in ordered],
                  max(total - dated, 0))


def levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance without transpositions (Whoosh's terms_within), stopping past limit."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


class Vocabulary(Protocol):
    """The archive's words as written (folded, unstemmed), for did-you-mean."""

    def terms_within(self, word: str, maxdist: int, prefix: int) -> Iterable[str]:
        """Words at most `maxdist` edits from `word` that share its first `prefix` letters."""

    def doc_frequency(self, word: str) -> int:
        """How many articles hold the word."""

    def articles(self) -> int:
        """How many articles the index holds."""


class Engine(Protocol):
    """One search index derived from the store."""

    # What an ingest worker can prepare of an article for this engine (its analysis, run
    # in parallel while the store commits), handed back to `sync` as `derived`; or None.
    derive: Callable[[Article], object] | None

    def sync(self, store: Store, progress: Callable[[int], None] | None = None,
             derived: Mapping[str, tuple[str | None, object]] | None = None) -> int:
        """Apply every store change the index has not seen; return how many articles.
        `derived` maps article ids to (index.schema.derived_key of the article it was
        made from, what `derive` made)."""

    def rebuild(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Drop the index and index the whole store again; return how many articles."""

    def rank(self, query: wq.Query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` article ids for a parsed query (index/query.py), by
        relevance with the title boosted, or newest first (undated last) with sort="date"."""

    def facets(self, query: wq.Query, site_limit: int = 20) -> Facets:
        """Counts of every match by site and by publication month."""

    def vocabulary(self) -> AbstractContextManager[Vocabulary]:
        """The spelling vocabulary, open for the length of a `with` block."""

    def indexed_ids(self) -> Counter[str]:
        """How many times each article id is in the index (once, when all is well)."""

    def built(self) -> bool:
        """Whether the index was ever built (a first build of a big archive takes time)."""

    def size_bytes(self) -> int:
        """The index's size on disk (primaries only, for a cluster)."""

    def close(self) -> None:
        """Release files, searchers and connections."""
