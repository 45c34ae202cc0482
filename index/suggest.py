"""Did-you-mean: corrections drawn from the archive's own vocabulary.

The `words` field holds every word of the archive as written (folded, unstemmed), so a
word the archive has never seen ("irakienes", "Soleimany") can be corrected to the
closest frequent word it has ("irakiennes", "Soleimani"), whatever the stemmer does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from index.analysis import FRENCH_STOP_WORDS, surface_analyzer

if TYPE_CHECKING:
    from index.engines.base import Vocabulary

FEW_RESULTS = 3  # below this many hits, every query word is checked for a correction
_SURFACE = surface_analyzer()


def closest_word(vocabulary: Vocabulary, word: str, known: bool = False) -> str | None:
    """The archive word nearest to `word`, or None: fewest edits, then the longest shared
    ending (the inflection the user meant: irakienes → irakiennes, not irakiens), then
    the most articles. A word the archive knows is only compared with words one edit
    away: two edits cost 150 ms at 100,000 articles, and a real word two edits from a
    commoner one is rarely a typo."""
    length = len(word)
    if length < 4:
        return None
    best: tuple[int, int, str] | None = None
    for maxdist in (1, 2) if length >= 6 and not known else (1,):
        for candidate in vocabulary.terms_within(word, maxdist, prefix=1):
            if candidate == word:
                continue
            key = (_shared_ending(word, candidate), vocabulary.doc_frequency(candidate), candidate)
            if best is None or key > best:
                best = key
        if best:
            return best[2]
    return None


def corrections(vocabulary: Vocabulary, words: list[tuple[int, int, str]],
                total: int) -> dict[int, tuple[int, str]]:
    """For the query's plain words, the corrections worth offering: {start: (end, word)}.

    A word the archive does not know is always corrected; when the query finds fewer
    than FEW_RESULTS articles, a rare word is corrected to a much more common one.
    """
    fixes = {}
    for start, end, typed in words:
        tokens = [t.text for t in _SURFACE(typed)]
        if len(tokens) != 1 or tokens[0] in FRENCH_STOP_WORDS or not tokens[0].isalpha():
            continue
        word = tokens[0]
        frequency = vocabulary.doc_frequency(word)
        if frequency and total >= FEW_RESULTS:
            continue
        candidate = closest_word(vocabulary, word, known=frequency > 0)
        if candidate and vocabulary.doc_frequency(candidate) > 3 * frequency:
            fixes[start] = (end, candidate)
    return fixes


def apply_corrections(text: str, fixes: dict[int, tuple[int, str]]) -> str:
    """The query text with each corrected word replaced, keeping the user's capitals."""
    out, last = [], 0
    for start in sorted(fixes):
        end, word = fixes[start]
        typed = text[start:end]
        out.append(text[last:start])
        out.append(word.capitalize() if typed[:1].isupper() else word)
        last = end
    out.append(text[last:])
    return "".join(out)


def _shared_ending(a: str, b: str) -> int:
    count = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        count += 1
    return count
