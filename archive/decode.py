"""Bytes to text: the BOM, then the declared charset, then UTF-8, then cp1252.

Decoding never raises: cp1252 with replacement is the last resort, so any bytes give
text. Bytes that are mostly UTF-8 with a few stray single-byte characters (a Latin-1
line pasted into a UTF-8 page) are read per the majority: UTF-8, each stray byte as
cp1252, never the whole page as cp1252 ("Ã‰lysÃ©e"). Text comes out in Unicode NFC, so
pages copied on macOS (decomposed accents) index and highlight like any other.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from functools import lru_cache

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
    text, encoding = _decode(data, declared)
    return _nfc(text), encoding


def repaired_text(text: str) -> str:
    """Text from the command line as the user typed it: bytes the locale could not decode
    (which Python keeps as lone surrogates, unstorable and unprintable) are read as page
    bytes are, per the majority: UTF-8, else cp1252."""
    if text.isascii() or not any("\ud800" <= char <= "\udfff" for char in text):
        return text
    return _decode(text.encode("utf-8", "surrogateescape"), None)[0]


def looks_like_text(data: bytes, declared: str | None = None) -> bool:
    """False when the bytes decode to more than 10 % control characters and U+FFFD:
    random bytes give 13.7 % (30 control bytes and 5 undefined in cp1252's 256), text
    next to none. Large inputs are judged on four samples spread across them."""
    if len(data) > 4 * _SAMPLE:
        step = (len(data) - _SAMPLE) // 3
        return all(looks_like_text(data[start:start + _SAMPLE], declared)
                   for start in range(0, 4 * step, step))
    text = _decode(data, declared)[0]
    return len(_NOT_TEXT.findall(text)) <= len(text) // 10


_SAMPLE = 64 * 1024
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _decode(data: bytes, declared: str | None) -> tuple[str, str]:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, "replace"), encoding
    stated = (charset_name(declared) if declared else None) or declared_charset(data)
    if stated and stated.startswith(("utf-16", "utf-32")):
        stated = "utf-8"  # a BOM-less page cannot be UTF-16 and still declare it in ASCII
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 beyond ASCII that says otherwise is mislabelled: text in a
        # single-byte charset is almost never valid UTF-8 by chance.
        if stated and stated != "utf-8" and data.isascii():
            decoded = _strict(data, stated)
            if decoded is not None:
                return decoded, stated
        return text, "utf-8"
    if stated and stated != "utf-8" and not _single_byte(stated):
        decoded = _strict(data, stated)  # Shift_JIS, GBK…: their bytes are not UTF-8's
        if decoded is not None:
            return decoded, stated
    if _mostly_utf8(data):
        return data.decode("utf-8", _STRAY_BYTES), "utf-8"
    if stated and stated != "utf-8":
        decoded = _strict(data, stated)
        if decoded is not None:
            return decoded, stated
    return data.decode("cp1252", "replace"), "cp1252"


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _mostly_utf8(data: bytes) -> bool:
    """More UTF-8 characters beyond ASCII than places where the bytes fit no UTF-8
    sequence (each one a U+FFFD in a lenient decoding)."""
    text = data.decode("utf-8", "replace")
    stray = text.count("\ufffd")
    beyond_ascii = len(text) - (len(data) - len(data.translate(None, _ASCII)))
    return beyond_ascii - stray > stray


_ASCII = bytes(range(128))


def _stray_bytes_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    assert isinstance(error, UnicodeDecodeError)
    stray = error.object[error.start:error.end]
    return stray.decode("cp1252", "replace"), error.end


_STRAY_BYTES = "archive-stray-bytes-as-cp1252"
codecs.register_error(_STRAY_BYTES, _stray_bytes_as_cp1252)


@lru_cache(maxsize=64)
def _single_byte(encoding: str) -> bool:
    """A charset that reads each byte as one character (Latin-1, cp1252, KOI8…)."""
    try:
        return len(bytes(range(128, 256)).decode(encoding, "replace")) == 128
    except LookupError:
        return False


# Control characters other than tab and line breaks (NUL above all), and the C1 controls
# (U+0080 to U+009F, which a terminal may obey), are never text.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\u00ad]")  # and soft hyphens


def without_controls(text: str) -> str:
    """The text without the characters decoding drops: controls, U+FFFD, soft hyphens."""
    return _CONTROL.sub("", text)


def _nfc(text: str) -> str:
    # cp1252 leaves five bytes undefined; "replace" turns them into U+FFFD, which is
    # dropped here rather than shown to the user as a box, like stray control bytes.
    return unicodedata.normalize("NFC", _CONTROL.sub("", text))
