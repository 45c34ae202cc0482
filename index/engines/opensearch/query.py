"""Whoosh query trees (index/query.py, index/search.py) as OpenSearch query DSL.

Terms in the tree are already analysed by index/analysis.py, so they become `term`,
`prefix` and `span_term` queries on the indexed terms, never `match`: query analysis is
the Whoosh analyzer's on both engines, and only the index side is OpenSearch's.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from whoosh import query as wq


def to_dsl(query: wq.Query) -> dict:
    """The query DSL of one parsed query; an unknown node is a bug, not a user error."""
    if isinstance(query, type(wq.NullQuery)):
        return {"match_none": {}}
    if isinstance(query, wq.Every):
        return {"match_all": {}}
    if isinstance(query, wq.Term):
        return {"term": {query.fieldname: {"value": _text(query.text), **_boost(query)}}}
    if isinstance(query, wq.Prefix):
        return {"prefix": {query.fieldname: {"value": _text(query.text), **_boost(query)}}}
    if isinstance(query, wq.DateRange):
        return {"range": {query.fieldname: _date_bounds(query)}}
    if isinstance(query, wq.Phrase):
        return _phrase(query)
    if isinstance(query, wq.Sequence):
        return _together(query)
    if isinstance(query, wq.ConstantScoreQuery):
        return {"constant_score": {"filter": to_dsl(query.child), "boost": query.score}}
    if isinstance(query, wq.Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [to_dsl(query.query)]}}
    if isinstance(query, wq.AndMaybe):
        return {"bool": {"must": [to_dsl(query.a)], "should": [to_dsl(query.b)], **_boost(query)}}
    if isinstance(query, wq.AndNot):
        return {"bool": {"must": [to_dsl(query.a)], "must_not": [to_dsl(query.b)], **_boost(query)}}
    if isinstance(query, wq.And):
        must = [to_dsl(q) for q in query.subqueries if not isinstance(q, wq.Not)]
        must_not = [to_dsl(q.query) for q in query.subqueries if isinstance(q, wq.Not)]
        return {"bool": {"must": must or [{"match_all": {}}], "must_not": must_not, **_boost(query)}}
    if isinstance(query, wq.Or):
        return {"bool": {"should": [to_dsl(q) for q in query.subqueries],
                         "minimum_should_match": 1, **_boost(query)}}
    raise TypeError(f"no OpenSearch translation for {query!r}")


def _text(text: str | bytes) -> str:
    return text.decode() if isinstance(text, bytes) else text


def _boost(query: wq.Query) -> dict:
    boost = getattr(query, "boost", 1.0)
    return {"boost": boost} if boost != 1.0 else {}


def _phrase(query: wq.Phrase) -> dict:
    """Whoosh's Phrase lets each next word be 1..slop positions after the previous one
    (SpanNear2, mindist=1): nested ordered span_near, left-deep, with slop - 1 words
    between neighbours, keeps that per-pair rule (one flat span_near sums the gaps)."""
    field = query.fieldname
    spans = [{"span_term": {field: _text(word)}} for word in query.words]
    near: dict[str, Any] = spans[0]
    for span in spans[1:]:
        near = {"span_near": {"clauses": [near, span], "slop": max(query.slop - 1, 0),
                              "in_order": True}}
    if query.boost != 1.0:
        return {"bool": {"must": [near], "boost": query.boost}}
    return near


def _together(query: wq.Sequence) -> dict:
    """The proximity bonuses (index/search.py bonuses): the words near each other in any
    order. They only add to the score, so the unordered span's summed slop is close
    enough to Whoosh's per-pair one."""
    clauses = []
    for sub in query.subqueries:
        if not isinstance(sub, wq.Term):
            raise TypeError(f"no OpenSearch translation for a sequence of {sub!r}")
        clauses.append({"span_term": {sub.fieldname: _text(sub.text)}})
    near = {"span_near": {"clauses": clauses, "slop": query.slop * (len(clauses) - 1),
                          "in_order": bool(query.ordered)}}
    return {"bool": {"must": [near], **_boost(query)}}


def _date_bounds(query: wq.DateRange) -> dict:
    """Naive datetimes as the indexer sends them (index/schema.py: time zone dropped);
    milliseconds, the precision of an OpenSearch date."""
    bounds = {}
    if query.startdate is not None:
        bounds["gt" if query.startexcl else "gte"] = _iso(query.startdate)
    if query.enddate is not None:
        bounds["lt" if query.endexcl else "lte"] = _iso(query.enddate)
    return bounds


def _iso(moment: datetime) -> str:
    return moment.replace(tzinfo=None).isoformat(timespec="milliseconds")

