"""Every matched word form of a query in a whole article, for the reading view.

The same rule as the snippets (index/snippets.py): a word is marked when its index term
is one the query matched, so "soldat" marks "soldats" and "l'État" marks "État". Marks
are [start, end) offsets into each paragraph, never markup: the page escapes the text.
"""

from __future__ import annotations

from index.query import parse
from index.snippets import matches_in


def marked_spans(query: str, paragraphs: list[str]) -> list[list[tuple[int, int]]]:
    """For each paragraph, the spans of the words the query matches, in order and without
    overlaps (a compound matched whole is one mark, not also its parts)."""
    parsed = parse(query)
    terms, prefixes = frozenset(parsed.terms), tuple(sorted(parsed.prefixes))
    return [_outermost(matches_in(paragraph, terms, prefixes)) for paragraph in paragraphs]


def _outermost(matches: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end, _ in sorted(matches, key=lambda m: (m[0], -m[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
