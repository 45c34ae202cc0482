"""French analysis for index and query: one Whoosh Tokenizer | Filter | … chain.

tokenize (words, numbers, inner apostrophes) → elision (l' d' qu' …) → numbers
(5.000 = 5 000 = 5000) → lowercase → French stop words → Snowball French stemming →
accent and ligature folding. Stemming runs before folding, so the stemmer sees real
French; folding its output makes "État" and "etat" one term. Each filter keeps the
token's character offsets, which snippets use to highlight the original text.
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode
from whoosh.analysis import Filter, LowercaseFilter, StemFilter, StopFilter, Tokenizer
from whoosh.analysis.acore import Token
from whoosh.lang import stopwords_for_language

APOSTROPHES = "'’ʼ`´"
ELIDED = frozenset(
    "l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu quelqu".split()
)
# Whoosh's French list plus what it lacks ("les", "a"), with every word also folded,
# because a user may type "a" for "à" and "etait" for "était".
_BASE_STOP = set(stopwords_for_language("fr")) | {
    "les", "a", "aux", "au", "du", "des", "ou", "où", "si", "ni", "donc", "car", "ça", "cet",
    "cette", "ceux", "celle", "celui", "y", "là",
}
FRENCH_STOP_WORDS = frozenset(_BASE_STOP | {unidecode(w) for w in _BASE_STOP})

_NUMBER_GROUPS = r"\d{1,3}(?:[.,\u00a0\u202f\u2009 ]\d{3})+(?!\d)"
TOKEN_PATTERN = re.compile(
    rf"\d+[^\W\d_]\w*|{_NUMBER_GROUPS}|\d+(?:[.,]\d+)?(?![\w])|\w+(?:[{APOSTROPHES}]\w+)*"
)
_THOUSANDS = re.compile(_NUMBER_GROUPS)


class FrenchTokenizer(Tokenizer):
    """Words of letters and digits, keeping inner apostrophes (for elision) and grouped
    numbers ("5.000", "5 000" with a normal, non-breaking or thin space) as one token."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, tokenize=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for index, match in enumerate(TOKEN_PATTERN.finditer(value)):
            token.text = match.group(0)
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = token.text
            if positions:
                token.pos = start_pos + index
            if chars:
                token.startchar = start_char + match.start()
                token.endchar = start_char + match.end()
            yield token


class ElisionFilter(Filter):
    """Drop elided articles and pronouns: l'État → État, qu'il → il, jusqu'à → à.
    "aujourd'hui" is not an elision and stays one word."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            for mark in APOSTROPHES:
                if mark in text:
                    head, _, tail = text.partition(mark)
                    if head.lower() in ELIDED and tail:
                        if hasattr(token, "startchar"):
                            token.startchar += len(head) + 1
                        text = tail
                    break
            token.text = text
            yield token


class NumberFilter(Filter):
    """One term per number: 5.000, 5 000, 5,000 and 5000 → 5000; decimals keep a comma
    (2,5 and 2.5 → 2,5)."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if text[:1].isdigit():
                if _THOUSANDS.fullmatch(text):
                    token.text = re.sub(r"\D", "", text)
                else:
                    token.text = text.replace(".", ",")
            yield token


class AccentFoldFilter(Filter):
    """Fold accents and ligatures (é → e, œ → oe, æ → ae) and unify apostrophes, so the
    terms are the same whether or not the user types accents."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if not text.isascii():
                token.text = _fold(text)
            yield token


@lru_cache(maxsize=100_000)
def _fold(text: str) -> str:
    return unidecode(text).replace("`", "'")


def french_analyzer():
    """The analyzer used for titles and bodies at index time and for queries."""
    return (
        FrenchTokenizer()
        | ElisionFilter()
        | NumberFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=FRENCH_STOP_WORDS, minsize=1)
        | StemFilter(lang="fr", cachesize=100_000)
        | AccentFoldFilter()
    )


def analyze(text: str) -> list[str]:
    """The index terms of a text, in order (for tests and query inspection)."""
    return [token.text for token in french_analyzer()(text)]
