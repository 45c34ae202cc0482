"""What every response goes through: a Host check against DNS rebinding (421), refusal
of any write from another site (403) and of every write at all (read-only, 405), and the
security headers. An archived page is hostile input: the app's own pages allow no inline
script or style, and a kept original is served sandboxed with nothing allowed to load."""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, Iterable
from urllib.parse import urlsplit

APP_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
              "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
# A kept original: no script runs (sandbox without allow-scripts), nothing loads from
# anywhere (its own inline styles only), and it may not be framed.
ORIGINAL_POLICY = ("sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                   "form-action 'none'; base-uri 'none'; frame-ancestors 'none'")
COMMON_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
READ_METHODS = ("GET", "HEAD")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")

Scope = dict
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class Guard:
    """ASGI middleware around the app; `hosts` are the host names the server answers to."""

    def __init__(self, app: Callable, hosts: Iterable[str], any_address: bool = False):
        self.app = app
        self.hosts = {host.lower().strip("[]") for host in hosts}
        # Served beyond loopback, the machine is reached by any of its addresses: an IP
        # literal in Host is safe (DNS rebinding needs a name the attacker controls).
        self.any_address = any_address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {name.decode("latin-1"): value.decode("latin-1")
                   for name, value in scope["headers"]}
        refusal = self.refusal(scope["method"], headers)
        if refusal:
            await _plain(send, *refusal)
            return
        original = _is_original(scope["path"])

        async def with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                extra = list(COMMON_HEADERS)
                policy = ORIGINAL_POLICY if original else APP_POLICY
                extra.append((b"content-security-policy", policy.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)

    def refusal(self, method: str, headers: dict[str, str]) -> tuple[int, str] | None:
        """(status, message) when the request must not reach the app, else None."""
        host = _hostname(headers.get("host", ""))
        if host not in self.hosts and not (self.any_address and _is_address(host)):
            return 421, f"this server does not answer for the host {host or '(none)'!r}"
        if method in READ_METHODS:
            return None
        fetch_site = headers.get("sec-fetch-site", "")
        origin = headers.get("origin")
        if fetch_site in ("cross-site", "same-site") or (
                origin is not None and _hostname(urlsplit(origin).netloc) not in self.hosts):
            return 403, "requests from another site are refused"
        return 405, "the archive is read-only here: only GET is answered"


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _is_original(path: str) -> bool:
    """/article/{id}/original: the one route that serves archived bytes as they are."""
    parts = path.split("/")
    return len(parts) == 4 and parts[1] == "article" and parts[3] == "original"


def _hostname(netloc: str) -> str:
    """'127.0.0.1:8000' → '127.0.0.1', '[::1]:8000' → '::1', lowercased."""
    netloc = netloc.strip().lower()
    if netloc.startswith("["):
        return netloc[1:netloc.find("]")] if "]" in netloc else netloc
    return netloc.rsplit(":", 1)[0] if netloc.count(":") == 1 else netloc


async def _plain(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    headers = [(b"content-type", b"application/json; charset=utf-8"),
               (b"content-length", str(len(body)).encode()), *COMMON_HEADERS,
               (b"content-security-policy", APP_POLICY.encode())]
    if status == 405:
        headers.append((b"allow", b"GET, HEAD"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
