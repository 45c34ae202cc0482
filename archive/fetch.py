"""Fetching article pages over HTTP: redirects, charsets, gzip, a size cap, retries with
backoff for transient errors, and a few requests at a time with a per-host limit."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from urllib.parse import urlsplit

from archive import __version__
from archive.sources import MAX_BYTES, Source, megabytes

USER_AGENT = f"archive/{__version__} (a personal news archive; one request per saved page)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
TRANSIENT_STATUS = {429, 500, 502, 503, 504}


class FetchError(Exception):
    """A page that could not be fetched; the message says why, for the user."""


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes
    charset: str | None


@dataclass
class Fetcher:
    """Fetches pages politely: a timeout, a size cap, retries, per-host concurrency."""

    timeout: float = 20.0
    max_bytes: int = MAX_BYTES
    retries: int = 3
    backoff: float = 0.5
    workers: int = 8
    per_host: int = 2
    types: tuple[str, ...] | None = PAGE_TYPES  # the content types taken (None: any)
    accept: str = PAGE_ACCEPT

    def __post_init__(self) -> None:
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()

    def fetch(self, url: str) -> Fetched:
        """One page, retrying 5xx, 429 and connection resets with exponential backoff."""
        host = urlsplit(url).hostname or ""
        with self._lock:
            gate = self._hosts.setdefault(host, threading.Semaphore(self.per_host))
        for attempt in range(self.retries + 1):
            try:
                with gate:
                    return self._fetch_once(url)
            except _Transient as error:
                if attempt == self.retries:
                    raise FetchError(str(error)) from None
                time.sleep(self.backoff * 2 ** attempt)
        raise AssertionError("unreachable")

    def fetch_sources(self, sources: Iterable[Source]) -> Iterator[Source]:
        """Fill in the sources that name a URL, a few at a time, in the original order."""
        with ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="fetch") as pool:
            pending: deque[tuple[Source, Future | None]] = deque()
            try:
                for source in sources:
                    future = pool.submit(self.fetch, source.fetch) if source.fetch else None
                    pending.append((source, future))
                    while len(pending) > 2 * self.workers or (pending and pending[0][1] is None):
                        yield _settle(*pending.popleft())
                while pending:
                    yield _settle(*pending.popleft())
            finally:
                for _, future in pending:
                    if future is not None:
                        future.cancel()

    def _fetch_once(self, url: str) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT,
            "Accept": self.accept,
            "Accept-Encoding": "gzip, deflate",
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type() if response.headers.get("Content-Type") else None
                if kind and self.types is not None and kind not in self.types:
                    raise FetchError(f"not a web page ({kind})")
                data = self._read(response)
                return Fetched(response.geturl(), data, response.headers.get_content_charset())
        except urllib.error.HTTPError as error:
            if 300 <= error.code < 400:  # urllib gives up on a loop, or after 10 redirects
                raise FetchError("too many redirects (a redirect loop?)") from None
            if error.code in TRANSIENT_STATUS:
                raise _Transient(f"HTTP {error.code} {error.reason}") from None
            raise FetchError(f"HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, socket.gaierror):
                raise FetchError(f"cannot find the host {urlsplit(url).hostname}") from None
            if isinstance(reason, TimeoutError | socket.timeout):
                raise FetchError(f"no answer within {self.timeout:g} s") from None
            if isinstance(reason, ConnectionError):
                raise _Transient(f"connection failed ({reason.strerror or reason})") from None
            raise FetchError(f"cannot fetch: {reason}") from None
        except TimeoutError:
            raise FetchError(f"no answer within {self.timeout:g} s") from None
        except ConnectionError as error:
            raise _Transient(f"connection failed ({error.strerror or error})") from None
        except ValueError as error:
            raise FetchError(f"not a URL we can fetch ({error})") from None

    def _read(self, response) -> bytes:
        """The body, decompressed, refused as soon as it passes the size cap."""
        encoding = (response.headers.get("Content-Encoding") or "").lower()
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes and not encoding:
            raise FetchError(self._too_large())
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS) \
            if encoding in ("gzip", "deflate") else None
        chunks, size = [], 0
        while True:
            chunk = response.read(65536)
            if not chunk:
                break
            if inflate is not None:
                chunk = inflate.decompress(chunk, self.max_bytes + 1 - size)
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(self._too_large())
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"too large (over the {megabytes(self.max_bytes)} MB cap)"


class _Transient(Exception):
    """An error worth trying again: a 5xx, a 429, a reset connection."""


def _settle(source: Source, future: Future | None) -> Source:
    if future is None:
        return source
    source.fetch = None
    try:
        fetched = future.result()
    except FetchError as error:
        source.error = str(error)
    else:
        source.data, source.url, source.charset = fetched.data, fetched.url, fetched.charset
    return source
