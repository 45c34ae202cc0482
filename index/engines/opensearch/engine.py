"""The OpenSearch engine (index/engines/base.py): the search index on a cluster.

The store stays the archive of record. Each article is a document whose external
version is the store's change seq, so a replay (after a crash, or two processes syncing
at once) is answered 409 and counts as done. The seq the index has caught up to is kept
in the index mapping's `_meta`, with the cluster: any command finds what the store
committed since and indexes it, as the Whoosh engine does with synced.json.

Configuration comes from the environment (README: "When one machine is not enough").
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from archive.article import Article
from archive.store import Store
from index.engines.base import (
    Facets,
    IndexDamaged,
    IndexUnavailable,
    Ranking,
    facets_from_counts,
    levenshtein,
)
from index.engines.opensearch.analysis import analysis_format, index_body
from index.engines.opensearch.query import to_dsl
from index.ranking import BM25_B, BM25_K1
from index.schema import document as indexed_document

DEFAULT_INDEX = "archive-articles"
BATCH = 500  # articles per bulk request (about 1.5 MB of news text)
RETRY_STATUSES = (429, 503)  # busy or a shard moving: back off and send again
RETRY_ROUNDS = 6  # 0.5, 1, 2, 4, 8, 8 s: a node lost and its shards promoted meanwhile
MAX_WINDOW = 10_000  # index.max_result_window: deeper pages are not served
SAVE_EVERY_SECONDS = 5.0  # how often a long sync records its seq in the cluster


@dataclass
class ClusterConfig:
    """Where the cluster is, how to log in, and the index to use."""

    hosts: list[str]
    index: str = DEFAULT_INDEX
    user: str | None = None
    password: str | None = None
    api_key: str | None = None
    verify_tls: bool = True
    ca_certs: str | None = None
    shards: int = 1
    replicas: int = 1
    timeout: float = 30.0

    @classmethod
    def from_environment(cls, env: dict[str, str] | None = None) -> ClusterConfig:
        env = dict(os.environ if env is None else env)
        urls = [u.strip() for u in env.get("ARCHIVE_OPENSEARCH_URL", "").split(",") if u.strip()]
        if not urls:
            raise IndexUnavailable("the opensearch engine needs ARCHIVE_OPENSEARCH_URL, the "
                                   "cluster's URL(s), comma-separated (http://host:9200,…)")
        for url in urls:
            if not re.fullmatch(r"https?://[^/\s]+/?", url):
                raise IndexUnavailable(f"ARCHIVE_OPENSEARCH_URL: {url!r} is not a URL such as "
                                       "https://host:9200")
        return cls(
            hosts=[u.rstrip("/") for u in urls],
            index=env.get("ARCHIVE_OPENSEARCH_INDEX") or DEFAULT_INDEX,
            user=env.get("ARCHIVE_OPENSEARCH_USER") or None,
            password=env.get("ARCHIVE_OPENSEARCH_PASSWORD") or None,
            api_key=env.get("ARCHIVE_OPENSEARCH_API_KEY") or None,
            verify_tls=_flag(env, "ARCHIVE_OPENSEARCH_VERIFY_TLS", True),
            ca_certs=env.get("ARCHIVE_OPENSEARCH_CA_CERTS") or None,
            shards=_number(env, "ARCHIVE_OPENSEARCH_SHARDS", 1, minimum=1),
            replicas=_number(env, "ARCHIVE_OPENSEARCH_REPLICAS", 1, minimum=0),
            timeout=float(_number(env, "ARCHIVE_OPENSEARCH_TIMEOUT", 30, minimum=1)),
        )

    @property
    def where(self) -> str:
        return ",".join(self.hosts)


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    value = env.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise IndexUnavailable(f"{name}={value!r}: use 1 or 0")


def _number(env: dict[str, str], name: str, default: int, minimum: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < minimum:
        raise IndexUnavailable(f"{name}={value!r}: give a whole number ≥ {minimum}")
    return int(value)


def _client(config: ClusterConfig):
    try:
        from opensearchpy import OpenSearch
    except ImportError:
        raise IndexUnavailable("the opensearch engine needs opensearch-py: "
                               "pip install '.[opensearch]'") from None
    options: dict[str, Any] = {
        "timeout": config.timeout, "max_retries": 3, "retry_on_timeout": True,
        "retry_on_status": (502, 503, 504), "verify_certs": config.verify_tls,
        "ssl_show_warn": config.verify_tls, "http_compress": True,
    }
    if config.ca_certs:
        options["ca_certs"] = config.ca_certs
    if config.user:
        options["http_auth"] = (config.user, config.password or "")
    if config.api_key:
        options["headers"] = {"Authorization": f"ApiKey {config.api_key}"}
    return OpenSearch(config.hosts, **options)


@contextmanager
def cluster_errors(config: ClusterConfig) -> Iterator[None]:
    """Connection, TLS, credential and server errors as one line naming the cluster."""
    from opensearchpy import exceptions as os_errors

    try:
        yield
    except os_errors.ConnectionTimeout:
        raise IndexUnavailable(f"the OpenSearch cluster at {config.where} did not answer "
                               f"within {config.timeout:g} s") from None
    except os_errors.SSLError as error:
        raise IndexUnavailable(f"TLS with the OpenSearch cluster at {config.where} failed "
                               f"({_reason(error)}); see ARCHIVE_OPENSEARCH_CA_CERTS") from None
    except os_errors.ConnectionError as error:
        raise IndexUnavailable(f"cannot reach the OpenSearch cluster at {config.where} "
                               f"({_reason(error)})") from None
    except (os_errors.AuthenticationException, os_errors.AuthorizationException) as error:
        raise IndexUnavailable(f"the OpenSearch cluster at {config.where} refused the "
                               f"credentials ({error.status_code}); check ARCHIVE_OPENSEARCH_USER"
                               "/_PASSWORD or _API_KEY") from None
    except os_errors.TransportError as error:
        raise IndexUnavailable(f"the OpenSearch cluster at {config.where} answered "
                               f"{error.status_code} ({_reason(error)})") from None


def _reason(error: Exception) -> str:
    """The useful words of a transport error: "[Errno 111] Connection refused", the
    error type of an HTTP answer…"""
    text = str(getattr(error, "info", None) or error)
    if (errno := re.search(r"\[Errno -?\d+\] [^')\]]+", text)):
        return errno.group(0).strip()
    if isinstance(reason := getattr(error, "error", None), str) and reason != "N/A":
        return reason
    return text.splitlines()[0][:200] if text else error.__class__.__name__


class OpenSearchEngine:
    """The OpenSearch engine: one index on a cluster, derived from the store."""

    def __init__(self, config: ClusterConfig, home: Path | None = None):
        self.config = config
        self.home = home
        self._connection = None
        self._checked = False
        self._fresh_meta: dict | None = None

    @classmethod
    def open(cls, home: Path) -> OpenSearchEngine:
        return cls.from_environment(home)

    @classmethod
    def from_environment(cls, home: Path) -> OpenSearchEngine:
        engine = cls(ClusterConfig.from_environment(), home)
        engine.client  # noqa: B018 -- fail now, in one line, when opensearch-py is missing
        return engine

    @property
    def client(self):
        if self._connection is None:
            self._connection = _client(self.config)
        return self._connection

    # --- the index and its state -------------------------------------------------------

    def body(self) -> dict:
        return index_body(self.config.shards, self.config.replicas, BM25_K1, BM25_B)

    def ensure_index(self) -> None:
        """Create the index when missing; one of another analysis format is damaged."""
        if self._checked:
            return
        from opensearchpy import exceptions as os_errors

        with cluster_errors(self.config):
            try:
                meta = self._meta()
            except os_errors.NotFoundError:
                self._create()
                meta = self._meta()
        if meta.get("format") != analysis_format(self.body()):
            raise IndexDamaged(f"the OpenSearch index {self.config.index} at "
                               f"{self.config.where} was built by another version of archive")
        self._checked, self._fresh_meta = True, meta

    def _create(self) -> None:
        from opensearchpy import exceptions as os_errors

        try:
            self.client.indices.create(index=self.config.index, body=self.body(),
                                       params={"wait_for_active_shards": "1"})
        except os_errors.RequestError as error:
            if error.error != "resource_already_exists_exception":  # another process won
                raise

    def _meta(self) -> dict:
        mapping = self.client.indices.get_mapping(index=self.config.index)
        return next(iter(mapping.values()))["mappings"].get("_meta", {})

    def synced_seq(self) -> int:
        """The store seq the cluster's index has caught up to (0 when unknown)."""
        self.ensure_index()
        meta, self._fresh_meta = self._fresh_meta, None  # just read by ensure_index
        if meta is None:
            with cluster_errors(self.config):
                meta = self._meta()
        return int(meta.get("seq", 0))

    def _save_seq(self, seq: int) -> None:
        meta = self._meta()
        if int(meta.get("seq", 0)) < seq:  # never back: another process may be ahead
            self.client.indices.put_mapping(index=self.config.index,
                                            body={"_meta": {**meta, "seq": seq}})

    # --- the Engine protocol -----------------------------------------------------------

    derive = None  # this engine analyses what it indexes itself

    def sync(self, store: Store, progress: Callable[[int], None] | None = None,
             derived: Mapping | None = None) -> int:
        """Send every store change after the recorded seq; return how many articles."""
        start = self.synced_seq()
        if start >= store.last_seq():
            return 0
        count, last, saved_at = 0, start, time.monotonic()
        with cluster_errors(self.config):
            changes = store.changes_since(start)
            while chunk := list(islice(changes, BATCH)):
                self._send(chunk)
                last, count = chunk[-1][0], count + len(chunk)
                if progress:
                    progress(len(chunk))
                if time.monotonic() - saved_at >= SAVE_EVERY_SECONDS:
                    self._save_seq(last)
                    saved_at = time.monotonic()
            self.client.indices.refresh(index=self.config.index)
            self._save_seq(last)
        return count

    def rebuild(self, store: Store, progress: Callable[[int], None] | None = None,
             derived: Mapping | None = None) -> int:
        """Drop the index, create it with the current settings, send the whole store."""
        with cluster_errors(self.config):
            self.client.indices.delete(index=self.config.index, ignore_unavailable=True)
        self._checked = False
        return self.sync(store, progress)

    def rank(self, query, limit: int, sort: str = "relevance") -> Ranking:
        """The best `limit` ids by BM25 (title boosted), or newest first."""
        self.ensure_index()
        body: dict[str, Any] = {"query": to_dsl(query), "size": min(limit, MAX_WINDOW),
                                "track_total_hits": True, "_source": False}
        if sort == "date":
            body["sort"] = [{"published": {"order": "desc", "missing": "_last"}}, "_score"]
            body["track_scores"] = True
        with cluster_errors(self.config):
            answer = self.client.search(index=self.config.index, body=body)
        hits = answer["hits"]
        return Ranking([(hit["_id"], hit.get("_score") or 0.0) for hit in hits["hits"]],
                       hits["total"]["value"])

    def facets(self, query, site_limit: int = 20) -> Facets:
        """Counts of every match by site and month, from terms aggregations."""
        self.ensure_index()
        body = {"query": to_dsl(query), "size": 0, "track_total_hits": True,
                "aggs": {"sites": {"terms": {"field": "site_name", "size": site_limit}},
                         "months": {"terms": {"field": "month", "size": 2400}}}}
        with cluster_errors(self.config):
            answer = self.client.search(index=self.config.index, body=body)
        aggregations = answer["aggregations"]
        sites = {b["key"]: b["doc_count"] for b in aggregations["sites"]["buckets"]}
        months = {int(b["key"]): b["doc_count"] for b in aggregations["months"]["buckets"]}
        return facets_from_counts(answer["hits"]["total"]["value"], sites, months, site_limit)

    @contextmanager
    def vocabulary(self) -> Iterator[ClusterVocabulary]:
        self.ensure_index()
        yield ClusterVocabulary(self)

    def indexed_ids(self) -> Counter[str]:
        from opensearchpy import helpers

        self.ensure_index()
        with cluster_errors(self.config):
            return Counter(hit["_id"] for hit in helpers.scan(
                self.client, index=self.config.index, size=5000,
                query={"query": {"match_all": {}}, "_source": False}))

    def count(self) -> int:
        """Articles in the index, after a refresh."""
        self.ensure_index()
        with cluster_errors(self.config):
            self.client.indices.refresh(index=self.config.index)
            return int(self.client.count(index=self.config.index)["count"])

    def built(self) -> bool:
        return True  # created on first use; sync then sends what the store holds

    def size_bytes(self) -> int:
        """The primaries' size on disk (replicas double it, per replica)."""
        self.ensure_index()
        with cluster_errors(self.config):
            stats = self.client.indices.stats(index=self.config.index, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # --- bulk indexing -----------------------------------------------------------------

    def _send(self, chunk: list[tuple[int, str, Article | None]]) -> None:
        """Index or delete one chunk of changes; send again, with backoff, what the
        cluster was too busy or too unsettled to take (429, 503, a lost node)."""
        from opensearchpy import exceptions as os_errors

        pending = [self._action(seq, article_id, article) for seq, article_id, article in chunk]
        delay = 0.5
        for attempt in range(RETRY_ROUNDS + 1):
            try:
                pending = self._bulk(pending)
                if not pending:
                    return
            except os_errors.TransportError as error:  # ConnectionError included
                retryable = isinstance(error, os_errors.ConnectionError) or \
                    error.status_code in RETRY_STATUSES
                if not retryable or attempt == RETRY_ROUNDS:
                    raise
            if attempt < RETRY_ROUNDS:
                time.sleep(delay)
                delay = min(delay * 2, 8.0)
        raise IndexUnavailable(f"the OpenSearch cluster at {self.config.where} kept refusing "
                               f"{len(pending)} article(s) (first {pending[0]['_id']}: busy or "
                               "recovering); they are safe in the archive, run the command again")

    def _bulk(self, actions: list[dict]) -> list[dict]:
        """Send actions with the helpers' bulk; return those to send again. A version
        conflict (already indexed at this seq or later) and deleting what is gone are
        done; any other refusal is an error naming the article."""
        from opensearchpy import helpers

        again = []
        results = helpers.streaming_bulk(
            self.client, actions, chunk_size=BATCH, max_chunk_bytes=50 * 1024 * 1024,
            raise_on_error=False, raise_on_exception=True, max_retries=3,
            initial_backoff=1, max_backoff=8, yield_ok=False)
        by_id = {action["_id"]: action for action in actions}
        for ok, item in results:
            if ok:
                continue
            operation, outcome = next(iter(item.items()))
            status = outcome.get("status")
            if status == 409 or (operation == "delete" and status == 404):
                continue
            if status in RETRY_STATUSES:
                again.append(by_id[outcome["_id"]])
                continue
            error = outcome.get("error", {})
            reason = error.get("reason", error) if isinstance(error, dict) else error
            raise IndexUnavailable(f"the OpenSearch cluster at {self.config.where} refused "
                                   f"article {outcome.get('_id')}: {status} {reason}")
        return again

    def _action(self, seq: int, article_id: str, article: Article | None) -> dict:
        action = {"_index": self.config.index, "_id": article_id, "version": seq,
                  "version_type": "external"}
        if article is None:
            return {**action, "_op_type": "delete"}
        return {**action, "_op_type": "index", "_source": document(article)}


def document(article: Article) -> dict:
    """The fields of index/schema.document, less the id (the document's _id) and `words`
    (the mapping's copy_to fills it from title and body)."""
    doc = indexed_document(article)
    fields: dict[str, Any] = {"title": doc.title, "body": doc.body, "author": doc.author,
                              "site": doc.site, "url": " ".join(doc.url), "domains": doc.domains,
                              "tags": doc.tags, "note": doc.note}
    if doc.published is not None:
        fields["published"] = doc.published.isoformat(timespec="milliseconds")
    if doc.site_name:
        fields["site_name"] = doc.site_name
    if doc.month:
        fields["month"] = doc.month
    return fields


class ClusterVocabulary:
    """The `words` field as a Vocabulary (index/engines/base.py): candidates from the term
    suggester, filtered to Whoosh's Levenshtein distance; frequencies from the suggester
    or by counting (search at 10k: 42 → 32 ms a query, bench/README.md)."""

    SUGGESTIONS = 50

    def __init__(self, engine: OpenSearchEngine):
        self.engine = engine
        self._frequencies: dict[str, int] = {}

    def terms_within(self, word: str, maxdist: int, prefix: int) -> Iterable[str]:
        suggester = {"field": "words", "suggest_mode": "always", "max_edits": max(1, maxdist),
                     "prefix_length": prefix, "min_word_length": 1, "size": self.SUGGESTIONS,
                     "max_inspections": 20, "max_term_freq": 2**31 - 1, "accuracy": 0.1,
                     "string_distance": "levenshtein"}
        body = {"size": 0, "suggest": {"word": {"text": word, "term": suggester}}}
        engine = self.engine
        with cluster_errors(engine.config):
            answer = engine.client.search(index=engine.config.index, body=body)
        found = []
        for entry in answer.get("suggest", {}).get("word", []):
            for option in entry["options"]:
                term = option["text"]
                if term[:prefix] == word[:prefix] and levenshtein(word, term, maxdist) <= maxdist:
                    found.append(term)
                    # The suggester's frequency is the term's document frequency (with
                    # deletions not yet merged away, as Whoosh's): no count request.
                    self._frequencies.setdefault(term, int(option["freq"]))
        return found

    def doc_frequency(self, word: str) -> int:
        if word not in self._frequencies:
            engine = self.engine
            with cluster_errors(engine.config):
                answer = engine.client.count(index=engine.config.index,
                                             body={"query": {"term": {"words": word}}})
            self._frequencies[word] = int(answer["count"])
        return self._frequencies[word]

    def articles(self) -> int:
        engine = self.engine
        with cluster_errors(engine.config):
            return int(engine.client.count(index=engine.config.index)["count"])
