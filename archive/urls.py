"""Canonical article URLs: one key for the many forms of the same page's address."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that track a click or pick a rendering, never a different article.
TRACKING_PARAMS = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|xtor|at_\w+|ito|"
    r"outputtype|amp|ref|referrer|cmp|cid|share|social|origin|from)$",
    re.IGNORECASE,
)
_AMP_SEGMENT = re.compile(r"(^|/)amp(/|$)")


def canonical_url(url: str | None) -> str | None:
    """The key of an article's address: https, no www., no fragment, no tracking or AMP
    parameters, no amp/ segment, no trailing slash. None when it is not an http(s) URL."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    host = host[4:] if host.startswith("www.") else host
    if host.startswith("amp."):
        host = host[4:]
    if parts.port and parts.port not in (80, 443):
        host = f"{host}:{parts.port}"
    path = _AMP_SEGMENT.sub(r"\1", parts.path) or "/"
    path = re.sub(r"\.amp(\.html?)?$", r"\1", path)
    path = re.sub(r"/{2,}", "/", path).rstrip("/") or ""
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not TRACKING_PARAMS.match(k)]
    return urlunsplit(("https", host, path, urlencode(sorted(query)), ""))


def url_domain(url: str | None) -> str | None:
    """The host of an http(s) URL, lowercase, without "www." ("lemonde.fr"); None otherwise."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def domains(url: str | None) -> list[str]:
    """The domain of a URL and each parent domain of two labels or more
    ("edition.lesoir.be" → ["edition.lesoir.be", "lesoir.be"]): what `site:` matches."""
    host = url_domain(url)
    if not host or "." not in host:
        return [host] if host else []
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]
