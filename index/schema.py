"""The Whoosh schema: what is indexed for each article, and the title boost.

Bodies and titles are indexed but not stored: the archive of record has them, and
snippets are cut from it.
"""

from __future__ import annotations

from whoosh import formats
from whoosh.fields import DATETIME, ID, TEXT, FieldType, Schema

from index.analysis import french_analyzer, surface_analyzer

TITLE_BOOST = 4.0  # BM25F title weight: 4 beat 2 and 3 on bench/relevance.py (see commit)
SEARCH_FIELDS = ("title", "body")
FILTER_FIELDS = ("title", "author", "site", "published")


class VocabularyField(FieldType):
    """Words as written (folded, unstemmed), with no frequencies or positions: only the
    spelling vocabulary that did-you-mean draws its corrections from. (Scoring exact
    forms from it as a bonus did not help: MRR@10 0.9902 → 0.9901, bench/relevance.py.)"""

    def __init__(self) -> None:
        # scorable=True only to keep a length column: without one, Whoosh looks for the
        # missing length file on disk once per posting (664,273 os.path.exists calls,
        # 14% of commit time adding 4,000 articles, bench/README.md).
        super().__init__(formats.Existence(), analyzer=surface_analyzer(), scorable=True,
                         stored=False)


def article_schema() -> Schema:
    """Fields of an article: stemmed title and body, plain author and site, the date,
    and the spelling vocabulary."""
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        author=TEXT(analyzer=surface_analyzer(), phrase=True),
        site=TEXT(analyzer=surface_analyzer(), phrase=True),
        published=DATETIME(sortable=True),
        words=VocabularyField(),
    )
