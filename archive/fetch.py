"""Fetching article pages over HTTP: redirects (http and https only), charsets, gzip and
deflate, a size cap, one deadline for the whole fetch, retries with backoff for transient
errors, and a few requests at a time with a per-host limit.

Whatever a server sends (a broken status line, endless headers, a corrupt or truncated
body, one byte a second), the page fails with a FetchError naming the cause: never a hang,
never an exception that stops the other inputs.
"""

from __future__ import annotations

import http.client
import io
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
from typing import cast
from urllib.parse import urlsplit

from archive import __version__
from archive.printable import printable_name
from archive.sources import MAX_BYTES, InputError, Source, megabytes, request_url

USER_AGENT = f"archive/{__version__} (a personal news archive; one request per saved page)"
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8"
TRANSIENT_STATUS = {429, 500, 502, 503, 504}
ENCODINGS = ("gzip", "x-gzip", "deflate")  # and identity; anything else is refused
MAX_REDIRECTS = 10


class FetchError(Exception):
    """A page that could not be fetched; the message says why, for the user."""

    def __init__(self, message: str):
        super().__init__(printable_name(message))


@dataclass
class Fetched:
    url: str  # after redirects
    data: bytes
    charset: str | None


@dataclass
class Fetcher:
    """Fetches pages politely: a deadline, a size cap, retries, per-host concurrency.
    `timeout` bounds the whole fetch of one page: connection, redirects, retries and body."""

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
        """One page, retrying 5xx, 429 and connection resets with exponential backoff
        while its deadline leaves time for another try."""
        try:
            url = request_url(url)
        except InputError as error:
            raise FetchError(str(error)) from None
        with self._lock:
            gate = self._hosts.setdefault(urlsplit(url).hostname or "", threading.Semaphore(self.per_host))
        deadline: _Deadline | None = None
        for attempt in range(self.retries + 1):
            try:
                with gate:  # the deadline starts once the host lets this request through
                    deadline = deadline or _Deadline(time.monotonic() + self.timeout)
                    return self._fetch_once(url, deadline)
            except _Transient as error:
                pause = self.backoff * 2 ** attempt
                if attempt == self.retries or deadline is None or deadline.left() <= pause:
                    raise FetchError(str(error)) from None
                time.sleep(pause)
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

    def _fetch_once(self, url: str, deadline: _Deadline) -> Fetched:
        request = urllib.request.Request(url, headers={
            "User-Agent": USER_AGENT,
            "Accept": self.accept,
            "Accept-Encoding": "gzip, deflate",
        })
        try:
            with _opener(deadline).open(request, timeout=deadline.connect_timeout(self.timeout)) as response:
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
            if isinstance(reason, TimeoutError):
                raise FetchError(deadline.passed(self.timeout)) from None
            if isinstance(reason, ConnectionError):
                raise _Transient(f"connection failed ({reason.strerror or reason})") from None
            if isinstance(reason, OSError):
                raise FetchError(f"cannot fetch: {reason.strerror or reason}") from None
            raise FetchError(f"cannot fetch: {reason}") from None
        except TimeoutError:
            raise FetchError(deadline.passed(self.timeout)) from None
        except ConnectionError as error:
            raise _Transient(f"connection failed ({error.strerror or error})") from None
        except http.client.HTTPException as error:
            raise FetchError(_broken_answer(error)) from None
        except (ValueError, OverflowError) as error:
            raise FetchError(f"not a URL we can fetch ({error})") from None
        except OSError as error:  # a TLS failure, a socket closed under us
            raise FetchError(f"cannot fetch: {error.strerror or error}") from None

    def _read(self, response: http.client.HTTPResponse) -> bytes:
        """The body, decompressed, refused as soon as it passes the size cap, and refused
        when it is shorter than its declared length or its compressed stream is cut."""
        encoding = (response.headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding not in ("identity", *ENCODINGS):
            raise FetchError(f"an encoding we cannot read (Content-Encoding: {encoding[:40]})")
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes and encoding == "identity":
            raise FetchError(self._too_large())
        inflater = _Inflater(encoding) if encoding != "identity" else None
        chunks, size = [], 0
        while True:
            try:
                chunk = response.read(65536)
            except http.client.IncompleteRead:
                raise FetchError("cut off: the chunked body breaks before its end") from None
            if not chunk:
                break
            if inflater is not None:
                chunk = inflater.feed(chunk, self.max_bytes + 1 - size)
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchError(self._too_large())
            chunks.append(chunk)
        if response.length:  # http.client counts down what Content-Length announced
            raise FetchError(f"cut off: the connection closed {response.length} bytes before the "
                             "end the server announced")
        if inflater is not None:
            inflater.finish()
        return b"".join(chunks)

    def _too_large(self) -> str:
        return f"too large (over the {megabytes(self.max_bytes)} MB cap)"


class _Transient(Exception):
    """An error worth trying again: a 5xx, a 429, a reset connection."""


def _broken_answer(error: http.client.HTTPException) -> str:
    if isinstance(error, http.client.LineTooLong):
        return "not a valid HTTP answer (a line over 64 KiB)"
    if isinstance(error, http.client.BadStatusLine):
        return "not a valid HTTP answer (no HTTP/1.x status line)"
    if "headers" in str(error):
        return "not a valid HTTP answer (too many headers)"
    return f"not a valid HTTP answer ({error.__class__.__name__})"


# --- the deadline -------------------------------------------------------------------------


class _Deadline:
    """When the fetch of one page must be over, and whether anything arrived before."""

    def __init__(self, at: float):
        self.at = at
        self.received = 0

    def left(self) -> float:
        return self.at - time.monotonic()

    def connect_timeout(self, timeout: float | None) -> float:
        left = self.left()
        if left <= 0:
            raise TimeoutError
        return left if timeout is None else min(timeout, left)

    def passed(self, timeout: float) -> str:
        if self.received:
            return f"the answer did not complete within {timeout:g} s"
        return f"no answer within {timeout:g} s"


class _DeadlineReader(io.RawIOBase):
    """A socket's reading side where each receive waits at most until the deadline, so a
    server sending one byte a second cannot keep a fetch going past it."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self._sock = sock
        self._raw = sock.makefile("rb", buffering=0)  # holds the socket open, as makefile does
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int | None:
        left = self._deadline.left()
        if left <= 0:
            raise TimeoutError("deadline passed")
        self._sock.settimeout(left)
        count = self._raw.readinto(buffer)
        self._deadline.received += count or 0
        return count

    def close(self) -> None:
        self._raw.close()
        super().close()


class _DeadlineSocket:
    """A connected socket whose makefile() reads stop at the deadline; the rest is the socket."""

    def __init__(self, sock: socket.socket, deadline: _Deadline):
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str = "rb", *args, **kwargs):
        return io.BufferedReader(_DeadlineReader(self._sock, self._deadline))

    def __getattr__(self, name: str):
        return getattr(self._sock, name)


def _connection(base: type[http.client.HTTPConnection], deadline: _Deadline):
    class Connection(base):  # type: ignore[misc, valid-type]
        def connect(self) -> None:
            connection = cast(http.client.HTTPConnection, self)
            connection.timeout = deadline.connect_timeout(connection.timeout)
            super().connect()
            connection.sock = cast(socket.socket, _DeadlineSocket(connection.sock, deadline))

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._class = _connection(http.client.HTTPConnection, deadline)

    def http_open(self, req):
        return self.do_open(self._class, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline):
        super().__init__()
        self._class = _connection(http.client.HTTPSConnection, deadline)

    def https_open(self, req):
        return self.do_open(self._class, req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only (a page must not send us to ftp:// or file://); the body
    of a redirect is never read."""

    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        fp.close()
        scheme = urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"redirected to a {scheme or 'relative'}: URL, not followed (http and "
                             "https only)")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """urllib with http(s) only, every read bounded by the deadline."""
    opener = urllib.request.OpenerDirector()
    for handler in (urllib.request.ProxyHandler(), urllib.request.UnknownHandler(),
                    urllib.request.HTTPDefaultErrorHandler(), _Redirects(),
                    urllib.request.HTTPErrorProcessor(), _HTTPHandler(deadline), _HTTPSHandler(deadline)):
        opener.add_handler(handler)
    return opener


class _Inflater:
    """A gzip or deflate body; deflate zlib-wrapped as the standard says, or raw as many
    servers send it (told apart by the zlib header)."""

    def __init__(self, encoding: str):
        self._encoding = "deflate" if encoding == "deflate" else "gzip"
        self._stream: zlib._Decompress | None = None
        self._head = b""

    def feed(self, chunk: bytes, limit: int) -> bytes:
        if self._stream is None:
            self._head += chunk
            if len(self._head) < 2:
                return b""
            chunk, self._head = self._head, b""
            if self._encoding == "gzip":
                wbits = 16 + zlib.MAX_WBITS
            else:
                wbits = zlib.MAX_WBITS if _zlib_header(chunk) else -zlib.MAX_WBITS
            self._stream = zlib.decompressobj(wbits)
        try:
            return self._stream.decompress(chunk, limit)
        except zlib.error:
            raise FetchError(f"a corrupt {self._encoding} body") from None

    def finish(self) -> None:
        if (self._stream is None and self._head) or (self._stream is not None and not self._stream.eof):
            raise FetchError(f"cut off: the {self._encoding} body stops before its end")


def _zlib_header(data: bytes) -> bool:
    return data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0


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
