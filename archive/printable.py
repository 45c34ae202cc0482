"""Names and messages as text that prints on one line and cannot drive a terminal."""

from __future__ import annotations

import unicodedata


def printable_name(name: str) -> str:
    """A file name, URL or message as text that can be stored and printed on one line:
    undecodable bytes (kept by Python as surrogates) become \\xNN, and every control
    character (C0 and C1, DEL, NEL, the line and paragraph separators, bidirectional
    overrides) becomes an escape such as \\n, \\x1b or \\u2028, so a name can neither
    split a line nor send a terminal an escape sequence."""
    try:
        raw = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that no file name decoding makes
        raw = name.encode("utf-8", "backslashreplace").decode("utf-8")
    if raw.isprintable():
        return raw
    return "".join(_escaped(char) if _is_control(char) else char for char in raw)


def _is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp") or char in _BIDI_CONTROLS


_BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    code = ord(char)
    return _SHORT_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
