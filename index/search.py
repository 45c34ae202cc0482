"""Search: parse the user's query, filter, rank (BM25 with the title boosted and the
bonuses of index/ranking.py), relax a query that finds too little, cut snippets, and
offer a did-you-mean from the archive's vocabulary.

The query language is in index/query.py. All words are required first; when that finds
fewer articles than the page holds, the page is filled with the articles that hold the
most of the query's plain words, then by score (relaxation: phrases, -word, NOT and
field filters stay required). `strict` turns it off.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from whoosh import query as wq

from archive.article import Article
from archive.store import Store
from index import ranking
from index.analysis import QUESTION_WORDS, analyze, fold, surface_analyzer, term_offsets
from index.engines.base import SORTS, Engine, Vocabulary
from index.query import (
    MAX_QUERY_CHARS,
    ParsedQuery,
    QueryError,
    QueryWord,
    domain_query,
    parse,
    parse_period_range,
    tag_query,
)
from index.schema import VOCABULARY_FIELD, indexed_paragraphs
from index.snippets import Snippet, make_snippets
from index.suggest import apply_corrections, corrections

__all__ = ["MAX_QUERY_CHARS", "Hit", "QueryError", "SearchResult", "search"]

_SURFACE = surface_analyzer()


@dataclass
class Hit:
    """One ranked result: the article, its score, its snippets, and on a relaxed page the
    query words it lacks."""

    article: Article
    score: float
    snippets: list[Snippet] = field(default_factory=list)
    also_in: list[Article] = field(default_factory=list)  # near-duplicates folded into it
    missing: list[str] = field(default_factory=list)  # plain words of the query it lacks

    def to_json(self) -> dict:
        a = self.article
        return {
            "id": a.id, "title": a.title, "site": a.site, "published": a.published,
            "url": a.url, "origin": a.origin, "score": round(self.score, 4),
            "snippets": [s.to_json() for s in self.snippets],
            "also_in": [{"id": d.id, "site": d.site, "title": d.title} for d in self.also_in],
            "missing": self.missing,
            **({"tags": list(a.tags)} if a.tags else {}),
        }


@dataclass
class SearchResult:
    """The hits of one page of results, how many articles matched in all, how many of
    them are copies folded into another's hit, and a suggestion. `relaxed`: fewer
    articles than the page holds have every word (`complete` of them), and the page goes
    on with those that have the most. `literal`: the text was not valid syntax, and was
    searched as the plain words `searched`, for that reason."""

    query: str
    total: int
    hits: list[Hit]
    suggestion: str | None = None
    folded: int = 0
    relaxed: bool = False
    complete: int = 0
    literal: str | None = None
    searched: str = ""
    without: list[str] = field(default_factory=list)  # words some hits lack, in query order

    @property
    def stories(self) -> int:
        """The hits one can page through: the articles matched less the folded copies."""
        return self.total - self.folded

    def to_json(self) -> dict:
        return {"query": self.query, "total": self.total, "folded": self.folded,
                "hits": [h.to_json() for h in self.hits], "suggestion": self.suggestion,
                "relaxed": self.relaxed,
                "literal": ({"query": self.searched, "reason": self.literal}
                            if self.literal else None)}


@dataclass
class RankedPage:
    """Ranked ids of a query, how many articles they are ranked from, how many of those
    hold every word, and whether the page was relaxed."""

    ranked: list[tuple[str, float]]
    total: int
    complete: int
    relaxed: bool = False


def build_query(text: str, site: str | None = None, since: str | None = None,
                until: str | None = None, strict: bool = False,
                tags: tuple[str, ...] = ()) -> ParsedQuery:
    """The parsed query with the ranking bonuses and the --site, --since, --until and
    --tag filters added; unless `strict`, marked `relaxable` when it has plain words to
    relax."""
    parsed = parse(text)
    parsed.bonus = bonuses(parsed.plain, parsed.dropped)
    parsed.filters = search_filters(site, since, until, tags)
    parsed.query = _finished(parsed.query, parsed.bonus, parsed.filters)
    parsed.relaxable = not strict and bool(parsed.plain) and (len(parsed.plain) > 1
                                                                or bool(parsed.required))
    return parsed


def _finished(query: wq.Query, bonus: wq.Query | None, filters: list[wq.Query]) -> wq.Query:
    if bonus is not None:
        query = wq.AndMaybe(query, bonus)
    return wq.And([query, *filters]) if filters else query


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


def relaxed(parsed: ParsedQuery, common: AbstractSet[str] = frozenset()) -> wq.Query:
    """The query with its plain words optional: an article needs one of them (or the other
    required parts), and each word it holds adds RELAXED_WORD_SCORE, so that articles
    rank by how many words they hold, then by score. `common` words (common_words) add
    only their score."""
    counted = [word.query if word.text in common else
               wq.Or([word.query, wq.ConstantScoreQuery(word.query, ranking.RELAXED_WORD_SCORE)])
               for word in parsed.plain]
    words = counted[0] if len(counted) == 1 else wq.Or(counted)
    if parsed.required:
        required = parsed.required[0] if len(parsed.required) == 1 else wq.And(parsed.required)
        core: wq.Query = wq.AndMaybe(required, words)
    else:
        core = words
    if parsed.excluded:
        core = wq.And([core, *(wq.Not(q) for q in parsed.excluded)])
    return _finished(core, parsed.bonus, parsed.filters)


def common_words(vocabulary: Vocabulary, words: list[QueryWord]) -> set[str]:
    """The plain words too common to say what an article is about: written in more than
    COMMON_SHARE of the archive's articles (and in more than COMMON_ARTICLES), as a
    search engine's frequency cutoff treats them. They never decide a relaxed order."""
    limit = max(ranking.COMMON_SHARE * vocabulary.articles(), ranking.COMMON_ARTICLES)
    common = set()
    for word in words:
        forms = [t.text for t in _SURFACE(word.text)]
        if len(forms) == 1 and vocabulary.doc_frequency(forms[0]) > limit:
            common.add(word.text)
    return common


def bonuses(words: list[QueryWord], dropped: Sequence[str] = ()) -> wq.Query | None:
    """Ranking bonuses (they never change what matches) for the query's plain words:
    each word as typed (its folded, unstemmed form: "gouvernement" above
    "gouvernante"); the title holding them all, and close together (with the question
    words a question left out: news titles ask too, "Comment le Brexit…"); and each two
    consecutive words close together in the text."""
    stems = [terms[0] for word in words if len(terms := analyze(word.text)) == 1
             and not word.text.endswith("*")]
    titled = stems + [terms[0] for typed in dropped
                      if fold(typed.lower()) in QUESTION_WORDS and len(terms := analyze(typed)) == 1]
    parts: list[wq.Query] = []
    for word in words:
        forms = [t.text for t in _SURFACE(word.text)]
        if len(forms) == 1 and ranking.EXACT_BOOST:
            parts.append(wq.Term(VOCABULARY_FIELD, forms[0], boost=ranking.EXACT_BOOST))
    titles = [wq.Term("title", term) for term in titled]
    if len(titles) >= 2:
        if ranking.TITLE_ALL_BOOST:
            parts.append(wq.And(titles, boost=ranking.TITLE_ALL_BOOST))
        if ranking.TOGETHER_BOOST:
            parts.append(wq.Sequence(titles, slop=ranking.TOGETHER_SLOP,
                                     ordered=ranking.TOGETHER_ORDERED,
                                     boost=ranking.TOGETHER_BOOST))
    if len(stems) >= 2 and ranking.NEAR_BOOST:
        for first, second in zip(stems, stems[1:], strict=False):
            if first != second:
                parts.append(wq.Sequence([wq.Term("body", first), wq.Term("body", second)],
                                         slop=ranking.NEAR_SLOP, ordered=False,
                                         boost=ranking.NEAR_BOOST))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.Or(parts)


def rank_page(engine: Engine, parsed: ParsedQuery, window: int, sort: str = "relevance",
              page_end: int | None = None) -> RankedPage:
    """The first `window` ranked ids of a built query. When every word finds fewer
    articles than the page needs (`page_end`, the page's last rank) and the query can be
    relaxed, the relaxed ranking: the articles holding every word first."""
    strict = engine.rank(parsed.query, window, sort)
    needed = page_end if page_end is not None else window
    if not parsed.relaxable or strict.total >= needed:
        return RankedPage(strict.ranked, strict.total, strict.total)
    with engine.vocabulary() as vocabulary:
        common = common_words(vocabulary, parsed.plain)
    loose = engine.rank(relaxed(parsed, common), window, sort)
    if loose.total <= strict.total:
        return RankedPage(strict.ranked, strict.total, strict.total)
    # The score shown is the relevance within a count of words, not the count's constant.
    ranked = [(article_id, score % ranking.RELAXED_WORD_SCORE) for article_id, score in loose.ranked]
    if sort == "date":  # every word first here too, each part newest first
        complete = {article_id for article_id, _ in strict.ranked}
        ranked = strict.ranked + [r for r in ranked if r[0] not in complete]
    return RankedPage(ranked[:window], loose.total, strict.total, relaxed=True)


COLLAPSE_READ_AHEAD = 3  # hits read per hit shown, so folding copies still fills a page
# Up to this many matches are all read and folded, so the total counts stories exactly;
# past it, copies beyond the hits read are counted as stories of their own.
FOLD_ALL_UP_TO = 1000


def search(engine: Engine, store: Store, text: str, limit: int = 10, offset: int = 0,
           sort: str = "relevance", site: str | None = None, since: str | None = None,
           until: str | None = None, collapse: bool = True, strict: bool = False,
           tags: tuple[str, ...] = ()) -> SearchResult:
    """One page of ranked hits for the query, each with its article and snippets. With
    `collapse`, copies of the same story (near-duplicates) fold into their best hit;
    with `strict`, every plain word stays required even when that empties the page."""
    if sort not in SORTS:
        raise QueryError(f"unknown sort {sort!r} (use relevance or date)")
    parsed = build_query(text, site, since, until, strict=strict, tags=tags)
    window = (offset + limit) * COLLAPSE_READ_AHEAD if collapse else offset + limit
    page = rank_page(engine, parsed, window, sort, page_end=offset + limit)
    if collapse and len(page.ranked) < page.total <= FOLD_ALL_UP_TO:
        page = rank_page(engine, parsed, page.total, sort, page_end=offset + limit)
    suggestion = None
    if parsed.words:
        with engine.vocabulary() as vocabulary:
            fixes = corrections(vocabulary, parsed.words, page.complete)
        if fixes:
            suggestion = _better_query(engine, store, parsed, fixes, page.complete)
    stories = _stories(store, page.ranked, collapse)
    folded = sum(len(hit.also_in) for hit in stories)
    hits = _with_bodies(store, stories[offset:offset + limit])
    terms, prefixes = frozenset(parsed.terms), tuple(sorted(parsed.prefixes))
    for hit in hits:
        paragraphs = indexed_paragraphs(hit.article.body)
        hit.snippets = make_snippets(paragraphs, terms, prefixes, phrases=parsed.phrases)
        if page.relaxed:
            hit.missing = missing_words(parsed.plain, hit.article.title, paragraphs)
    lacking = {word for hit in hits for word in hit.missing}
    return SearchResult(query=text, total=page.total, hits=hits, suggestion=suggestion,
                        folded=folded, relaxed=page.relaxed, complete=page.complete,
                        literal=parsed.literal, searched=parsed.text,
                        without=[w.text for w in parsed.plain if w.text in lacking])


def missing_words(words: list[QueryWord], title: str, paragraphs: list[str]) -> list[str]:
    """The query's plain words an article lacks: none of a word's ways to match (its
    terms, or a compound's parts) is in its title or text."""
    held = {term for text in (title, *paragraphs) for _, _, term in term_offsets(text)}
    return [word.text for word in words
            if not any(all(term in held for term in terms) for terms in word.variants)]


def _stories(store: Store, ranked: list[tuple[str, float]], collapse: bool) -> list[Hit]:
    """Hits in rank order; with `collapse`, the copies of a story (near-duplicates) make
    one hit at the rank of its best-ranked copy, showing its most complete copy (dated,
    with a site and a URL; the better ranked of equals) and the others in `also_in`."""
    articles = store.get_many([article_id for article_id, _ in ranked], bodies=False)
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


def _with_bodies(store: Store, hits: list[Hit]) -> list[Hit]:
    """The page's hits with their articles' text, read for them alone: folding up to
    FOLD_ALL_UP_TO matches needs only their groups and metadata (reading every body of
    them was three quarters of a search at 10k)."""
    full = store.get_many([hit.article.id for hit in hits])
    for hit in hits:
        hit.article = full.get(hit.article.id, hit.article)
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
