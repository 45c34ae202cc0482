"""Search: parse the user's query, rank with BM25F (title boosted), cut snippets.

All words are required by default. Whoosh's query syntax gives OR, NOT, "phrases",
prefix* and field:value on top of that.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh import scoring
from whoosh.qparser import AndGroup, MultifieldParser

from archive.article import Article
from archive.store import Store
from index.indexer import ArchiveIndex
from index.schema import SEARCH_FIELDS, TITLE_BOOST
from index.snippets import Snippet, make_snippets

MAX_QUERY_CHARS = 1000


class QueryError(Exception):
    """The query cannot be run; the message says why, for the user."""


@dataclass
class Hit:
    """One ranked result: the article, its BM25F score and its snippets."""

    article: Article
    score: float
    snippets: list[Snippet] = field(default_factory=list)

    def to_json(self) -> dict:
        a = self.article
        return {
            "id": a.id, "title": a.title, "site": a.site, "published": a.published,
            "url": a.url, "origin": a.origin, "score": round(self.score, 4),
            "snippets": [s.to_json() for s in self.snippets],
        }


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[Hit]

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "hits": [h.to_json() for h in self.hits]}


def parse_query(index: ArchiveIndex, text: str) -> wq.Query:
    """The Whoosh query for the user's text; raises QueryError for an unusable query."""
    text = " ".join(text.split())
    if not text:
        raise QueryError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})")
    parser = MultifieldParser(
        list(SEARCH_FIELDS), index.whoosh.schema, fieldboosts={"title": TITLE_BOOST}, group=AndGroup
    )
    try:
        parsed = parser.parse(text)
    except Exception as error:  # Whoosh's parser raises plain errors on odd input
        raise QueryError(f"cannot read the query {text!r}: {error}") from None
    if parsed is wq.NullQuery or isinstance(parsed, type(wq.NullQuery)):
        raise QueryError(f"the query {text!r} has only common words (stop words) to search for")
    return parsed


def search(index: ArchiveIndex, store: Store, text: str, limit: int = 10) -> SearchResult:
    """Ranked hits for the query, each with its article and snippets."""
    parsed = parse_query(index, text)
    with index.whoosh.searcher(weighting=scoring.BM25F()) as searcher:
        results = searcher.search(parsed, limit=limit)
        total = len(results)
        scored = [(hit["id"], hit.score) for hit in results]
        terms = _matched_terms(parsed, searcher.reader())
    articles = store.get_many([article_id for article_id, _ in scored])
    hits = []
    for article_id, score in scored:
        article = articles.get(article_id)
        if article is None:
            continue  # removed from the store since it was indexed
        hits.append(Hit(article, score, make_snippets(article.body, terms)))
    return SearchResult(query=text, total=total, hits=hits)


def _matched_terms(parsed: wq.Query, reader) -> frozenset[str]:
    """The index terms the query matched (prefixes and wildcards expanded)."""
    # Query.existing_terms in Whoosh 2.7.4 reuses its `fieldname` argument as a loop
    # variable and skips every leaf after the first, so leaves are expanded one by one.
    terms = set()
    for leaf in parsed.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            if fieldname in SEARCH_FIELDS:
                terms.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return frozenset(terms)
