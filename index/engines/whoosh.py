"""The Whoosh engine: a pure-Python index in `home/index/`, derived from the store.

The index records the store change it has caught up to (files.IndexState). Any command
that opens it first indexes what the store committed since, so a crash between the
store commit and the index commit is repaired by the next command. Replays are
harmless: documents are keyed by id.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from pathlib import Path

from whoosh import collectors, formats, multiproc, scoring
from whoosh import index as whoosh_index
from whoosh.analysis import SpaceSeparatedTokenizer
from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, TEXT, FieldType, Schema
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from archive.processes import die_with_parent
from index.analysis import french_analyzer, surface_analyzer
from index.engines.base import (
    Facets,
    IndexDamaged,
    IndexLocked,
    IndexUnavailable,
    Ranking,
    facets_from_counts,
)
from index.engines.files import LocalIndex, guarded_read, new_build_id, state_stamp
from index.ranking import BM25_B, BM25_K1
from index.schema import VOCABULARY_FIELD, IndexedDocument, document

INDEX_DIR = "index"
SYNC_CHUNK = 500  # changes read from the store and deleted from the index at a time
COMMIT_EVERY = 5000  # changes per commit in a long catch-up, so a kill keeps the progress
MERGE_FANIN = 10  # segments of one size class merged together
PARALLEL_MIN = 500  # changes to index before analysis is worth spreading over processes
# Bump when the schema or the analysis changes: an index of another format is rebuilt.
INDEX_FORMAT = 7
UNDATED = 0  # the sort key of an undated article: after every dated one, newest first


class VocabularyField(FieldType):
    """Words as written (folded, unstemmed), with no frequencies or positions: only the
    spelling vocabulary that did-you-mean draws its corrections from."""

    def __init__(self) -> None:
        # scorable=True only to keep a length column: without one, Whoosh looks for the
        # missing length file on disk once per posting (664,273 os.path.exists calls,
        # 14% of commit time adding 4,000 articles, bench/README.md).
        super().__init__(formats.Existence(), analyzer=surface_analyzer(), scorable=True,
                         stored=False)


def article_schema() -> Schema:
    """Stemmed title, body and note, plain author and site, the URL's words and domains,
    the tag keys, the date, the facet columns and the spelling vocabulary."""
    analyzer = french_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=analyzer, phrase=True),
        body=TEXT(analyzer=analyzer, phrase=True),
        author=TEXT(analyzer=surface_analyzer(), phrase=True),
        site=TEXT(analyzer=surface_analyzer(), phrase=True),
        url=TEXT(analyzer=SpaceSeparatedTokenizer(), phrase=True),  # schema.url_words, in order
        domains=KEYWORD(),
        tags=KEYWORD(commas=True),  # schema.tags: whole tag keys, which hold no comma
        note=TEXT(analyzer=analyzer, phrase=True),
        published=DATETIME(),
        datekey=NUMERIC(bits=64, sortable=True, default=UNDATED),
        site_name=ID(sortable=True),
        month=NUMERIC(sortable=True, default=0),
        words=VocabularyField(),
    )


def weighting() -> scoring.BM25F:
    """BM25F with the tuned constants; the title's weight comes with the query's boosts."""
    return scoring.BM25F(B=BM25_B, K1=BM25_K1)


class WhooshEngine:
    """The Whoosh engine (index/engines/base.py): the search index in one archive home."""

    def __init__(self, home: Path):
        self.local = LocalIndex(home, INDEX_DIR, INDEX_FORMAT, "the Whoosh index")
        self.path = self.local.path
        self._index = None
        self._searcher = None
        self._stamp: tuple[int, int] | None = None
        self._build_id: str | None = None

    @classmethod
    def open(cls, home: Path) -> WhooshEngine:
        return cls(home)

    # --- writing ------------------------------------------------------------------------

    derive = None  # this engine analyses what it indexes itself

    def sync(self, store, progress: Callable[[int], None] | None = None,
             derived: Mapping | None = None) -> int:
        """Replay every store change after the index's: index new and changed articles,
        delete removed ones; build the index first when there is none. Returns how many
        articles were touched. IndexDamaged when the index must be rebuilt."""
        if not self.local.building.exists() and self._up_to_date(store):
            return 0
        with self.local.writer_lock(self.local.lock_wait()):
            problem = self.local.problem(store, locked=True)
            if not self.path.exists():
                return self._build(store, progress)
            if problem:
                raise IndexDamaged(problem)
            return self._apply(self.path, store, progress)

    def rebuild(self, store, progress: Callable[[int], None] | None = None,
             derived: Mapping | None = None) -> int:
        """Index the whole store again beside the index, then swap it in."""
        self.close()
        with self.local.writer_lock():
            return self._build(store, progress)

    def _up_to_date(self, store) -> bool:
        state = self.local.state()
        return (state is not None and state.seq == store.last_seq() and self.path.exists()
                and self.local.problem(store) is None)

    def _build(self, store, progress) -> int:
        self.close()
        counted = [0]
        build = new_build_id()

        def make(folder: Path) -> None:
            whoosh_index.create_in(folder, article_schema())
            counted[0] = self._apply(folder, store, progress, build=build, fresh=True)

        self.local.build_beside(make)
        return counted[0]

    def _apply(self, folder: Path, store, progress, build: str | None = None,
               fresh: bool = False) -> int:
        """Index the changes after the folder's state, committing every COMMIT_EVERY."""
        ix = self._open_index(folder)
        state = self.local.state() if not fresh else None
        start = state.seq if state else 0
        build = build or (state.build if state else new_build_id())
        pending = store.last_seq() - start
        fresh = fresh or ix.doc_count_all() == 0
        count = 0
        try:
            changes = store.changes_since(start)
            while True:
                chunks = list(islice(changes, COMMIT_EVERY))
                if not chunks:
                    break
                parallel = pending >= PARALLEL_MIN and (os.cpu_count() or 1) > 1
                writer = _writer(ix, procs=min(os.cpu_count() or 1, 4) if parallel else 1)
                try:
                    for start_at in range(0, len(chunks), SYNC_CHUNK):
                        chunk = chunks[start_at:start_at + SYNC_CHUNK]
                        if not fresh:
                            # One searcher for the whole chunk: Whoosh's update_document opens
                            # a reader per document (43 of 170 s adding 2,000 articles).
                            with writer.searcher() as searcher:
                                for _, article_id, _ in chunk:
                                    writer.delete_by_term("id", article_id, searcher=searcher)
                        for _, _, article in chunk:
                            if article is not None:
                                writer.add_document(**_fields(document(article)))
                        if progress:
                            progress(len(chunk))
                    writer.commit(mergetype=merge_tiered)
                except BaseException:
                    writer.cancel()
                    raise
                count += len(chunks)
                fresh = False
                self.local.new_state(store, chunks[-1][0], build).write(folder)
            if count == 0 and (fresh or state is None):
                self.local.new_state(store, start, build).write(folder)
        finally:
            ix.close()
        return count

    def _open_index(self, folder: Path):
        try:
            if not whoosh_index.exists_in(folder):
                return whoosh_index.create_in(folder, article_schema())
            return whoosh_index.open_dir(folder)
        except OSError as error:
            raise IndexUnavailable(f"cannot open the index {folder}: {error.strerror}") from None
        except Exception as error:  # Whoosh raises bare errors on damaged segment files
            raise IndexDamaged(f"the Whoosh index {folder} is damaged "
                               f"({error.__class__.__name__})") from None

    # --- reading ------------------------------------------------------------------------

    @guarded_read
    def rank(self, query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` ids by BM25F, or newest first (undated last) with their
        relevance scores."""
        searcher = self.searcher()
        if sort == "date":
            results = searcher.search(query, limit=limit, sortedby="datekey", reverse=True)
            ids = [(hit.docnum, hit["id"]) for hit in results]
            scores = _scores_of(searcher, query, [docnum for docnum, _ in ids])
            return Ranking([(i, scores.get(d, 0.0)) for d, i in ids], len(results))
        # Every match scored and counted in one pass: Whoosh's default skips blocks and
        # runs the query again to count (p95 at 100,000 articles, bench/README.md).
        collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
        searcher.search_with_collector(query, collector)
        results = collector.results()
        return Ranking([(hit["id"], hit.score or 0.0) for hit in results], len(results))

    @guarded_read
    def facets(self, query, site_limit: int = 20) -> Facets:
        """Counts of every match by site and month, from the sortable columns."""
        searcher = self.searcher()
        docs = list(searcher.docs_for_query(query))
        reader = searcher.reader()
        sites_column = reader.column_reader("site_name")
        months_column = reader.column_reader("month")
        sites: Counter[str] = Counter()
        months: Counter[int] = Counter()
        for docnum in docs:
            site = sites_column[docnum]
            if site:
                sites[site.decode() if isinstance(site, bytes) else site] += 1
            month = months_column[docnum]
            if month and month > 0:  # an undated article holds the column's default
                months[month] += 1
        return facets_from_counts(len(docs), sites, months, site_limit)

    @contextmanager
    def vocabulary(self) -> Iterator[_WhooshVocabulary]:
        yield _WhooshVocabulary(self.searcher().reader())

    def searcher(self):
        """A searcher on the latest commit, kept open between queries of one process and
        reopened when the index changed (a commit, or a rebuild swapped in)."""
        stamp = state_stamp(self.path)
        if self._searcher is not None and stamp == self._stamp:
            return self._searcher
        if self._searcher is not None and stamp is not None and self._index is not None:
            state = self.local.state()
            if state is not None and state.format == INDEX_FORMAT and self._build_id == state.build:
                self._searcher = self._searcher.refresh()
                self._stamp = stamp
                return self._searcher
        self.close()
        state = self.local.state()
        if state is None or not self.path.exists():
            raise IndexUnavailable(f"there is no Whoosh index in {self.path.parent} yet: "
                                   "run `archive reindex`")
        if state.format != INDEX_FORMAT:
            raise IndexDamaged(f"the Whoosh index {self.path} was built by another version of "
                               "archive")
        self._index = self._open_index(self.path)
        self._build_id = state.build
        self._searcher = self._index.searcher(weighting=weighting())
        self._stamp = stamp
        return self._searcher

    def indexed_ids(self) -> Counter[str]:
        return Counter(fields["id"] for fields in self.searcher().reader().all_stored_fields())

    def built(self) -> bool:
        return self.local.built()

    def size_bytes(self) -> int:
        return self.local.size_bytes()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._index is not None:
            self._index.close()
            self._index = None
        self._stamp = None


def _scores_of(searcher, query, docnums: list[int]) -> dict[int, float]:
    """The relevance scores of some matches (a date-sorted page)."""
    if not docnums:
        return {}
    results = searcher.search(query, limit=len(docnums), filter=set(docnums))
    return {hit.docnum: hit.score or 0.0 for hit in results}


def _fields(doc: IndexedDocument) -> dict:
    """The Whoosh fields of an indexed document."""
    fields = {"id": doc.id, "title": doc.title, "body": doc.body, "author": doc.author,
              "site": doc.site, "words": doc.words, "url": " ".join(doc.url),
              "domains": " ".join(doc.domains), "tags": ",".join(doc.tags), "note": doc.note,
              "datekey": _datekey(doc.published)}
    if doc.published is not None:
        fields["published"] = doc.published
    if doc.site_name:
        fields["site_name"] = doc.site_name
    if doc.month:
        fields["month"] = doc.month
    return fields


def _datekey(published: datetime | None) -> int:
    """Seconds since year 1, so every dated article sorts after UNDATED."""
    if published is None:
        return UNDATED
    return int((published - datetime(1, 1, 1)).total_seconds()) + 1


def _writer(ix, procs: int = 1) -> IndexWriter:
    """A Whoosh writer (our own writer lock is held, so Whoosh's is free at once)."""
    try:
        # compound=False: a searcher opens a segment's files in place instead of copying
        # each part out of one compound file (54 → 0.3 ms at 12k articles, bench/README.md).
        # procs > 1: Whoosh analyses in subprocesses, each writing its own segment
        # (adding 2,000 articles 9.2 → 6.0 s, reindex 7.0 → 3.9 s on 2 idle cores).
        return ix.writer(limitmb=128, compound=False, procs=procs, multisegment=procs > 1)
    except LockError:
        raise IndexLocked(f"the Whoosh index {ix.storage.folder} is locked by another "
                          "process") from None


class _WhooshVocabulary:
    """The `words` field of a Whoosh reader as a Vocabulary (index/engines/base.py)."""

    def __init__(self, reader):
        self.reader = reader

    def terms_within(self, word: str, maxdist: int, prefix: int) -> Iterable[str]:
        # Segment by segment: a segment reader walks its word list with a Levenshtein
        # automaton, while a multi-segment reader computes the distance to every word of
        # the prefix (one edit: 20 instead of 150 ms at 100,000 articles, bench/README.md).
        found: set[str] = set()
        for leaf, _ in self.reader.leaf_readers():
            found.update(leaf.terms_within(VOCABULARY_FIELD, word, maxdist, prefix=prefix))
        return found

    def doc_frequency(self, word: str) -> int:
        return self.reader.doc_frequency(VOCABULARY_FIELD, word)

    def articles(self) -> int:
        return self.reader.doc_count()


def _run_dying_with_parent(task) -> None:
    die_with_parent(task._parent_pid)
    _run_sub_writer(task)


def _start_dying_with_parent(task) -> None:
    task._parent_pid = os.getpid()
    _start_sub_writer(task)


# Whoosh's sub-writer processes wait on their job queue forever if `archive` is killed:
# they are made to die with it, like the ingest workers.
_run_sub_writer, _start_sub_writer = multiproc.SubWriterTask.run, multiproc.SubWriterTask.start
multiproc.SubWriterTask.run = _run_dying_with_parent
multiproc.SubWriterTask.start = _start_dying_with_parent


def merge_tiered(writer, segments: list) -> list:
    """Merge ten segments of one size class (1–9, 10–99, 100–999… documents) into one.

    Whoosh's MERGE_SMALL merges every segment up to a Fibonacci bound, which at 100k
    articles rewrote the whole index on an ordinary add (2,000 pages took 456 s instead of
    45 s, bench/README.md). Tiers rewrite each document about once per tenfold growth.
    """
    from whoosh.reading import SegmentReader

    tiers: dict[int, list] = {}
    for segment in segments:
        tiers.setdefault(len(str(max(segment.doc_count_all(), 1))), []).append(segment)
    for tier in sorted(tiers):
        group = tiers[tier]
        if len(group) >= MERGE_FANIN:
            for segment in group:
                reader = SegmentReader(writer.storage, writer.schema, segment)
                writer.add_reader(reader)
                reader.close()
            return [segment for segment in segments if segment not in group]
    return segments
