"""One input's bytes → an Article: tell HTML from a text copy from a binary file."""

from __future__ import annotations

import re

from archive.article import Article
from archive.decode import decode_bytes, looks_like_text, repaired_text
from archive.extract import extract_article
from archive.mhtml import MhtmlError, html_part, looks_like_mhtml
from archive.printable import printable_name
from archive.sources import MAX_BYTES
from archive.textdump import parse_text_copy
from archive.urls import url_domain
from archive.warc import WarcError, looks_like_warc, read_record

BINARY_SIGNATURES = (
    (b"\x89PNG", "a PNG image"), (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a zip archive"),
    (b"\x1f\x8b", "a gzip file"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF media file"), (b"\x7fELF", "a program"), (b"BZh", "a bzip2 file"),
    (b"\xfd7zXZ", "an xz file"), (b"7z\xbc\xaf", "a 7z archive"), (b"SQLite format 3", "a SQLite file"),
    (b"\x00\x00\x00\x01Bud1", "a macOS folder settings file (.DS_Store)"),
)
_HTML_TAG = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title)\b", re.IGNORECASE)
# [^<>]* stops at the next tag: each scan covers its own stretch, linear in the head.
_HTML_ANYWHERE = re.compile(rb"<(?:p|div|article|h1|body)\b[^<>]*>", re.IGNORECASE)


class PageError(Exception):
    """The input is not an article page we can read; the message says why."""

    def __init__(self, message: str):
        super().__init__(printable_name(message))


def read_page(data: bytes, origin: str, name_hint: str = "", url: str | None = None,
              charset: str | None = None, fallback_title: str | None = None,
              fallback_date: str | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Extract an Article from one input's bytes: an HTML page, a text copy, an MHTML file
    or a WARC record. `url` and `charset` are what the outside said (HTTP, a WARC header);
    `max_bytes` caps a WARC record's inflated page."""
    if not data.strip():
        raise PageError("empty file")
    url = repaired_text(url) if url else url  # --url as typed, whatever the locale
    published = None
    if looks_like_warc(data):
        try:
            data, charset, record_url, published = read_record(data, max_bytes)
        except WarcError as error:
            raise PageError(str(error)) from None
        url, kind = url or record_url, "html"
    elif looks_like_mhtml(data):
        try:
            part = html_part(data)
        except MhtmlError as error:
            raise PageError(str(error)) from None
        if part is None:
            raise PageError("an MHTML file without an HTML page in it")
        data, charset, location = part
        url, kind = url or location, "html"
    else:
        kind = sniff(data, name_hint)
    if not looks_like_text(data, charset):
        raise PageError("not an article page: mostly control characters or bytes no charset reads")
    if kind == "html":
        article = extract_article(data, url=url, origin=origin, declared_charset=charset)
    else:
        article = parse_text_copy(decode_bytes(data, charset)[0], origin=origin)
    if not article.body:
        raise PageError("no article text found")
    article.url = article.url or url
    article.site = article.site or url_domain(article.url)  # a page that names no site
    article.published = article.published or published or fallback_date
    if not article.title:
        article.title = fallback_title or first_words(article.body[0])
    return article


def first_words(text: str, limit: int = 100) -> str:
    """A stand-in title for a page without one: its opening words, cut at a word."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(" ,;:") + " …"


def sniff(data: bytes, name_hint: str = "") -> str:
    """'html' or 'text'; raises PageError for binary files."""
    for signature, what in BINARY_SIGNATURES:
        if data.startswith(signature):
            raise PageError(f"not an article page: it is {what}")
    head = data[:8192]
    if head.count(b"\x00") > len(head) // 100 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PageError("not an article page: it is a binary file")
    lowered = name_hint.lower()
    if lowered.endswith((".html", ".htm", ".xhtml", ".shtml")):
        return "html"
    if lowered.endswith((".txt", ".text")):
        return "text"
    if starts_like_html(head.removeprefix(b"\xef\xbb\xbf")) or len(_HTML_ANYWHERE.findall(head)) >= 2:
        return "html"
    return "text"


def starts_like_html(head: bytes) -> bool:
    """Whitespace and comments, then an HTML tag. Comments are skipped with find(), in
    linear time: the regex `(?:<!--.*?-->\\s*)*` it replaces backtracked through every way
    of grouping empty comments, 2× slower per comment (196 bytes: 22 s)."""
    position = 0
    while True:
        while position < len(head) and head[position] in b" \t\r\n\f\v":
            position += 1
        if not head.startswith(b"<!--", position):
            return _HTML_TAG.match(head, position) is not None
        end = head.find(b"-->", position + 4)
        if end < 0:
            return False
        position = end + 3
