"""Snippets cut from the original text, with every matched word form highlighted.

The body is analyzed again with the index analyzer (token by token, memoised: news text
repeats its words), keeping character offsets; a word
is highlighted when its index term is one the query matched, so the query "soldat"
highlights "soldats" and "l'État" highlights "État". The words of a quoted phrase are
highlighted where they make the phrase ("État islamique", not "États-Unis" nor
"République islamique"), and fragments holding the phrase come first. Fragments are
whole words of about 200 characters around the matches; the best ones cover the most
distinct terms, fragments that touch are merged, and cuts are marked with "…". The whole
body is analyzed, so long articles (past Whoosh's 32 KiB highlighter limit) work too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from index.analysis import term_positions

FRAGMENT_CHARS = 200
MAX_SNIPPETS = 3
ELLIPSIS = "…"


@dataclass
class Snippet:
    """A fragment of the original text; `highlights` are [start, end) offsets into `text`."""

    text: str
    highlights: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"text": self.text, "highlights": [list(span) for span in self.highlights]}


Phrase = tuple[list[str], int]  # a quoted phrase's terms, and how far apart they may be


@dataclass
class _Window:
    paragraph: int
    start: int
    end: int
    matches: list[tuple[int, int, str]]
    phrases: int = 0  # occurrences of a quoted phrase inside

    @property
    def score(self) -> tuple[int, int, int]:
        return self.phrases, len({term for _, _, term in self.matches}), len(self.matches)


def matches_in(
    text: str, terms: frozenset[str], prefixes: tuple[str, ...] = ()
) -> list[tuple[int, int, str]]:
    """(start, end, term) of each word of `text` whose index term is in `terms`."""
    return [(start, end, term) for start, end, term, _ in term_positions(text)
            if term in terms or (prefixes and term.startswith(prefixes))]


def phrases_in(text: str, phrases: Sequence[Phrase]) -> list[list[tuple[int, int, str]]]:
    """Each occurrence of a phrase in `text`, as the (start, end, term) of its words: each
    next word 1 to `slop` positions after the one before, as the engines match it."""
    at: dict[int, list[tuple[int, int, str]]] = {}
    for start, end, term, position in term_positions(text):
        at.setdefault(position, []).append((start, end, term))
    found = []
    for words, slop in phrases:
        for position, entries in at.items():
            for entry in entries:
                if entry[2] == words[0]:
                    found += _rest(at, words, 1, position, slop, [entry])
    return found


def _rest(at, words: list[str], index: int, position: int, slop: int,
          done: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    if index == len(words):
        return [done]
    for step in range(1, slop + 1):
        for entry in at.get(position + step, ()):
            if entry[2] == words[index]:
                if (found := _rest(at, words, index + 1, position + step, slop, done + [entry])):
                    return found[:1]
    return []


def make_snippets(paragraphs: list[str], terms: frozenset[str], prefixes: tuple[str, ...] = (),
                  limit: int = MAX_SNIPPETS, phrases: Sequence[Phrase] = ()) -> list[Snippet]:
    """The best `limit` fragments of the body for these query terms and phrases, those
    with a phrase first, each part in text order. With no match in the body (a
    title-only hit), the opening of the article."""
    windows = []
    for number, paragraph in enumerate(paragraphs):
        matches = matches_in(paragraph, terms, prefixes)
        occurrences = phrases_in(paragraph, phrases) if phrases else []
        matches = sorted(set(matches).union(*occurrences))
        for start, end, _ in matches:
            begin, finish = _around(paragraph, start, end)
            inside = [m for m in matches if m[0] >= begin and m[1] <= finish]
            held = sum(all(begin <= s and e <= finish for s, e, _ in o) for o in occurrences)
            windows.append(_Window(number, begin, finish, inside, held))
    chosen: list[_Window] = []
    for window in sorted(windows, key=lambda w: (*(-x for x in w.score), w.paragraph, w.start)):
        if any(_overlaps(window, other) for other in chosen):
            continue
        chosen.append(window)
        if len(chosen) == limit:
            break
    if not chosen:
        return [_render(paragraphs[0], 0, _word_end(paragraphs[0], FRAGMENT_CHARS), [])] if paragraphs else []
    chosen.sort(key=lambda w: (w.phrases == 0, w.paragraph, w.start))
    return [_render(paragraphs[w.paragraph], w.start, w.end, w.matches) for w in _merge(chosen)]


def _around(text: str, start: int, end: int) -> tuple[int, int]:
    """A whole-word window of about FRAGMENT_CHARS around [start, end)."""
    room = max(FRAGMENT_CHARS - (end - start), 0)
    begin = max(0, start - room // 3)
    finish = min(len(text), end + room - (start - begin))
    if finish - begin < FRAGMENT_CHARS:
        begin = max(0, finish - FRAGMENT_CHARS)
    return _word_start(text, begin, start), _word_end(text, finish)


def _word_start(text: str, index: int, limit: int) -> int:
    if index <= 0:
        return 0
    space = text.find(" ", index, limit)
    return space + 1 if space != -1 else index


def _word_end(text: str, index: int) -> int:
    if index >= len(text):
        return len(text)
    space = text.rfind(" ", 0, index)
    return space if space > 0 else index


def _overlaps(a: _Window, b: _Window) -> bool:
    return a.paragraph == b.paragraph and a.start < b.end and b.start < a.end


def _merge(windows: list[_Window]) -> list[_Window]:
    """Join fragments of one paragraph that touch or nearly touch (chosen fragments never
    overlap), one after the other in the list."""
    merged: list[_Window] = []
    for window in windows:
        last = merged[-1] if merged else None
        if last and last.paragraph == window.paragraph and 0 <= window.start - last.end <= 20:
            last.end = max(last.end, window.end)
            last.matches = sorted(set(last.matches + window.matches))
            last.phrases += window.phrases
        else:
            merged.append(_Window(window.paragraph, window.start, window.end, list(window.matches),
                                  window.phrases))
    return merged


def _render(text: str, start: int, end: int, matches: list[tuple[int, int, str]]) -> Snippet:
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(text) else ""
    fragment = prefix + text[start:end].strip() + suffix
    shift = len(prefix) - start - (len(text[start:end]) - len(text[start:end].lstrip()))
    spans = _outermost({(s + shift, e + shift) for s, e, _ in matches if s >= start and e <= end})
    return Snippet(fragment, spans)


def _outermost(spans: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans in order without overlaps: a compound matched whole ("al-Mouhandis") is one
    highlight, not also its parts."""
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if kept and start < kept[-1][1]:
            continue
        kept.append((start, end))
    return kept
