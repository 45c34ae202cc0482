"""A small language guess from function words, enough to tell French from English."""

from __future__ import annotations

import re

_WORD = re.compile(r"[^\W\d_]+")
FRENCH = frozenset(
    "le la les de des du un une et est en dans pour que qui sur pas par au aux avec "
    "ce cette il elle ils sont ont été plus ne se sa son ses leur où mais comme".split()
)
ENGLISH = frozenset(
    "the of and to in is that for on with as was by it at from his her are be this "
    "have has an which not or were but their they".split()
)


def guess_language(text: str) -> str | None:
    """'fr' or 'en' when function words say so clearly, else None."""
    words = _WORD.findall(text[:20000].lower())
    if len(words) < 8:
        return None
    fr = sum(word in FRENCH for word in words)
    en = sum(word in ENGLISH for word in words)
    if fr >= 3 and fr > 2 * en:
        return "fr"
    if en >= 3 and en > 2 * fr:
        return "en"
    return None
