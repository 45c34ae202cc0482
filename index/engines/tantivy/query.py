"""Query trees (index/query.py, index/search.py) as tantivy queries.

Terms in the tree are already analysed by index/analysis.py, and the index was fed the
same analysis (pre-tokenized), so they become term, phrase and regex queries on the
indexed terms: matching is ours, scoring is tantivy's BM25.
"""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime

import tantivy
from whoosh import query as wq

# A phrase whose words may sit 1..slop positions apart (Whoosh's rule) becomes the
# union of its exact spacings while there are at most this many of them; past that,
# tantivy's own slop (a superset: it also allows reordering) stands in.
MAX_SPACINGS = 64
Occur = tantivy.Occur


def to_tantivy(query: wq.Query, schema: tantivy.Schema) -> tantivy.Query:
    """The tantivy query of one parsed query; an unknown node is a bug, not a user error."""
    built = _translate(query, schema)
    boost = getattr(query, "boost", 1.0)
    return tantivy.Query.boost_query(built, boost) if boost != 1.0 else built


def _translate(query: wq.Query, schema: tantivy.Schema) -> tantivy.Query:
    Q = tantivy.Query
    if isinstance(query, type(wq.NullQuery)):
        return Q.empty_query()
    if isinstance(query, wq.Every):
        return Q.all_query()
    if isinstance(query, wq.Term):
        return Q.term_query(schema, query.fieldname, _text(query.text))
    if isinstance(query, wq.Prefix):
        return Q.regex_query(schema, query.fieldname, re.escape(_text(query.text)) + ".*")
    if isinstance(query, wq.DateRange):
        return Q.range_query(schema, query.fieldname, tantivy.FieldType.Date,
                             _naive(query.startdate), _naive(query.enddate),
                             include_lower=not query.startexcl, include_upper=not query.endexcl)
    if isinstance(query, wq.Phrase):
        return phrase(schema, query.fieldname, [_text(w) for w in query.words], query.slop)
    if isinstance(query, wq.Sequence):
        return _together(schema, query)
    if isinstance(query, wq.ConstantScoreQuery):
        return Q.const_score_query(to_tantivy(query.child, schema), query.score)
    if isinstance(query, wq.Not):
        return Q.boolean_query([(Occur.Must, Q.all_query()),
                                (Occur.MustNot, to_tantivy(query.query, schema))])
    if isinstance(query, wq.AndMaybe):
        return Q.boolean_query([(Occur.Must, to_tantivy(query.a, schema)),
                                (Occur.Should, to_tantivy(query.b, schema))])
    if isinstance(query, wq.AndNot):
        return Q.boolean_query([(Occur.Must, to_tantivy(query.a, schema)),
                                (Occur.MustNot, to_tantivy(query.b, schema))])
    if isinstance(query, wq.And):
        clauses = [(Occur.MustNot, to_tantivy(q.query, schema)) if isinstance(q, wq.Not)
                   else (Occur.Must, to_tantivy(q, schema)) for q in query.subqueries]
        if all(occur == Occur.MustNot for occur, _ in clauses):
            clauses.append((Occur.Must, Q.all_query()))
        return Q.boolean_query(clauses)
    if isinstance(query, wq.Or):
        return Q.boolean_query([(Occur.Should, to_tantivy(q, schema)) for q in query.subqueries])
    raise TypeError(f"no tantivy translation for {query!r}")


def phrase(schema: tantivy.Schema, field: str, words: list[str], slop: int) -> tantivy.Query:
    """Each next word 1..slop positions after the one before (Whoosh's phrase rule), as
    exact spacings; tantivy's own slop counts reorderings as moves, which Whoosh does not
    allow."""
    Q = tantivy.Query
    if len(words) == 1:
        return Q.term_query(schema, field, words[0])
    gaps = len(words) - 1
    if slop <= 1:
        return Q.phrase_query(schema, field, list[str | tuple[int, str]](words), slop=0)
    if slop ** gaps > MAX_SPACINGS:
        return Q.phrase_query(schema, field, list[str | tuple[int, str]](words),
                              slop=(slop - 1) * gaps)
    spaced = []
    for spacing in itertools.product(range(1, slop + 1), repeat=gaps):
        offsets = [0, *itertools.accumulate(spacing)]
        spaced.append((Occur.Should, Q.phrase_query(schema, field, list(zip(offsets, words,
                                                                             strict=True)))))
    return Q.boolean_query(spaced)


def _together(schema: tantivy.Schema, query: wq.Sequence) -> tantivy.Query:
    """The proximity bonuses (index/search.py bonuses): the words within the slop of each
    other, in order (as a phrase) or in any order (tantivy's phrase slop allows
    reordering, at a cost of two moves per swap)."""
    words = []
    for sub in query.subqueries:
        if not isinstance(sub, wq.Term):
            raise TypeError(f"no tantivy translation for a sequence of {sub!r}")
        words.append(_text(sub.text))
    field = query.subqueries[0].fieldname
    if query.ordered:
        return phrase(schema, field, words, query.slop)
    return tantivy.Query.phrase_query(schema, field, list[str | tuple[int, str]](words),
                                      slop=query.slop * (len(words) - 1) + len(words))


def _text(text: str | bytes) -> str:
    return text.decode() if isinstance(text, bytes) else text


def _naive(moment: datetime | None) -> datetime | None:
    """Dates are indexed as they read, marked UTC (engine.document_json): so are bounds."""
    return moment.replace(tzinfo=UTC) if moment is not None else None
