"""Bytes to text: the BOM, then the declared charset, then UTF-8, then cp1252.

Decoding never raises: cp1252 with replacement is the last resort, so any bytes give
text. Text comes out in Unicode NFC, so pages copied on macOS (decomposed accents)
index and highlight like any other.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([A-Za-z0-9_.:-]{1,40})""")

# Browsers treat these labels as windows-1252, and so do we (WHATWG Encoding).
_LATIN1_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii"}


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 4 KiB, if Python knows it."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    return charset_name(match.group(1).decode("ascii", "replace"))


def charset_name(label: str) -> str | None:
    """Python's name for a charset label; Latin-1 labels read as windows-1252, as in browsers."""
    label = label.strip().strip("\"'").lower()
    if label in _LATIN1_LABELS:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return (text in NFC, the encoding used).

    `declared` is an outside declaration (an HTTP header) that the page's own
    BOM overrides, as in browsers.
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return _nfc(data[len(bom):].decode(encoding, "replace")), encoding
    stated = (charset_name(declared) if declared else None) or declared_charset(data)
    if stated and stated.startswith(("utf-16", "utf-32")):
        stated = "utf-8"  # a BOM-less page cannot be UTF-16 and still declare it in ASCII
    if stated and stated != "utf-8" and _is_utf8_with_non_ascii(data):
        # A page that is valid UTF-8 beyond ASCII and says otherwise is mislabelled:
        # text in a single-byte charset is almost never valid UTF-8 by chance.
        stated = "utf-8"
    candidates = [stated, "utf-8"]
    for encoding in candidates:
        if not encoding:
            continue
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        return _nfc(text), encoding
    return _nfc(data.decode("cp1252", "replace")), "cp1252"


def _is_utf8_with_non_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Control characters other than tab and line breaks (NUL above all) are never text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\u00ad]")  # and soft hyphens


def _nfc(text: str) -> str:
    # cp1252 leaves five bytes undefined; "replace" turns them into U+FFFD, which is
    # dropped here rather than shown to the user as a box, like stray control bytes.
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))
