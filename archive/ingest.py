"""`archive add`: read inputs, extract articles, commit them to the store in batches."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from archive.article import Article, article_id, sha256_hex
from archive.fetch import Fetcher
from archive.pages import PageError, read_page
from archive.sources import MAX_BYTES, InputError, Source
from archive.store import Store

BATCH_SIZE = 200  # inputs per store transaction; ARCHIVE_BATCH_SIZE overrides it
BATCH_SECONDS = 2.0  # ...or fewer, so progress is committed and reported at least this often


@dataclass
class Outcome:
    """What became of one input: 'added', 'updated' (a new version of an article already
    kept under the same canonical URL), 'exists' (the same bytes, or a URL already
    archived), 'skipped' (not an article by design: a WARC revisit) or 'failed'."""

    origin: str
    status: str
    article: Article | None = None
    error: str | None = None


def ingest(store: Store, sources: Iterable[Source], max_bytes: int = MAX_BYTES,
           fetcher: Fetcher | None = None, refresh: bool = False) -> Iterator[list[Outcome]]:
    """Archive each source; yield the outcomes of each batch once it is committed, so
    everything reported as added is already safe in the store. URLs already archived are
    not fetched again unless `refresh`."""
    batch_size = int(os.environ.get("ARCHIVE_BATCH_SIZE") or BATCH_SIZE)
    batch: list[tuple[Outcome, bytes | None]] = []
    started = time.monotonic()
    batch_hashes: set[str] = set()
    sources = _skip_known_urls(store, sources, refresh)
    if fetcher is not None:
        sources = fetcher.fetch_sources(sources)
    for source in sources:
        batch.append(_read_one(store, source, max_bytes, batch_hashes))
        if len(batch) >= batch_size or time.monotonic() - started > BATCH_SECONDS:
            yield _commit(store, batch)
            batch, batch_hashes = [], set()
            started = time.monotonic()
    if batch:
        yield _commit(store, batch)


def _skip_known_urls(store: Store, sources: Iterable[Source], refresh: bool) -> Iterator[Source]:
    for source in sources:
        if source.fetch and not refresh:
            known = store.find_url(source.fetch)
            if known:
                source.fetch, source.known = None, known
        yield source


def _read_one(store: Store, source: Source, max_bytes: int,
              batch_hashes: set[str]) -> tuple[Outcome, bytes | None]:
    if source.error:
        return Outcome(source.origin, "failed", error=source.error), None
    if source.known:
        return Outcome(source.origin, "exists", article=store.get(source.known)), None
    if source.skip:
        return Outcome(source.origin, "skipped", error=source.skip), None
    if source.fetch:
        return Outcome(source.origin, "failed", error="URLs need a fetcher"), None
    try:
        data = source.read(max_bytes)
        sha = sha256_hex(data)
        existing = store.has_original(sha)
        if existing or sha in batch_hashes:
            known = store.get(existing) if existing else None
            return Outcome(source.origin, "exists", article=known or Article(
                title="", body=[], id=article_id(sha))), None
        article = read_page(data, source.origin, name_hint=source.origin, url=source.url,
                            charset=source.charset, fallback_title=source.fallback_title,
                            fallback_date=source.fallback_date)
    except (InputError, PageError) as error:
        return Outcome(source.origin, "failed", error=str(error)), None
    batch_hashes.add(sha)
    return Outcome(source.origin, "added", article=article), data


def _commit(store: Store, batch: list[tuple[Outcome, bytes | None]]) -> list[Outcome]:
    to_store = [(outcome, data) for outcome, data in batch if data is not None]
    stored = store.store_pages([(outcome.article, data) for outcome, data in to_store])
    for (outcome, _), result in zip(to_store, stored, strict=True):
        outcome.status, outcome.article = result.status, result.article
    return [outcome for outcome, _ in batch]
