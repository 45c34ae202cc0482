"""The tantivy engine, the default: a native index in `home/tantivy/`, fed the tokens and
positions of index/analysis.py (pre-tokenized), so matching stays ours (elision, folding,
compounds at their position, stop-word gaps) and scoring is tantivy's BM25.

Like the Whoosh engine, it records the store change it has caught up to
(files.IndexState) and replays what the store committed since; documents are keyed by id,
so a replay never duplicates.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from itertools import islice
from pathlib import Path

import tantivy

from archive.article import Article
from archive.processes import die_with_parent, interrupt_point, interrupts_held
from index.analysis import index_terms, surface_analyzer
from index.engines.base import (
    Facets,
    IndexDamaged,
    IndexUnavailable,
    Ranking,
    facets_from_counts,
    levenshtein,
)
from index.engines.files import LocalIndex, guarded_read, new_build_id, state_stamp
from index.engines.tantivy.query import to_tantivy
from index.schema import VOCABULARY_FIELD, IndexedDocument, derived_key, document

INDEX_DIR = "tantivy"
INDEX_FORMAT = 5  # bump when the fields or the analysis change: the index is rebuilt
COMMIT_EVERY = 5000  # changes per commit in a long catch-up, so a kill keeps the progress
CHUNK = 500  # changes read from the store at a time
PARALLEL_MIN = 500  # changes to index before analysing them in a pool of processes
HEAP_BYTES = 128_000_000  # the writer's indexing budget before it flushes a segment
UNDATED = 0  # the date sort key of an undated article: after every dated one
WORDS_TOKENIZER = "archive_words"
_SURFACE = surface_analyzer()


def article_schema() -> tantivy.Schema:
    """Stemmed title, body and note with positions, plain author and site, the URL's
    words (with positions) and domains, the tag keys (each one term), the spelling
    vocabulary (documents only), the date for ranges and sorting, the facet columns."""
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in ("title", "body", "author", "site", "url", "note"):
        builder.add_text_field(name, tokenizer_name="raw", index_option="position")
    builder.add_text_field("domains", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("tags", tokenizer_name="raw", index_option="basic")
    # The vocabulary needs no positions: its words go as one text that a whitespace
    # tokenizer splits (a third of the JSON a document took pre-tokenized).
    builder.add_text_field(VOCABULARY_FIELD, tokenizer_name=WORDS_TOKENIZER, index_option="basic")
    builder.add_date_field("published", indexed=True, fast=True)
    builder.add_integer_field("datekey", fast=True)
    builder.add_text_field("site_name", tokenizer_name="raw", fast=True, index_option="basic")
    builder.add_unsigned_field("month", indexed=True, fast=True)
    return builder.build()


class TantivyEngine:
    """The tantivy engine (index/engines/base.py) in one archive home."""

    def __init__(self, home: Path):
        self.local = LocalIndex(home, INDEX_DIR, INDEX_FORMAT, "the tantivy index")
        self.path = self.local.path
        self.schema = article_schema()
        self._index: tantivy.Index | None = None
        self._searcher: tantivy.Searcher | None = None
        self._stamp: tuple[int, int] | None = None
        self._build_id: str | None = None
        self._copy: tempfile.TemporaryDirectory | None = None  # a read-only home's index

    @classmethod
    def open(cls, home: Path) -> TantivyEngine:
        return cls(home)

    # --- writing ------------------------------------------------------------------------

    @staticmethod
    def derive(article: Article) -> str:
        """What an ingest worker prepares for this index (the analysis, in parallel)."""
        return derive_document(article)

    def sync(self, store, progress: Callable[[int], None] | None = None,
             derived: Mapping[str, tuple[str | None, object]] | None = None) -> int:
        """Apply every store change after the index's, building the index first when there
        is none; IndexDamaged when it must be rebuilt. Returns how many articles.
        `derived` holds what `derive` made of articles in the ingest workers, by id with
        the sha256 of the original it was made from."""
        if not self.local.building.exists() and self._up_to_date(store):
            return 0
        with self.local.writer_lock(self.local.lock_wait()):
            problem = self.local.problem(store, locked=True)
            if not self.path.exists():
                return self._build_all(store, progress)
            if problem:
                raise IndexDamaged(problem)
            return self._apply(self.path, store, progress, derived=derived)

    def rebuild(self, store, progress: Callable[[int], None] | None = None) -> int:
        """Index the whole store again beside the index, then swap it in."""
        self.close()
        with self.local.writer_lock():
            return self._build_all(store, progress)

    def _up_to_date(self, store) -> bool:
        state = self.local.state()
        return (state is not None and state.seq == store.last_seq()
                and self.local.problem(store) is None)

    def _build_all(self, store, progress) -> int:
        self.close()
        counted = [0]
        build = new_build_id()

        def make(folder: Path) -> None:
            counted[0] = self._apply(folder, store, progress, build=build, fresh=True)

        self.local.build_beside(make)
        return counted[0]

    def _apply(self, folder: Path, store, progress, build: str | None = None,
               fresh: bool = False,
               derived: Mapping[str, tuple[str | None, object]] | None = None) -> int:
        """Index the changes after the folder's state, a commit every COMMIT_EVERY; a
        Ctrl-C waits for the end of a chunk, so the analysis pool is never left hung."""
        with interrupts_held():
            return self._apply_held(folder, store, progress, build, fresh, derived)

    def _apply_held(self, folder: Path, store, progress, build: str | None,
                    fresh: bool, derived: Mapping[str, tuple[str | None, object]] | None) -> int:
        index = open_index(folder, self.schema, create=fresh)
        state = None if fresh else self.local.state()
        start = state.seq if state else 0
        build = build or (state.build if state else new_build_id())
        writer = _writer(index)
        count = 0
        pool = _analysis_pool() if store.last_seq() - start >= PARALLEL_MIN else None
        try:
            changes = store.changes_since(start, batch=CHUNK)
            # A fresh build is swapped in whole or not at all: it commits once, at the end,
            # so it is one segment (a commit writes one per indexing thread).
            while commit := list(islice(changes, COMMIT_EVERY if not fresh else None)):
                for at in range(0, len(commit), CHUNK):
                    chunk = commit[at:at + CHUNK]
                    for (_, article_id, _), made in zip(chunk, _documents(chunk, derived, pool),
                                                        strict=True):
                        if not fresh:
                            writer.delete_documents_by_term("id", article_id)
                        if made is not None:
                            writer.add_json(made)
                    if progress:
                        progress(len(chunk))
                    interrupt_point()
                writer.commit()
                count += len(commit)
                self.local.new_state(store, commit[-1][0], build).write(folder)
            if count == 0:
                writer.commit()
                self.local.new_state(store, start, build).write(folder)
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
            if pool is not None:
                pool.shutdown(cancel_futures=True)
        return count

    # --- reading ------------------------------------------------------------------------

    def searcher(self) -> tantivy.Searcher:
        """A searcher on the latest commit, kept open between queries of one process and
        reloaded when the index changed (a commit, or a rebuild swapped in)."""
        stamp = state_stamp(self.path)
        if self._searcher is not None and stamp == self._stamp:
            return self._searcher
        state = self.local.state()
        if state is None or not self.path.exists():
            self.close()
            raise IndexUnavailable(f"there is no tantivy index in {self.path.parent} yet: "
                                   "run `archive reindex`")
        if state.format != INDEX_FORMAT:
            self.close()
            raise IndexDamaged(f"the tantivy index {self.path} was built by another version of "
                               "archive")
        if self._index is None or state.build != self._build_id:
            self._index = self._open_for_reading()
            self._build_id = state.build
        else:
            self._index.reload()
        self._searcher = self._index.searcher()
        self._stamp = stamp
        return self._searcher

    @guarded_read
    def rank(self, query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` ids by BM25 (title boosted), or newest first (undated last)
        with their relevance scores."""
        searcher = self.searcher()
        built = to_tantivy(query, self.schema)
        if sort == "date":
            found = searcher.search(built, limit, count=True, order_by_field="datekey")
            ids = [self._id(searcher, address) for _, address in found.hits]
            scores = self._scores(searcher, built, ids)
            return Ranking([(i, scores.get(i, 0.0)) for i in ids], _count(found))
        found = searcher.search(built, limit, count=True)
        return Ranking([(self._id(searcher, address), score) for score, address in found.hits],
                       _count(found))

    def _scores(self, searcher, built: tantivy.Query, ids: list[str]) -> dict[str, float]:
        """The relevance scores of some matches (a date-sorted page)."""
        if not ids:
            return {}
        only = tantivy.Query.term_set_query(self.schema, "id", ids)
        scored = tantivy.Query.boolean_query([(tantivy.Occur.Must, built),
                                              (tantivy.Occur.Must,
                                               tantivy.Query.const_score_query(only, 0.0))])
        found = searcher.search(scored, len(ids), count=False)
        return {self._id(searcher, address): score for score, address in found.hits}

    def _open_for_reading(self) -> tantivy.Index:
        """The index on disk; in a home that cannot be written (a read-only mount, a backup
        copy), a temporary copy of it, since tantivy takes a lock file to read."""
        if os.access(self.path, os.W_OK):
            return open_index(self.path, self.schema)
        self._copy = tempfile.TemporaryDirectory(prefix="archive-read-only-")
        copy = Path(self._copy.name) / INDEX_DIR
        shutil.copytree(self.path, copy)
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o700 if path.is_dir() else 0o600)
        return open_index(copy, self.schema)

    @staticmethod
    def _id(searcher, address) -> str:
        return searcher.doc(address)["id"][0]

    @guarded_read
    def facets(self, query, site_limit: int = 20) -> Facets:
        """Counts of every match by site and month, from the fast columns."""
        searcher = self.searcher()
        built = to_tantivy(query, self.schema)
        total = _count(searcher.search(built, 1, count=True))  # tantivy wants a limit ≥ 1
        aggregations = searcher.aggregate(built, {
            "sites": {"terms": {"field": "site_name", "size": site_limit}},
            "months": {"terms": {"field": "month", "size": 100_000}}})
        sites = {b["key"]: b["doc_count"] for b in aggregations["sites"]["buckets"]}
        months = {int(b["key"]): b["doc_count"] for b in aggregations["months"]["buckets"]}
        return facets_from_counts(total, sites, months, site_limit)

    @contextmanager
    def vocabulary(self) -> Iterator[TantivyVocabulary]:
        yield TantivyVocabulary(self.searcher())

    def indexed_ids(self) -> Counter[str]:
        searcher = self.searcher()
        found = searcher.search(tantivy.Query.all_query(), max(searcher.num_docs, 1), count=False)
        return Counter(self._id(searcher, address) for _, address in found.hits)

    def built(self) -> bool:
        return self.local.built()

    def size_bytes(self) -> int:
        return self.local.size_bytes()

    def close(self) -> None:
        self._searcher = None
        self._index = None
        self._stamp = None
        self._build_id = None
        if self._copy is not None:
            self._copy.cleanup()
            self._copy = None


def _documents(chunk: list[tuple[int, str, Article | None]],
               derived: Mapping[str, tuple[str | None, object]] | None,
               pool: ProcessPoolExecutor | None) -> list[str | None]:
    """The JSON document of each change (None for a removed article): what the ingest
    workers made when it is of the same original, tags and note, else analysed here or
    in the pool."""
    made: list[str | None] = [None] * len(chunk)
    todo: list[tuple[int, Article]] = []
    for number, (_, article_id, article) in enumerate(chunk):
        if article is None:
            continue
        ready = derived.get(article_id) if derived else None
        if ready is not None and ready[0] == derived_key(article) and ready[1]:
            made[number] = _with_id(article_id, str(ready[1]))
        else:
            todo.append((number, article))
    articles = [article for _, article in todo]
    analysed = pool.map(_analysed, articles, chunksize=25) if pool and len(todo) > 50 \
        else map(_analysed, articles)
    for (number, _), document_text in zip(todo, analysed, strict=True):
        made[number] = document_text
    return made


def _analysed(article: Article) -> str:
    return document_json(document(article))


def _count(found: tantivy.SearchResult) -> int:
    """The number of matches a search counted (its type stub leaves `count` out)."""
    return getattr(found, "count", None) or 0


def _analysis_pool() -> ProcessPoolExecutor | None:
    """Processes that analyse a long catch-up or a rebuild on every core (they die with
    this one), or None on one core."""
    cores = os.cpu_count() or 1
    if cores < 2:
        return None
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    return ProcessPoolExecutor(cores, mp_context=context, initializer=_worker_start,
                               initargs=(os.getpid(),))


def _worker_start(parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the command itself answers Ctrl-C
    die_with_parent(parent)


def open_index(folder: Path, schema: tantivy.Schema, create: bool = False) -> tantivy.Index:
    try:
        if create or not tantivy.Index.exists(str(folder)):
            index = tantivy.Index(schema, path=str(folder), reuse=not create)
        else:
            index = tantivy.Index.open(str(folder))
        index.register_tokenizer(WORDS_TOKENIZER, _WORDS_ANALYZER)
        return index
    except ValueError as error:  # tantivy reports damaged or foreign files as ValueError
        raise IndexDamaged(f"the tantivy index {folder} is damaged ({error})") from None
    except OSError as error:
        raise IndexUnavailable(f"cannot open the tantivy index {folder}: {error.strerror}") from None


def _writer(index: tantivy.Index) -> tantivy.IndexWriter:
    try:
        # One indexing thread: analysis in Python is the bound, not tantivy's indexing,
        # and each thread writes a segment of its own per commit (6 segments of 12,000
        # articles after a rebuild, each with its own term dictionary).
        return index.writer(HEAP_BYTES, num_threads=1)
    except ValueError as error:  # another writer: our lock makes that a bug or a foreign one
        raise IndexUnavailable(f"cannot write the tantivy index: {error}") from None


# --- documents ------------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def _quoted(term: str) -> str:
    return json.dumps(term, ensure_ascii=False)


@lru_cache(maxsize=200_000)
def _token_tail(term: str) -> str:
    return f',"text":{_quoted(term)},"position_length":1}}'


_TOKEN_HEAD = '{"offset_from":0,"offset_to":0,"position":'


def _tokens(pairs: Iterable[tuple[str, int]]) -> str:
    """A pre-tokenized text value: tantivy indexes these terms at these positions."""
    inner = ",".join([_TOKEN_HEAD + str(pos) + _token_tail(term) for term, pos in pairs])
    return '{"text":"","tokens":[' + inner + "]}"


_WORDS_ANALYZER = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()


def document_json(doc: IndexedDocument) -> str:
    """The JSON document tantivy indexes for an article."""
    return _with_id(doc.id, document_fields(doc))


def document_fields(doc: IndexedDocument) -> str:
    """Every field of the document but its id, as JSON members: one pass of the French
    chain per text (index_terms) gives the stemmed terms and the vocabulary."""
    title_terms, title_words = index_terms(doc.title)
    body_terms, body_words = index_terms(doc.body)
    vocabulary = " ".join(dict.fromkeys(word for word in title_words + body_words
                                        if " " not in word))
    fields = [
        f'"title":{_tokens(title_terms)}',
        f'"body":{_tokens(body_terms)}',
        f'"author":{_tokens((t.text, t.pos) for t in _SURFACE(doc.author, positions=True))}',
        f'"site":{_tokens((t.text, t.pos) for t in _SURFACE(doc.site, positions=True))}',
        f'"{VOCABULARY_FIELD}":{json.dumps(vocabulary, ensure_ascii=False)}',
        f'"url":{_tokens((word, pos) for pos, word in enumerate(doc.url))}',
        f'"domains":{_tokens((domain, 0) for domain in doc.domains)}',
        f'"tags":{_tokens((key, pos) for pos, key in enumerate(doc.tags))}',
        f'"note":{_tokens(index_terms(doc.note)[0] if doc.note else ())}',
        f'"datekey":{_datekey(doc)}',
    ]
    if doc.published is not None:
        fields.append(f'"published":"{doc.published.isoformat(timespec="seconds")}Z"')
    if doc.site_name:
        fields.append(f'"site_name":{json.dumps(doc.site_name, ensure_ascii=False)}')
    if doc.month:
        fields.append(f'"month":{doc.month}')
    return ",".join(fields)


def derive_document(article: Article) -> str:
    """What an ingest worker prepares for the index: the document's fields, before the
    store gives the article its id."""
    return document_fields(document(article))



def _with_id(article_id: str, fields: str) -> str:
    return f'{{"id":{_quoted(article_id)},{fields}}}'



def _datekey(doc: IndexedDocument) -> int:
    if doc.published is None:
        return UNDATED
    # Seconds since 1970 as the date reads (naive, like every engine's dates), shifted so
    # that every date, even before 1970, sorts above UNDATED.
    return int((doc.published - datetime(1970, 1, 1)).total_seconds()) + 2**40


# --- did-you-mean ---------------------------------------------------------------------


class TantivyVocabulary:
    """The `words` field as a Vocabulary (index/engines/base.py): the words sharing the
    first letters, filtered to Whoosh's Levenshtein distance (no transpositions)."""

    def __init__(self, searcher: tantivy.Searcher):
        self.searcher = searcher

    def terms_within(self, word: str, maxdist: int, prefix: int) -> Iterable[str]:
        if maxdist == 1:
            return [c for c in _one_edit(word, prefix)
                    if self.searcher.doc_freq(VOCABULARY_FIELD, c) > 0]
        found = []
        for term, _ in self.searcher.terms_with_prefix(VOCABULARY_FIELD, word[:prefix]):
            if abs(len(term) - len(word)) <= maxdist and levenshtein(word, term, maxdist) <= maxdist:
                found.append(term)
        return found

    def doc_frequency(self, word: str) -> int:
        return self.searcher.doc_freq(VOCABULARY_FIELD, word)

    def articles(self) -> int:
        return self.searcher.num_docs


_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789'"


def _one_edit(word: str, prefix: int) -> set[str]:
    """Every string one deletion, insertion or substitution from `word` that keeps its
    first `prefix` characters."""
    found = set()
    for i in range(prefix, len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            found.add(head + tail[1:])
            found.update(head + c + tail[1:] for c in _LETTERS)
        found.update(head + c + tail for c in _LETTERS)
    found.discard(word)
    return found


