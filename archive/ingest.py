"""`archive add`: read inputs, extract articles, commit them to the store in batches."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import chain, islice
from pathlib import Path

from archive import neardup
from archive.article import Article, article_id, sha256_hex
from archive.feeds import FeedRead
from archive.fetch import Fetcher
from archive.pages import PageError, read_page
from archive.processes import die_with_parent, interrupt_point, interrupts_held
from archive.sources import MAX_BYTES, InputError, Source
from archive.store import Store, StoreError

BATCH_SIZE = 200  # inputs per store transaction; ARCHIVE_BATCH_SIZE overrides it
BATCH_SECONDS = 2.0  # ...or fewer, so progress is committed and reported at least this often
PARALLEL_MIN = 64  # fewer inputs are read in this process: a pool costs more than it saves
# Pages read ahead per worker: bounds memory on any number of inputs (64 x 2 workers x
# ~25 KB), and keeps the workers busy while this process commits a batch and indexes it
# (with 8, the workers of a 5,000-page add sat idle half the time: 1.06 of 2 cores).
WINDOW_PER_WORKER = 64
SHORT_TEXT = 100  # characters of clean text below which an archived page is called short


@dataclass
class Outcome:
    """What became of one input: 'added', 'updated' (a new version of an article already
    kept under the same canonical URL), 'exists' (the same bytes, or a URL already
    archived), 'skipped' (not an article by design: a WARC revisit) or 'failed'."""

    origin: str
    status: str
    article: Article | None = None
    error: str | None = None
    derived: object = None  # what `derive` made of the article in the worker
    text_change: str | None = None  # fetched again (--refresh): "the same text", "1 paragraph changed"…
    chars: int | None = None  # the article's length, once its text is let go (see kept)

    @property
    def note(self) -> str | None:
        """"short: 9 characters" for a page archived with hardly any text (a page that
        was not really the article, most often)."""
        if self.status not in ("added", "updated") or self.article is None:
            return None
        size = self.chars if self.chars is not None else len(self.article.text)
        return f"short: {size} character{'s' if size != 1 else ''}" if size < SHORT_TEXT else None

    def kept(self) -> Outcome:
        """This outcome as a report keeps it: the article's metadata without its text or
        its analysis, so the report of an `add` of 100,000 inputs stays small."""
        if self.article is None:
            return replace(self, derived=None)
        return replace(self, article=replace(self.article, body=[], signature=None),
                       derived=None, chars=len(self.article.text))

    def to_json(self) -> dict:
        """One entry of `add --json`'s inputs."""
        record: dict = {"origin": self.origin, "status": JSON_STATUS.get(self.status, self.status)}
        if self.article is not None:
            record.update(id=self.article.id, title=self.article.title or None)
        if self.error:
            record["reason" if self.status == "skipped" else "error"] = self.error
        if self.note:
            record["note"] = self.note
        if self.text_change:
            record["text_change"] = self.text_change
        return record


JSON_STATUS = {"exists": "already_archived"}


@dataclass
class AddReport:
    """What one `add` did: counts by outcome, each input's outcome, and why the index may
    lag behind (the articles are archived either way)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(
        ("added", "updated", "exists", "skipped", "failed"), 0))
    outcomes: list[Outcome] = field(default_factory=list)
    index_problem: str | None = None
    feeds: list[FeedRead] = field(default_factory=list)  # the feeds read, when any

    def count(self, outcome: Outcome) -> None:
        self.counts[outcome.status] += 1
        self.outcomes.append(outcome.kept())

    @property
    def failed(self) -> int:
        return self.counts["failed"]

    def summary(self) -> str:
        """'3 added, 1 already archived, 0 failed', with versions and skips when any."""
        counts = self.counts
        parts = [f"{counts['added']} added"]
        if counts["updated"]:
            parts.append(f"{counts['updated']} new versions")
        parts.append(f"{counts['exists']} already archived")
        if counts["skipped"]:
            parts.append(f"{counts['skipped']} skipped")
        parts.append(f"{counts['failed']} failed")
        short = [o.note.removeprefix("short: ") for o in self.outcomes if o.note]
        if short:
            parts.append(f"{len(short)} short ({', '.join(short[:3])}"
                         + (", …)" if len(short) > 3 else ")"))
        return ", ".join(parts)

    def to_json(self) -> dict:
        counts = self.counts
        shape = {"added": counts["added"], "updated": counts["updated"],
                 "already_archived": counts["exists"], "skipped": counts["skipped"],
                 "failed": counts["failed"], "short": sum(1 for o in self.outcomes if o.note),
                 "inputs": [o.to_json() for o in self.outcomes]}
        if self.feeds:
            shape["feeds"] = [read.to_json() for read in self.feeds]
        return shape


def ingest(store: Store, sources: Iterable[Source], max_bytes: int = MAX_BYTES,
           fetcher: Fetcher | None = None, refresh: bool = False,
           workers: int | None = None,
           derive: Callable[[Article], object] | None = None) -> Iterator[list[Outcome]]:
    """Archive each source; yield the outcomes of each batch once it is committed, so
    everything reported as added is already safe in the store. URLs already archived are
    not fetched again unless `refresh`. Reading and cleaning pages runs in `workers`
    processes (all cores by default) while this process commits; so does `derive`, whose
    result for each article comes with its outcome (a search index's analysis, say)."""
    batch_size = int(os.environ.get("ARCHIVE_BATCH_SIZE") or BATCH_SIZE)
    batch: list[tuple[Outcome, bytes | None]] = []
    started = time.monotonic()
    batch_hashes: set[str] = set()
    sources = _skip_known_urls(store, sources, refresh)
    if fetcher is not None:
        sources = fetcher.fetch_sources(sources)
    for prepared in prepare_all(store, sources, max_bytes, workers, derive):
        batch.append(_decide(store, prepared, batch_hashes))
        if len(batch) >= batch_size or time.monotonic() - started > BATCH_SECONDS:
            yield _commit(store, batch)
            batch, batch_hashes = [], set()
            started = time.monotonic()
    if batch:
        yield _commit(store, batch)


def _skip_known_urls(store: Store, sources: Iterable[Source], refresh: bool) -> Iterator[Source]:
    for source in sources:
        if source.fetch and not (refresh or source.refresh):
            known = store.find_url(source.fetch)
            if known:
                source.fetch, source.known = None, known
        yield source


@dataclass
class Prepared:
    """One input read and cleaned (in a worker process): what the committer needs."""

    origin: str
    status: str  # 'ready', 'exists', 'skipped' or 'failed'
    article: Article | None = None
    data: bytes | None = None
    sha: str | None = None
    known: str | None = None
    error: str | None = None
    derived: object = None


def prepare_all(store: Store, sources: Iterable[Source], max_bytes: int,
                workers: int | None = None,
                derive: Callable[[Article], object] | None = None) -> Iterator[Prepared]:
    """Prepare every source in order: in a process pool when there are enough of them to
    pay for it, with a bounded window so memory stays flat on any number of inputs."""
    sources = iter(sources)
    head = list(islice(sources, PARALLEL_MIN))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if len(head) < PARALLEL_MIN or workers < 2:
        for source in chain(head, sources):
            yield prepare(source, max_bytes, store, derive)
        return
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with interrupts_held(), ProcessPoolExecutor(
            workers, mp_context=context, initializer=_open_worker_store,
            initargs=(store.path.parent, os.getpid())) as pool:
        window: deque[Future] = deque()
        try:
            for source in chain(head, sources):
                window.append(pool.submit(_prepare_in_worker, source, max_bytes, derive))
                if len(window) >= WINDOW_PER_WORKER * workers:
                    yield window.popleft().result()
                    interrupt_point()
            while window:
                yield window.popleft().result()
                interrupt_point()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def prepare(source: Source, max_bytes: int, store: Store | None,
            derive: Callable[[Article], object] | None = None) -> Prepared:
    """Read one source, skip bytes already archived, clean the page, sign it for
    near-duplicates and `derive` what else is wanted of it."""
    if source.error:
        return Prepared(source.origin, "failed", error=source.error)
    if source.known:
        return Prepared(source.origin, "exists", known=source.known)
    if source.skip:
        return Prepared(source.origin, "skipped", error=source.skip)
    if source.fetch:
        return Prepared(source.origin, "failed", error="URLs need a fetcher")
    try:
        data = source.read(max_bytes)
        sha = sha256_hex(data)
        known = store.has_original(sha) if store is not None else None
        if known:
            return Prepared(source.origin, "exists", known=known, sha=sha)
        article = read_page(data, source.origin, name_hint=source.origin, url=source.url,
                            charset=source.charset, fallback_title=source.fallback_title,
                            fallback_date=source.fallback_date, max_bytes=max_bytes)
    except (InputError, PageError) as error:
        return Prepared(source.origin, "failed", error=str(error))
    article.signature = neardup.signature(article.body)
    article.tags = list(source.tags)  # what the add gives it, for what `derive` makes
    derived = derive(article) if derive is not None else None
    return Prepared(source.origin, "ready", article=article, data=data, sha=sha, derived=derived)


_worker_store: Store | None = None


def _open_worker_store(home: Path, parent: int) -> None:
    global _worker_store
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the main process handles Ctrl-C
    die_with_parent(parent)
    try:
        _worker_store = Store.open(home)
    except StoreError:
        _worker_store = None


def _prepare_in_worker(source: Source, max_bytes: int,
                       derive: Callable[[Article], object] | None) -> Prepared:
    return prepare(source, max_bytes, _worker_store, derive)


def _decide(store: Store, prepared: Prepared,
            batch_hashes: set[str]) -> tuple[Outcome, bytes | None]:
    if prepared.status == "exists":
        known = store.get(prepared.known) if prepared.known else None
        return Outcome(prepared.origin, "exists", article=known or Article(
            title="", body=[], id=article_id(prepared.sha or ""))), None
    if prepared.status != "ready":
        return Outcome(prepared.origin, prepared.status, error=prepared.error), None
    assert prepared.sha is not None  # a 'ready' page was read and hashed
    if prepared.sha in batch_hashes:
        return Outcome(prepared.origin, "exists",
                       article=Article(title="", body=[], id=article_id(prepared.sha))), None
    batch_hashes.add(prepared.sha)
    return Outcome(prepared.origin, "added", article=prepared.article,
                   derived=prepared.derived), prepared.data


def _commit(store: Store, batch: list[tuple[Outcome, bytes | None]]) -> list[Outcome]:
    to_store = [(outcome, outcome.article, data) for outcome, data in batch
                if data is not None and outcome.article is not None]
    stored = store.store_pages([(article, data) for _, article, data in to_store])
    for (outcome, _, _), result in zip(to_store, stored, strict=True):
        outcome.status, outcome.article = result.status, result.article
    return [outcome for outcome, _ in batch]
