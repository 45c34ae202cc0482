"""The Whoosh index in `home/index/`: derived from the store, always rebuildable.

The index remembers the store `seq` it has caught up to (in `synced.json`, written
after each Whoosh commit). Any command that opens the index first indexes what the
store committed since, so a crash between the store commit and the index commit is
repaired by the next command. Replays are harmless: documents are keyed by id.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import islice
from pathlib import Path

from whoosh import collectors, multiproc
from whoosh import index as whoosh_index
from whoosh.index import LockError
from whoosh.writing import IndexWriter

from archive.article import Article
from archive.processes import die_with_parent
from archive.store import Store
from index.engine import IndexDamaged, IndexLocked, IndexUnavailable, Ranking
from index.schema import article_schema
from index.suggest import VOCABULARY_FIELD

INDEX_DIR = "index"
STATE_FILE = "synced.json"
LOCK_WAIT = 30.0  # seconds to wait for another archive process's writer
SYNC_CHUNK = 500  # changes read from the store and deleted from the index at a time
MERGE_FANIN = 10  # segments of one size class merged together
PARALLEL_MIN = 500  # changes to index before analysis is worth spreading over processes
# Bump when the schema or the analysis changes: an index of another format is rebuilt.
INDEX_FORMAT = 3


class ArchiveIndex:
    """The Whoosh engine (index/engine.py): the search index in one archive home."""

    def __init__(self, home: Path):
        self.path = Path(home) / INDEX_DIR
        self._index = None
        self._searcher = None

    @property
    def whoosh(self):
        if self._index is None:
            self._index = self._open_or_create()
        return self._index

    def _open_or_create(self):
        try:
            if not self.exists():
                self.path.mkdir(parents=True, exist_ok=True)
                return whoosh_index.create_in(self.path, article_schema())
        except OSError as error:
            raise IndexUnavailable(f"cannot create the index {self.path}: {error.strerror}") from None
        try:
            return whoosh_index.open_dir(self.path)
        except OSError as error:
            raise IndexUnavailable(f"cannot open the index {self.path}: {error.strerror}") from None
        except Exception as error:  # Whoosh raises bare errors on damaged segment files
            raise IndexDamaged(f"the index {self.path} is damaged ({error.__class__.__name__}); "
                                   "run `archive reindex` to rebuild it") from None

    def exists(self) -> bool:
        """Whether an index is on disk; a table of contents that cannot be read is damage."""
        try:
            return whoosh_index.exists_in(self.path)
        except Exception as error:  # Whoosh raises its own IndexError, struct errors…
            raise IndexDamaged(f"the index {self.path} is damaged ({error.__class__.__name__})") from None

    def synced_seq(self) -> int:
        """The store seq this index has caught up to (0 when unknown)."""
        try:
            return int(json.loads((self.path / STATE_FILE).read_text())["seq"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0

    def sync(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Replay every store change after our seq: index new and changed articles, delete
        removed ones. Return how many articles were touched."""
        self.check_format()
        start = self.synced_seq()
        if start >= store.last_seq() and self.exists():
            return 0
        count, last = 0, start
        fresh = not self.exists() or self.whoosh.doc_count_all() == 0
        parallel = store.last_seq() - start >= PARALLEL_MIN and (os.cpu_count() or 1) > 1
        writer = self._writer(procs=min(os.cpu_count() or 1, 4) if parallel else 1)
        try:
            changes = store.changes_since(start)
            while chunk := list(islice(changes, SYNC_CHUNK)):
                if not fresh:
                    # One searcher for the whole chunk: Whoosh's update_document opens a new
                    # reader per document, which took 43 of 170 s adding 2,000 articles.
                    with writer.searcher() as searcher:
                        for _, article_id, _ in chunk:
                            writer.delete_by_term("id", article_id, searcher=searcher)
                for seq, _, article in chunk:
                    if article is not None:
                        writer.add_document(**document(article))
                    last, count = seq, count + 1
                if progress:
                    progress(len(chunk))
            writer.commit(mergetype=merge_tiered)
        except BaseException:
            writer.cancel()
            raise
        self._write_state(last)
        return count

    def rebuild(self, store: Store, progress: Callable[[int], None] | None = None) -> int:
        """Delete the index and index the whole store again."""
        self.close()
        if self.path.exists():
            shutil.rmtree(self.path)
        return self.sync(store, progress)

    def size_bytes(self) -> int:
        """The index's size on disk."""
        if not self.path.exists():
            return 0
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    def rank(self, query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` ids by BM25F (index/search.py's weighting), or newest first."""
        searcher = self.searcher()
        if sort == "date":
            results = searcher.search(query, limit=limit, sortedby="published", reverse=True)
        else:
            # Every match scored and counted in one pass: Whoosh's default skips blocks
            # and drops sub-queries that cannot reach the top, then runs the query again
            # to count the matches; one pass is faster (p95 at 100,000 articles,
            # bench/README.md).
            collector = collectors.TopCollector(limit=limit, usequality=False, replace=0)
            searcher.search_with_collector(query, collector)
            results = collector.results()
        return Ranking([(hit["id"], hit.score or 0.0) for hit in results], len(results))

    @contextmanager
    def vocabulary(self) -> Iterator[_WhooshVocabulary]:
        yield _WhooshVocabulary(self.searcher().reader())

    def searcher(self):
        """A searcher on the latest commit, kept open between queries of one process."""
        if self._searcher is None:
            from index.search import weighting

            self.check_format()
            self._searcher = self.whoosh.searcher(weighting=weighting())
        elif not self._searcher.up_to_date():
            self.check_format()
            self._searcher = self._searcher.refresh()
        return self._searcher

    def indexed_ids(self) -> Counter[str]:
        return Counter(fields["id"] for fields in self.searcher().reader().all_stored_fields())

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._index is not None:
            self._index.close()
            self._index = None

    def _writer(self, procs: int = 1) -> IndexWriter:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                # compound=False: a searcher opens a segment's files in place instead of
                # copying each part out of one compound file (54 → 0.3 ms at 12k articles,
                # 438 ms at 100k, bench/README.md).
                # procs > 1: Whoosh analyses in subprocesses, each writing its own segment
                # (multisegment: no merge at commit); adding 2,000 articles 9.2 → 6.0 s,
                # reindex 7.0 → 3.9 s on 2 idle cores.
                return self.whoosh.writer(limitmb=128, compound=False, procs=procs,
                                          multisegment=procs > 1)
            except LockError:
                if time.monotonic() > deadline:
                    raise IndexLocked(
                        f"the index {self.path} is locked by another archive process; "
                        "try again when it is done") from None
                time.sleep(0.1)

    def check_format(self) -> None:
        """An index written by another version of archive (other fields, other analysis)
        cannot answer this version's queries: say it is damaged, so it is rebuilt."""
        if not self.exists():
            return
        try:
            state = json.loads((self.path / STATE_FILE).read_text())
        except (OSError, ValueError):
            state = {}
        fields = set(self.whoosh.schema.names())
        if state.get("format") != INDEX_FORMAT or fields != set(article_schema().names()):
            self.close()
            raise IndexDamaged(f"the index {self.path} was built by another version of archive")

    def _write_state(self, seq: int) -> None:
        temporary = self.path / (STATE_FILE + ".tmp")
        temporary.write_text(json.dumps({"seq": seq, "format": INDEX_FORMAT}))
        os.replace(temporary, self.path / STATE_FILE)


class _WhooshVocabulary:
    """The `words` field of a Whoosh reader as a Vocabulary (index/engine.py)."""

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


def document(article: Article) -> dict:
    """The fields Whoosh indexes for an article (see index.schema)."""
    body = "\n".join(article.body)
    fields = {
        "id": article.id,
        "title": article.title,
        "body": body,
        "author": article.author or "",
        "site": article.site or "",
        "words": article.title + "\n" + body,
    }
    published = _date(article.published)
    if published:
        fields["published"] = published
    return fields


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=None)
