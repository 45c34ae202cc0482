"""Search: parse the user's query, filter, rank with BM25F (title boosted), cut snippets,
and offer a did-you-mean from the archive's vocabulary.

The query language is in index/query.py; all words are required by default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from archive.article import Article
from archive.store import Store
from index.analysis import analyze, fold, surface_analyzer
from index.engines.base import SORTS, Engine
from index.query import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    QueryError,
    domain_query,
    parse,
    parse_period_range,
    tag_query,
)
from index.ranking import TOGETHER_BOOST, TOGETHER_SLOP
from index.schema import indexed_paragraphs
from index.snippets import Snippet, make_snippets
from index.suggest import apply_corrections, corrections

__all__ = ["MAX_QUERY_CHARS", "Hit", "QueryError", "SearchResult", "search"]

_SURFACE = surface_analyzer()


@dataclass
class Hit:
    """One ranked result: the article, its BM25F score and its snippets."""

    article: Article
    score: float
    snippets: list[Snippet] = field(default_factory=list)
    also_in: list[Article] = field(default_factory=list)  # near-duplicates folded into it

    def to_json(self) -> dict:
        a = self.article
        return {
            "id": a.id, "title": a.title, "site": a.site, "published": a.published,
            "url": a.url, "origin": a.origin, "score": round(self.score, 4),
            "snippets": [s.to_json() for s in self.snippets],
            "also_in": [{"id": d.id, "site": d.site, "title": d.title} for d in self.also_in],
            **({"tags": list(a.tags)} if a.tags else {}),
        }


@dataclass
class SearchResult:
    """The hits of one page of results, how many articles matched in all, how many of
    them are copies folded into another's hit, and a suggestion."""

    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None = None
    folded: int = 0

    @property
    def stories(self) -> int:
        """The hits one can page through: the articles matched less the folded copies."""
        return self.total - self.folded

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "folded": self.folded,
                "hits": [h.to_json() for h in self.hits], "suggestion": self.suggestion}


def build_query(text: str, site: str | None = None, since: str | None = None,
                until: str | None = None, tags: tuple[str, ...] = ()) -> ParsedQuery:
    """The parsed query with the title-together bonus and the --site, --since, --until
    and --tag filters added."""
    parsed = parse(text)
    bonus = title_together(parsed)
    if bonus is not None:
        parsed.query = wq.AndMaybe(parsed.query, bonus)
    filters = search_filters(site, since, until, tags)
    if filters:
        parsed.query = wq.And([parsed.query, *filters])
    return parsed


def search_filters(site: str | None = None, since: str | None = None,
                   until: str | None = None, tags: tuple[str, ...] = ()) -> list[wq.Query]:
    """The --site, --since, --until and --tag filters as query clauses (none when not
    given); every tag is required."""
    filters: list[wq.Query] = [tag_query(tag) for tag in tags]
    if site:
        words = [t.text for t in _SURFACE(site)]
        if not words:
            raise QueryError(f"--site {site!r} has no letters or digits to match")
        named = wq.Term("site", words[0]) if len(words) == 1 else wq.Phrase("site", words)
        domain = domain_query(site)  # --site lemonde.fr
        filters.append(wq.Or([named, domain]) if domain is not None else named)
    if since or until:
        start = parse_period_range(since)[0] if since else None
        end = parse_period_range(until)[1] if until else None
        if start and end and start > end:
            raise QueryError(f"--since {since} is after --until {until}")
        filters.append(wq.DateRange("published", start, end))
    return filters


def every_article(site: str | None = None, since: str | None = None,
                  until: str | None = None, tags: tuple[str, ...] = ()) -> wq.Query:
    """Every article, or those of a site, a period and tags: what browsing lists."""
    filters = search_filters(site, since, until, tags)
    return wq.And([wq.Every(), *filters]) if filters else wq.Every()


def title_together(parsed: ParsedQuery) -> wq.Query | None:
    """A ranking bonus (it never changes what matches) for articles whose title holds
    all the query's plain words close together: the title the user remembers."""
    stems = []
    for _, _, word in parsed.words:
        terms = analyze(word)
        if len(terms) == 1 and not word.endswith("*"):
            stems.append(terms[0])
    if len(stems) < 2:
        return None
    titles = [wq.Term("title", term) for term in stems]
    return wq.Sequence(titles, slop=TOGETHER_SLOP, ordered=False, boost=TOGETHER_BOOST)


COLLAPSE_READ_AHEAD = 3  # hits read per hit shown, so folding copies still fills a page
# Up to this many matches are all read and folded, so the total counts stories exactly;
# past it, copies beyond the hits read are counted as stories of their own.
FOLD_ALL_UP_TO = 1000


def search(engine: Engine, store: Store, text: str, limit: int = 10, offset: int = 0,
           sort: str = "relevance", site: str | None = None, since: str | None = None,
           until: str | None = None, collapse: bool = True,
           tags: tuple[str, ...] = ()) -> SearchResult:
    """One page of ranked hits for the query, each with its article and snippets. With
    `collapse`, copies of the same story (near-duplicates) fold into their best hit."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use relevance or date)")
    parsed = build_query(text, site, since, until, tags)
    window = (offset + limit) * COLLAPSE_READ_AHEAD if collapse else offset + limit
    ranking = engine.rank(parsed.query, window, sort)
    if collapse and len(ranking.ranked) < ranking.total <= FOLD_ALL_UP_TO:
        ranking = engine.rank(parsed.query, ranking.total, sort)
    suggestion = None
    if parsed.words:
        with engine.vocabulary() as vocabulary:
            fixes = corrections(vocabulary, parsed.words, ranking.total)
        if fixes:
            suggestion = _better_query(engine, store, parsed, fixes, ranking.total)
    stories = _stories(store, ranking.ranked, collapse)
    folded = sum(len(hit.also_in) for hit in stories)
    hits = stories[offset:offset + limit]
    for hit in hits:
        hit.snippets = make_snippets(indexed_paragraphs(hit.article.body), frozenset(parsed.terms),
                                     tuple(sorted(parsed.prefixes)))
    return SearchResult(query=text, total=ranking.total, hits=hits, suggestion=suggestion,
                        folded=folded)


def _stories(store: Store, ranked: list[tuple[str, float]], collapse: bool) -> list[Hit]:
    """Hits in rank order; with `collapse`, the copies of a story (near-duplicates) make
    one hit at the rank of its best-ranked copy, showing its most complete copy (dated,
    with a site and a URL; the better ranked of equals) and the others in `also_in`."""
    articles = store.get_many([article_id for article_id, _ in ranked])
    stories: dict[str, list[tuple[Article, float]]] = {}
    for article_id, score in ranked:
        article = articles.get(article_id)
        if article is None:
            continue  # removed from the store since it was indexed
        story = article.group if collapse and article.group else article.id
        stories.setdefault(story, []).append((article, score))
    hits = []
    for copies in stories.values():
        lead = max(range(len(copies)), key=lambda i: (_completeness(copies[i][0]), -i))
        article, score = copies[lead]
        hits.append(Hit(article, score, also_in=[a for i, (a, _) in enumerate(copies) if i != lead]))
    return hits


def _completeness(article: Article) -> int:
    """How much a copy of a story tells about itself: a date, a site, a URL."""
    return sum(1 for known in (article.published, article.site, article.url) if known)


def _better_query(engine: Engine, store: Store, parsed: ParsedQuery, fixes: dict,
                  total: int) -> str | None:
    """The corrected query, if it finds more than the query typed; corrected words are
    written as the best hit writes them ("teheran" → "Téhéran")."""
    corrected = apply_corrections(parsed.text, fixes)
    try:
        better = parse(corrected)
    except QueryError:
        return None
    found = engine.rank(better.query, 1)
    if found.total == 0 or found.total < total:
        return None
    best = found.ranked[0][0]
    article = store.get_many([best]).get(best)
    if article is not None:
        written = _written_forms(article.title + "\n" + article.text)
        fixes = {start: (end, written.get(word, word)) for start, (end, word) in fixes.items()}
        corrected = apply_corrections(parsed.text, fixes)
    return corrected


def _written_forms(text: str) -> dict[str, str]:
    """Each folded lowercase word of the text → how the text writes it (lowercased)."""
    forms: dict[str, str] = {}
    for word in re.findall(r"\w+", text):
        forms.setdefault(fold(word.lower()), word.lower())
    return forms
