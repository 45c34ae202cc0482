"""What changed between two kept versions of an article, by paragraph and by word.

The title is paragraph 0, compared with the other title only; the body's paragraphs
follow from 1 (a standfirst, when the page has one, is paragraph 1). Paragraphs are
matched first (difflib on whole paragraphs); inside a run of changed paragraphs, one
that is mostly the same as one of the other version is a "replace" with its word-level
changes, and the others are "insert" or "delete". Numbers are those of the newer
version, except for a deletion, which gives the paragraph's number in the older one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from archive.article import Article

SIMILAR = 0.5  # at least this much in common (difflib's ratio) and a paragraph was edited
# How far ahead a paragraph looks for its edited self before it counts as removed: past a
# few paragraphs an edit is a move. Unbounded, a rewritten 186-paragraph article compared
# every pair (bench/diff.py "rewritten": 13 s).
LOOK_AHEAD = 8
_TOKEN = re.compile(r"\w+|[^\w\s]|\s+")
_WORD = re.compile(r"\w+")
# Word diffs of longer paragraphs let difflib skip the most frequent tokens (spaces,
# "de", "la"): exact on ordinary paragraphs, quadratic time avoided on a huge one.
EXACT_UP_TO = 4000  # tokens


@dataclass
class WordChange:
    """One run of a replaced paragraph: kept ("equal"), removed ("delete") or added ("insert")."""

    op: str
    text: str


@dataclass
class Change:
    """One paragraph inserted, deleted or replaced (with its word-level changes)."""

    op: str
    paragraph: int
    old: str | None
    new: str | None
    words: list[WordChange] = field(default_factory=list)

    def to_json(self) -> dict:
        """The paragraph's change; its word runs are for the text output (a script has
        `old` and `new` to compare as it likes)."""
        return {"op": self.op, "paragraph": self.paragraph, "old": self.old, "new": self.new}


@dataclass
class Side:
    """One of the two versions compared: its number, when it was kept, its original."""

    version: int
    added_at: str | None
    sha256: str | None

    def to_json(self) -> dict:
        return {"version": self.version, "added_at": self.added_at, "sha256": self.sha256}


@dataclass
class VersionDiff:
    """The changes from one version of an article to another."""

    id: str
    old: Side
    new: Side
    changes: list[Change]

    def to_json(self) -> dict:
        return {"id": self.id, "from": self.old.to_json(), "to": self.new.to_json(),
                "changes": [c.to_json() for c in self.changes]}

    def summary(self) -> str:
        """"the same text", or what changed: "text changed: the title, 2 paragraphs
        changed, 1 added"."""
        if not self.changes:
            return "the same text"
        parts = ["the title"] if any(c.paragraph == 0 for c in self.changes) else []
        body = [c for c in self.changes if c.paragraph > 0]
        named = False  # "paragraph" is said once: "2 paragraphs changed, 1 added"
        for op, verb in (("replace", "changed"), ("insert", "added"), ("delete", "removed")):
            count = sum(1 for c in body if c.op == op)
            if count:
                noun = "" if named else (" paragraphs" if count != 1 else " paragraph")
                parts.append(f"{count}{noun} {verb}")
                named = True
        return "text changed: " + ", ".join(parts)


def compare(old: Article, new: Article) -> VersionDiff:
    """The paragraph and word changes from `old` to `new` (two versions of one article)."""
    changes: list[Change] = []
    if old.title != new.title:
        changes.append(Change("replace", 0, old.title, new.title, word_changes(old.title, new.title)))
    before, after = old.body, new.body
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changes.extend(_pair(before, after, i1, i2, j1, j2))
    return VersionDiff(new.id or old.id or "", Side(old.version or 0, old.updated_at, old.sha256),
                       Side(new.version or 0, new.updated_at, new.sha256), changes)


def _pair(before: list[str], after: list[str], i: int, i_end: int, j: int,
          j_end: int) -> list[Change]:
    """A run of changed paragraphs as replacements (each old paragraph with the first new
    one it is similar to, in order, looking LOOK_AHEAD paragraphs ahead) and the
    insertions and deletions around them; body paragraph k is paragraph k + 1."""
    words = {("old", k): _WORD.findall(before[k].lower()) for k in range(i, i_end)}
    words.update({("new", k): _WORD.findall(after[k].lower()) for k in range(j, j_end)})

    def similar(old: int, new: int) -> bool:
        return _similar(words["old", old], words["new", new])

    changes = []
    while i < i_end or j < j_end:
        if i < i_end and j < j_end and similar(i, j):
            changes.append(Change("replace", j + 1, before[i], after[j],
                                  word_changes(before[i], after[j])))
            i, j = i + 1, j + 1
        elif j < j_end and (i == i_end or any(
                similar(i, later) for later in range(j + 1, min(j_end, j + 1 + LOOK_AHEAD)))):
            changes.append(Change("insert", j + 1, None, after[j]))
            j += 1
        else:
            changes.append(Change("delete", i + 1, before[i], None))
            i += 1
    return changes


def _similar(a: list[str], b: list[str]) -> bool:
    """Whether two paragraphs share at least SIMILAR of their words, in order (difflib's
    ratio on words: cheap bounds first, the exact ratio last)."""
    if not a or not b:
        return False
    matcher = SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > EXACT_UP_TO)
    return matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR \
        and matcher.ratio() >= SIMILAR


def word_changes(old: str, new: str) -> list[WordChange]:
    """The runs of words (with their spaces and punctuation) kept, removed and added."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > EXACT_UP_TO)
    runs: list[WordChange] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("equal", "delete", "replace") and i2 > i1:
            runs.append(WordChange("equal" if op == "equal" else "delete", "".join(a[i1:i2])))
        if op in ("insert", "replace") and j2 > j1:
            runs.append(WordChange("insert", "".join(b[j1:j2])))
    return runs
