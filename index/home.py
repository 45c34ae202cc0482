"""The archive of record and its search engine, opened together: the one library object
that `cli/` and `web/` call.

An ArchiveHome keeps the index in step with the store: every command first indexes what
the store committed since the index last caught up (after a crash, a kill, or another
process's add), rebuilds an index that cannot serve the store, and says so in one line
through `notify`. `add` commits each batch to the store before the engine sees it.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from archive.article import Article, brief_json, sha256_hex
from archive.exports import ROUND_TRIP, count_articles, export_format, write_export
from archive.feeds import FeedRecord
from archive.sources import (
    GZIPPED_PAGES,
    MAX_BYTES,
    InputError,
    Source,
    bookmark_sources,
    expand,
    gunzip,
    is_url,
    url_list_sources,
)
from archive.store import DB_NAME, IdError, Store, StoreError, Version
from archive.tags import LabelError, note_text, tag_key, tag_name
from archive.transfer import (
    ExportReport,
    ImportReport,
    TransferError,
    count_versions,
    import_archive,
)
from index.consistency import CheckReport, check_archive
from index.engines import engine_name, open_engine
from index.engines.base import Engine, Facets, IndexDamaged, IndexLocked, IndexUnavailable
from index.engines.files import ReadOnlyHome
from index.marks import marked_spans
from index.query import QueryError
from index.schema import derived_key
from index.search import SearchResult, build_query, every_article, search

if TYPE_CHECKING:  # adding and re-extracting load the extractor (bs4, lxml) when they run:
    # a server or a search does not pay 0.3 s to import it
    from archive.feeds import Feed, FeedRead, ItemResult
    from archive.fetch import Fetcher
    from archive.ingest import AddReport, Outcome
    from archive.reextract import ReextractReport

# How often a long add makes its articles searchable, per engine. A Whoosh commit writes a
# segment and may merge: committing every store batch (2 s) spent a third of add's time.
T = TypeVar("T")
INDEX_EVERY_SECONDS = {"whoosh": 15.0, "opensearch": 15.0}
DEFAULT_INDEX_EVERY = 2.0


class ArticleNotFound(Exception):
    """No article has this id (or id prefix); the message says so, for the user."""


class BadArticleId(ArticleNotFound):
    """An id as typed that is not hex digits or is the start of several articles' ids
    (the message lists them): a usage error on the command line."""


# What a user can cause, each with a one-line message for them: the archive cannot be
# opened or written, the index cannot be used, an unknown id, an unreadable export.
# (An id that is not one, or names several articles, is IdError: a usage error.)
USER_ERRORS = (StoreError, IndexUnavailable, ArticleNotFound, TransferError)
# A tag name or a note that cannot be kept (a comma in a name, say) is a usage error.
__all__ = ["USER_ERRORS", "ArchiveHome", "ArticleList", "ArticleNotFound", "BadArticleId", "LabelError",
           "Listing", "QueryError", "brief_json", "default_home", "export_format"]


def default_home(notify: Callable[[str], None] | None = None) -> Path:
    """The platform's data folder for the archive: $XDG_DATA_HOME/archive, else
    ~/.local/share/archive (Linux and other Unixes), ~/Library/Application Support/archive
    (macOS), %APPDATA%\\archive (Windows). An archive kept by earlier versions in the
    config folder (~/.config/archive) goes on being used, with a notice saying so."""
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "archive"
    if sys.platform.startswith("win"):
        return Path(os.environ.get("APPDATA") or home) / "archive"
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "archive"
    legacy = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "archive"
    if not (data / DB_NAME).exists() and (legacy / DB_NAME).exists():
        if notify:
            notify(f"using the archive in {legacy}, where earlier versions kept it; the default "
                   f"is now {data} (move the folder there, or set ARCHIVE_HOME)")
        return legacy
    return data


@dataclass
class ArticleList:
    """`archive list`: articles, the most recently added first."""

    articles: list[Article]

    def to_json(self) -> list[dict]:
        return [brief_json(a) for a in self.articles]


@dataclass
class FeedList:
    """`archive feeds`: the feeds added, in the order they were first read."""

    feeds: list[FeedRecord]

    def to_json(self) -> list[dict]:
        return [f.to_json() for f in self.feeds]


@dataclass
class DuplicateGroup:
    """One story kept more than once (near-duplicates), oldest copy first."""

    group: str
    articles: list[Article]

    def to_json(self) -> dict:
        return {"group": self.group, "articles": [brief_json(a) for a in self.articles]}


@dataclass
class DuplicateGroups:
    """`archive list --duplicates`."""

    groups: list[DuplicateGroup]

    def to_json(self) -> list[dict]:
        return [g.to_json() for g in self.groups]


@dataclass
class Stats:
    """`archive stats`: counts, sizes, sites and date ranges."""

    figures: dict

    def to_json(self) -> dict:
        return self.figures


@dataclass
class CheckResult:
    """`archive check`: the report, and how many articles a repair indexed (or None)."""

    report: CheckReport
    repaired: int | None = None

    def to_json(self) -> dict:
        return {**self.report.to_json(), "repaired": self.repaired}


@dataclass
class ReindexReport:
    """`archive reindex`: which engine, how many articles, how long."""

    engine: str
    indexed: int
    seconds: float

    def to_json(self) -> dict:
        return {"engine": self.engine, "indexed": self.indexed, "seconds": round(self.seconds, 3)}


@dataclass
class ReextractResult:
    """`archive reextract`: the report and the ids no article has."""

    report: ReextractReport
    unknown: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return self.report.to_json(self.unknown)


@dataclass
class VersionsReport:
    """Every kept version of one article (`show --versions`)."""

    article: Article
    versions: list[Version]

    def to_json(self) -> dict:
        return {"id": self.article.id, "current": self.article.version,
                "versions": [v.to_json() for v in self.versions]}


@dataclass
class Listing:
    """One page of the articles browsed (a site, a month), newest first, and how many."""

    total: int
    articles: list[Article]

    def to_json(self) -> dict:
        return {"total": self.total, "articles": [brief_json(a) for a in self.articles]}


@dataclass
class RemoveReport:
    """What `remove` did (or, with dry_run, would do): the articles removed and the ids
    no article has."""

    removed: list[Article] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    purged: bool = False
    dry_run: bool = False

    def to_json(self) -> dict:
        return {"removed": [{"id": a.id, "title": a.title} for a in self.removed],
                "unknown": self.unknown, "purged": self.purged, "dry_run": self.dry_run}


@dataclass
class _FeedPlan:
    """One feed read by `add`: the feed, its report line, and where each item to fetch
    sits among the sources (so its outcome can be remembered)."""

    feed: Feed
    report: FeedRead
    positions: dict[str, int] = field(default_factory=dict)
    borrowed: set[str] = field(default_factory=set)  # items whose page another feed fetches

    def results(self, outcomes: list[Outcome]) -> list[ItemResult]:
        """What became of each item of the feed, for the store to remember."""
        from archive.feeds import ItemResult

        results = []
        for item in self.feed.items:
            where = self.positions.get(item.key)
            if where is None:  # known and unchanged: only seen again
                results.append(ItemResult(item))
                continue
            outcome = outcomes[where]
            kept = outcome.article if outcome.status in ("added", "updated", "exists") else None
            results.append(ItemResult(item, fetched=True, article_id=kept.id if kept else None,
                                      added=outcome.status == "added" and item.key not in self.borrowed))
        return results


@dataclass
class TagReport:
    """What `tag` or `untag` did: the tag, the articles it changed, those it left as they
    were (already tagged, or not tagged), and the ids no article has."""

    tag: str
    changed: list[Article] = field(default_factory=list)
    unchanged: list[Article] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"tag": self.tag, "changed": [a.id for a in self.changed],
                "unchanged": [a.id for a in self.unchanged], "unknown": self.unknown}


@dataclass
class TagList:
    """`archive tags`: every tag with how many articles have it."""

    tags: list[tuple[str, int]]

    def to_json(self) -> list[dict]:
        return [{"tag": name, "articles": count} for name, count in self.tags]


@dataclass
class NoteReport:
    """An article's note (None when it has none), and whether this command changed it."""

    article: Article
    note: str | None
    changed: bool = False

    def to_json(self) -> dict:
        return {"id": self.article.id, "note": self.note, "changed": self.changed}


class ArchiveHome:
    """One archive home: its store (archive.db) and its engine, kept in step."""

    def __init__(self, path: Path, engine: str | None = None, create: bool = False,
                 notify: Callable[[str], None] | None = None):
        self.path = Path(path)
        self.engine_name = engine_name(engine)
        self.notify = notify or (lambda message: None)
        self.store = Store.open(self.path, create=create)
        self._engine: Engine | None = None

    def __enter__(self) -> ArchiveHome:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
            self._engine = None
        self.store.close()

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = open_engine(self.path, self.engine_name)
        return self._engine

    # --- keeping the index in step ------------------------------------------------------

    def catch_up(self, quiet: bool = False) -> int:
        """Index what the store committed but the index has not seen; rebuild an index that
        cannot serve this store. When another process is writing the index, go on with
        what it has and say so. Returns how many articles were indexed."""
        engine = self.engine
        first = not engine.built() and (articles := self.store.count()) > 0
        if first:
            self.notify(f"building the {self.engine_name} index from the archive ({articles} "
                        f"article{_s(articles)}); this happens once")
        try:
            behind = engine.sync(self.store)
        except ReadOnlyHome as error:  # behind, and nothing can be written here
            self.notify(f"{error}; searching it as it is")
            return 0
        except IndexLocked as error:
            self.notify(f"{error}; the newest articles may be missing from results")
            return 0
        except IndexDamaged as error:
            return self._rebuild_after(error)
        if behind and not quiet and not first:
            self.notify(f"the index was behind the archive; indexed {behind} missing "
                        f"article{_s(behind)}")
        return behind

    def _answer(self, ask: Callable[[], T]) -> T:
        """Ask the engine; an index found damaged while reading is rebuilt, then asked again."""
        try:
            return ask()
        except IndexDamaged as error:
            self._rebuild_after(error)
            return ask()

    def _rebuild_after(self, error: IndexDamaged) -> int:
        """Rebuild an index that cannot serve the store, saying why; never from a store
        that is itself damaged (a damaged change log can look like a restored archive)."""
        problems = self.store.integrity_problems()
        if problems:
            raise StoreError(f"the archive {self.store.path} is damaged ({problems[0]}); "
                             "restore it from a backup")
        self.notify(f"{error}; rebuilding it from the archive")
        count = self.engine.rebuild(self.store)
        self.notify(f"the index was rebuilt ({count} article{_s(count)})")
        return count

    def _sync_quietly(self, derived: dict | None = None) -> str | None:
        """Index committed batches; an index held by another process is not an input
        failure: the next command indexes what this one could not."""
        try:
            self.engine.sync(self.store, derived=derived)
        except IndexUnavailable as error:
            return str(error)
        return None

    # --- adding -------------------------------------------------------------------------

    def add_inputs(self, paths: Iterable[str] = (), url_lists: Iterable[Path] = (),
                   bookmarks: Iterable[Path] = (), stdin_url: str | None = None,
                   timeout: float = 20.0, max_bytes: int = MAX_BYTES, refresh: bool = False,
                   feeds: Iterable[str] = (),
                   on_start: Callable[[int], None] | None = None,
                   on_outcome: Callable[[Outcome], None] | None = None,
                   on_feed: Callable[[FeedRead], None] | None = None,
                   tags: Iterable[str] = ()) -> AddReport:
        """`archive add`: files, folders, globs and URLs, URL lists, bookmark exports (their
        tags and folders become tags), stdin ("-", from `stdin_url` when given) and the
        items of feeds that earlier reads did not take. Every article named gets `tags`.
        `on_start` hears how many inputs, `on_feed` each feed read."""
        tags = [tag_name(name) for name in tags]
        sources = list(expand(list(paths)))
        for listing in url_lists:
            sources.extend(url_list_sources(listing))
        for export in bookmarks:
            sources.extend(bookmark_sources(export))
        for source in sources:
            if source.origin == "-" and stdin_url:
                source.url = stdin_url
        from archive.fetch import Fetcher

        fetcher = Fetcher(timeout=timeout, max_bytes=max_bytes)
        reads = self._read_feeds(list(feeds), fetcher, refresh, sources)
        for read in reads:
            if on_feed:
                on_feed(read.report)
        if on_start:
            on_start(len(sources))
        report = self.add(sources, max_bytes=max_bytes, fetcher=fetcher, refresh=refresh,
                          on_outcome=on_outcome, tags=tags)
        report.feeds = [read.report for read in reads]
        for read in reads:
            self.store.record_feed_read(read.feed, read.results(report.outcomes))
        return report

    def _read_feeds(self, urls: list[str], fetcher: Fetcher, refresh: bool,
                    sources: list[Source]) -> list[_FeedPlan]:
        """Read each feed and append a source for each item to fetch to `sources`; a feed
        that cannot be read becomes a failed source naming it."""
        from archive.feeds import FeedRead, read_feeds, to_fetch

        plans: list[_FeedPlan] = []
        queued: dict[str, int] = {}  # link -> its source: an item of two feeds is fetched once
        for url, feed, error in read_feeds(urls, fetcher):
            if feed is None:
                self.store.record_feed_failure(url, error or "")
                sources.append(Source(origin=url, error=error))
                continue
            wanted = to_fetch(feed, self.store.seen_items(url), refresh)
            plan = _FeedPlan(feed, FeedRead(url, feed.title, len(feed.items), len(wanted)))
            for item, changed in wanted:
                if item.link in queued:
                    plan.positions[item.key] = queued[item.link]
                    plan.borrowed.add(item.key)
                    continue
                plan.positions[item.key] = queued[item.link] = len(sources)
                sources.append(Source(origin=item.link, fetch=item.link, fallback_title=item.title,
                                      fallback_date=item.published, refresh=changed))
            plans.append(plan)
        return plans

    def add(self, sources: Iterable[Source], max_bytes: int = MAX_BYTES,
            fetcher: Fetcher | None = None, refresh: bool = False,
            on_outcome: Callable[[Outcome], None] | None = None,
            tags: Iterable[str] = ()) -> AddReport:
        """Archive every source, batch by batch (each committed before it is reported,
        with its tags: `tags` and the source's own), and index them every few seconds and
        at the end. With `refresh`, each URL fetched again says whether its text changed."""
        from archive.ingest import AddReport, ingest

        self.catch_up()
        report = AddReport()
        every = INDEX_EVERY_SECONDS.get(self.engine_name, DEFAULT_INDEX_EVERY)
        synced_at = time.monotonic()
        derived: dict[str, tuple[str | None, object]] = {}
        wanted = list(tags)
        source_tags: dict[str, list[str]] = {}

        def noting_tags(given: Iterable[Source]) -> Iterable[Source]:
            for source in given:  # the worker's article carries them into its document
                source.tags = [*source.tags, *wanted]
                if source.tags:
                    source_tags.setdefault(source.origin, []).extend(source.tags)
                yield source

        for batch in ingest(self.store, noting_tags(sources), max_bytes=max_bytes, fetcher=fetcher,
                            refresh=refresh, derive=self.engine.derive):
            self._label_batch(batch, wanted, source_tags)
            if refresh:
                self._tell_text_changes(batch)
            for outcome in batch:
                report.count(outcome)
                if outcome.derived is not None and outcome.article is not None:
                    derived[outcome.article.id] = (derived_key(outcome.article), outcome.derived)
                    outcome.derived = None
                if on_outcome:
                    on_outcome(outcome)
            if time.monotonic() - synced_at >= every:
                report.index_problem = report.index_problem or self._sync_quietly(derived)
                derived, synced_at = {}, time.monotonic()
        report.index_problem = report.index_problem or self._sync_quietly(derived)
        return report

    def _label_batch(self, batch: list[Outcome], wanted: list[str],
                     source_tags: dict[str, list[str]]) -> None:
        """Tag the articles of a committed batch: with the add's --tag, and with what their
        source carried (a bookmark's tags and folders)."""
        names: dict[str, list[str]] = {}
        for outcome in batch:
            if outcome.article is None or not outcome.article.id:
                continue
            given = source_tags.get(outcome.origin, [])
            if given and outcome.status in ("added", "updated", "exists"):
                names.setdefault(outcome.article.id, []).extend(given)
        if names:
            live = self.store.get_many(list(names))
            self.store.tag({article_id: given for article_id, given in names.items()
                            if article_id in live})

    def _tell_text_changes(self, batch: list[Outcome]) -> None:
        """For `add --refresh`: whether each URL fetched again brought another text (a new
        original may only change what is around the article) or the very same bytes."""
        from archive.diff import compare

        for outcome in batch:
            if outcome.status == "updated" and outcome.article is not None:
                versions = self.store.version_articles(outcome.article.id)
                if len(versions) >= 2:
                    outcome.text_change = compare(versions[-2], versions[-1]).summary()
            elif outcome.status == "exists" and is_url(outcome.origin):
                outcome.text_change = "the same page"

    # --- tags and notes -------------------------------------------------------------------

    def tag(self, wanted: Iterable[str], name: str) -> TagReport:
        """Give the tag to these articles (LabelError for a name that cannot be one)."""
        name = tag_name(name)
        articles, unknown = self.resolve(wanted)
        added = self.store.tag({a.id: [name] for a in articles})
        kept = next(iter(added.values()))[0] if added else self._spelling(name)
        report = TagReport(kept, [a for a in articles if a.id in added],
                           [a for a in articles if a.id not in added], unknown)
        self.catch_up(quiet=True)
        return report

    def untag(self, wanted: Iterable[str], name: str) -> TagReport:
        """Take the tag off these articles."""
        name = tag_name(name)
        articles, unknown = self.resolve(wanted)
        kept = self._spelling(name)
        removed = set(self.store.untag([a.id for a in articles], name))
        report = TagReport(kept, [a for a in articles if a.id in removed],
                           [a for a in articles if a.id not in removed], unknown)
        self.catch_up(quiet=True)
        return report

    def _spelling(self, name: str) -> str:
        """The tag as the archive spells it (its first spelling), else as given."""
        return next((known for known, _ in self.store.tag_counts() if tag_key(known) == tag_key(name)),
                    name)

    def tags(self) -> TagList:
        """`archive tags`: every tag of the live articles, with how many have it."""
        return TagList(self.store.tag_counts())

    def note(self, wanted: str, text: str | None = None, clear: bool = False) -> NoteReport:
        """An article's note (named as `find` takes it): read it (text None), write it, or
        clear it."""
        article = self.find(wanted)
        if text is None and not clear:
            return NoteReport(article, article.note)
        kept = None if clear else (note_text(text or "") or None)
        changed = self.store.set_note(article.id, kept)
        if changed:
            self.catch_up(quiet=True)
        return NoteReport(article, kept, changed)

    # --- finding ------------------------------------------------------------------------

    def search(self, text: str, limit: int = 10, offset: int = 0, sort: str = "relevance",
               site: str | None = None, since: str | None = None, until: str | None = None,
               collapse: bool = True, strict: bool = False,
               tags: Iterable[str] = ()) -> SearchResult:
        """One page of ranked hits (index/search.py); QueryError for an unusable query.
        `tags`: only the articles with every one of them."""
        self.catch_up()
        return self._answer(lambda: search(self.engine, self.store, text, limit=limit,
                                           offset=offset, sort=sort, site=site, since=since,
                                           until=until, collapse=collapse, strict=strict,
                                           tags=tuple(tags)))

    def facets(self, text: str, site: str | None = None, since: str | None = None,
               until: str | None = None, site_limit: int = 20, tags: Iterable[str] = ()) -> Facets:
        """How the query's matches spread over sites and months (from the engine)."""
        self.catch_up()
        parsed = build_query(text, site, since, until, tags=tuple(tags))
        return self._answer(lambda: self.engine.facets(parsed.query, site_limit=site_limit))

    def browse(self, site: str | None = None, month: str | None = None, limit: int = 20,
               offset: int = 0, tags: Iterable[str] = ()) -> Listing:
        """The articles of a site, a month (YYYY-MM) and tags, newest first, from the engine."""
        self.catch_up()
        query = every_article(site, month, month, tuple(tags))
        ranking = self._answer(lambda: self.engine.rank(query, offset + limit, "date"))
        ids = [article_id for article_id, _ in ranking.ranked[offset:offset + limit]]
        found = self.store.get_many(ids)
        return Listing(ranking.total, [found[i] for i in ids if i in found])

    def browse_facets(self, site: str | None = None, month: str | None = None,
                      site_limit: int = 20, tags: Iterable[str] = ()) -> Facets:
        """How the articles browsed spread over sites and months (from the engine)."""
        self.catch_up()
        query = every_article(site, month, month, tuple(tags))
        return self._answer(lambda: self.engine.facets(query, site_limit=site_limit))

    def marks(self, text: str, paragraphs: list[str]) -> list[list[tuple[int, int]]]:
        """Per paragraph, the spans of every word form the query matches (QueryError for
        an unusable query)."""
        return marked_spans(text, paragraphs)

    def same_story(self, article: Article) -> list[Article]:
        """The copies of the article's story kept from elsewhere (its near-duplicate group,
        itself included), in publication order; [] when it stands alone."""
        if not article.group:
            return []
        copies = self.store.story(article.group)
        if len(copies) < 2:
            return []
        return sorted(copies, key=lambda a: (a.published is None, a.published or "",
                                             a.added_at or "", a.id))

    def version_texts(self, wanted: str) -> list[Article]:
        """Every kept version of an article as a full record (its text too), oldest first."""
        return self.store.version_articles(self.article(wanted).id)

    def original(self, wanted: str, version: int | None = None) -> bytes:
        """The exact bytes an article's version (the current one by default) came from."""
        article = self.article(wanted)
        data = self.store.original(article.id, version)
        if data is None:
            raise ArticleNotFound(f"article {article.id} has no version {version}")
        return data

    def article(self, wanted: str) -> Article:
        """The article with this id or unique id prefix; ArticleNotFound otherwise (IdError
        for an id that is not hex digits or is the start of several)."""
        article = self._get(wanted)
        if article is None:
            raise ArticleNotFound(f"no article with id {wanted!r} (see `archive list`)")
        return article

    def _get(self, wanted: str) -> Article | None:
        try:
            return self.store.get(wanted)
        except IdError as error:
            raise BadArticleId(str(error)) from None

    def find(self, wanted: str) -> Article:
        """The article named by an id (or id prefix), a URL it was archived from (any form
        of it), or a file it was added from (its bytes, else its name): "do I have this?"."""
        if is_url(wanted):
            found = self.store.find_url(wanted)
            if found is None:
                raise ArticleNotFound(f"no article archived from {wanted}")
            return self.article(found)
        path = Path(wanted)
        if path.is_file():
            found = self.store.find_origin(wanted, _file_sha(path))
            if found is None:
                raise ArticleNotFound(f"no article from the file {wanted} (its bytes are not in "
                                      "the archive: `archive add` it)")
            return self.article(found)
        if "/" in wanted or os.sep in wanted:
            found = self.store.find_origin(wanted)
            if found is None:
                raise ArticleNotFound(f"no article was added from {wanted}")
            return self.article(found)
        return self.article(wanted)

    def version(self, wanted: str, number: int) -> Article:
        """Version `number` of an article, as it was kept (title, text and metadata)."""
        article = self.find(wanted)
        versions = {v.version: v for v in self.store.version_articles(article.id)}
        if number not in versions:
            kept = _numbers(sorted(n for n in versions if n))
            raise ArticleNotFound(f"article {article.id} has no version {number} (it has {kept}: "
                                  f"see `archive show {article.id} --versions`)")
        return versions[number]

    def versions(self, wanted: str) -> VersionsReport:
        article = self.find(wanted)
        return VersionsReport(article, self.store.versions(article.id))

    def feeds(self) -> FeedList:
        """`archive feeds`: every feed added, when it was last read and what it added."""
        return FeedList(self.store.feeds())

    def articles(self, limit: int | None = None) -> list[Article]:
        """Articles, the most recently added first."""
        return self.store.recent(limit)

    def listing(self, limit: int | None = None, tag: str | None = None,
                changed: bool = False) -> ArticleList:
        """`archive list`: articles, the most recently added first; with `tag`, those with
        the tag; with `changed`, those kept in versions of different text (the most
        recently updated first)."""
        if changed:
            found = self.store.changed()
            if tag is not None:
                found = [a for a in found if tag_key(tag) in {tag_key(t) for t in a.tags}]
            return ArticleList(found[:limit] if limit else found)
        if tag is not None:
            return ArticleList(self.store.tagged(tag, limit))
        return ArticleList(self.store.recent(limit))

    def diff(self, wanted: str, old: int | None = None, new: int | None = None):
        """What changed between two kept versions of an article (archive/diff.py): the one
        before the current and the current by default, `old` and the current, or `old`
        and `new`. ArticleNotFound for a version it does not have."""
        from archive.diff import compare

        article = self.find(wanted)
        versions = {v.version: v for v in self.store.version_articles(article.id) if v.version}
        numbers = sorted(n for n in versions if n)
        if len(numbers) < 2 and old is None:
            raise ArticleNotFound(f"article {article.id} has only one version: nothing to compare "
                                  "(`archive add --refresh URL` fetches it again)")
        old = old if old is not None else numbers[-2]
        new = new if new is not None else numbers[-1]
        for number in (old, new):
            if number not in versions:
                raise ArticleNotFound(f"article {article.id} has no version {number} (it has "
                                      f"{_numbers(numbers)}: see `archive show {article.id} "
                                      "--versions`)")
        return compare(versions[old], versions[new])

    def duplicate_groups(self, limit: int | None = None) -> DuplicateGroups:
        groups = self.store.duplicate_groups()
        groups = groups[:limit] if limit else groups
        return DuplicateGroups([DuplicateGroup(g[0].group or "", g) for g in groups])

    def completions(self, prefix: str, limit: int = 50) -> list[Article]:
        """Articles whose id starts with `prefix`, for shell completion."""
        return self.store.with_prefix(prefix.lower(), limit)

    def stats(self) -> dict:
        figures = self.store.stats()
        figures["index_bytes"] = self.engine.size_bytes()
        figures["engine"] = self.engine_name
        return figures

    def stats_report(self) -> Stats:
        """`archive stats`: the figures of stats() with their JSON."""
        return Stats(self.stats())

    # --- changing -----------------------------------------------------------------------

    def resolve(self, wanted: Iterable[str]) -> tuple[list[Article], list[str]]:
        """The articles of these ids (each once) and the ids no article has; IdError, before
        anything is done, for an id that is not one or names several articles."""
        found: dict[str, Article] = {}
        unknown = []
        for given in wanted:
            article = self._get(given)
            if article is None:
                unknown.append(given)
            else:
                found.setdefault(article.id, article)
        return list(found.values()), unknown

    def remove(self, wanted: Iterable[str], purge: bool = False, dry_run: bool = False) -> RemoveReport:
        """Take articles out of the archive and the index (originals kept unless purge);
        with dry_run, only say which."""
        articles, unknown = self.resolve(wanted)
        report = RemoveReport(unknown=unknown, purged=purge, dry_run=dry_run)
        if dry_run:
            report.removed = articles
            return report
        report.removed = [a for a in articles if self.store.remove(a.id, purge=purge)]
        self.catch_up(quiet=True)
        return report

    def reextract(self, wanted: Iterable[str] | None,
                  progress: Callable[[int], None] | None = None) -> ReextractResult:
        """Run the current cleaner again on the originals of these articles (all with
        None); the result names the ids no article has."""
        if wanted is None:
            articles, unknown = list(self.store.iter_articles()), list[str]()
        else:
            articles, unknown = self.resolve(wanted)
        from archive.reextract import reextract

        report = reextract(self.store, articles, progress=progress)
        self.catch_up(quiet=True)
        return ReextractResult(report, unknown)

    def reindex(self, progress: Callable[[int], None] | None = None) -> ReindexReport:
        """Rebuild the index from the archive of record."""
        started = time.monotonic()
        count = self.engine.rebuild(self.store, progress=progress)
        return ReindexReport(self.engine_name, count, time.monotonic() - started)

    def check(self, repair: bool = False, full: bool = False) -> CheckResult:
        """SQLite's check of the file, every original against its sha256, the index
        against the store; with repair, a rebuild when the index is off."""
        problems = self.store.integrity_problems(full=full)
        if problems:
            return CheckResult(CheckReport(database_problems=problems))
        self.catch_up(quiet=True)
        report = self._answer(lambda: check_archive(self.store, self.engine, full))
        repaired = None
        if repair and report.index_problems:
            repaired = self.engine.rebuild(self.store)
            report = check_archive(self.store, self.engine, full)
        return CheckResult(report, repaired)

    def export_selection(self, query: str | None = None, site: str | None = None,
                         since: str | None = None, until: str | None = None,
                         tags: Iterable[str] = ()) -> list[str] | None:
        """The ids of the articles an export of a subset takes (None: every article): those
        the query finds, with --site, --since, --until and --tag as in `search`."""
        tags = tuple(tags)
        if not (query or site or since or until or tags):
            return None
        self.catch_up()
        if query:
            chosen = build_query(query, site, since, until, tags=tags).query
        else:
            chosen = every_article(site, since, until, tags)
        everything = self._answer(lambda: self.engine.rank(chosen, 1)).total
        if everything == 0:
            return []
        return [i for i, _ in self._answer(lambda: self.engine.rank(chosen, everything).ranked)]

    def export(self, path: Path | None, kind: str, ids: list[str] | None = None,
               removed: bool = False, on_start: Callable[[int], None] | None = None,
               progress: Callable[[int], None] | None = None) -> ExportReport:
        """Write articles (all, or `ids`; with `removed`, the removed ones whose originals
        are kept) to `path` (None: stdout) in `kind`: JSON Lines or a .tar.gz with every
        version and original, or the current text as CSV, bookmarks, Markdown or CSL-JSON."""
        if on_start:
            on_start(count_versions(self.store, ids, removed) if kind in ROUND_TRIP
                     else count_articles(self.store, ids))
        return write_export(self.store, path, kind, ids=ids, removed=removed, progress=progress,
                            spool_dir=self.path)

    def import_export(self, path: Path | None, on_start: Callable[[int], None] | None = None,
                      progress: Callable[[int], None] | None = None) -> ImportReport:
        """Read an export (a file, or stdin for None) into the archive, keeping ids and
        versions; then index it. `on_start` hears the file's size, `progress` the bytes read."""
        if on_start and path is not None:
            on_start(path.stat().st_size)
        report = import_archive(self.store, path, progress=progress)
        self.catch_up(quiet=True)
        return report


def _file_sha(path: Path) -> str | None:
    """The sha256 the archive would keep for this file (a .html.gz as its page)."""
    try:
        data = path.read_bytes()
        if path.name.lower().endswith(GZIPPED_PAGES):
            data = gunzip(data, MAX_BYTES)
    except (OSError, InputError):  # unreadable: its name may still be known
        return None
    return sha256_hex(data)


def _numbers(numbers: list[int]) -> str:
    return f"{numbers[0]}" if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
