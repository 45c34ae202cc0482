"""The Whoosh schema: what is indexed for each article, and the title boost.

Bodies and titles are indexed but not stored: the archive of record has them, and
snippets are cut from it.
"""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, TEXT, Schema

from index.analysis import french_analyzer

TITLE_BOOST = 2.0  # a word in the title counts twice a word in the body (BM25F)
SEARCH_FIELDS = ("title", "body")


def article_schema() -> Schema:
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        site=ID(),  # lowercased by the indexer, for site: filters
        published=DATETIME(sortable=True),
    )
