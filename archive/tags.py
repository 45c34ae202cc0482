"""Tags and notes: the user's own labels on articles (a dossier is a tag).

A tag is named as the user writes it ("Affaire Benalla") and known by its key, the name
folded: case, accents and runs of spaces do not make another tag, so `tag:benalla`
finds "Benalla". Commas separate tags in bookmark exports (TAGS="a,b"), so a name has
none; a folder name that holds one has it turned into a space.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from archive.folding import fold_text

MAX_TAG_CHARS = 100
MAX_NOTE_CHARS = 100_000
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class LabelError(ValueError):
    """A tag name or a note that cannot be kept; the message says why, for the user."""


def tag_name(text: str) -> str:
    """The name as kept: spaces trimmed and collapsed; LabelError for an empty name, one
    with a comma or a control character, or one too long."""
    name = " ".join(unicodedata.normalize("NFC", text).split())
    if not name:
        raise LabelError("a tag needs a name")
    if "," in name:
        raise LabelError(f"a tag name has no comma (commas separate tags): {name!r}")
    if _CONTROLS.search(name):
        raise LabelError(f"a tag name has no control characters: {name!r}")
    if len(name) > MAX_TAG_CHARS:
        raise LabelError(f"a tag name has at most {MAX_TAG_CHARS} characters ({len(name)} given)")
    return name


def folder_tag(folder: str) -> str | None:
    """A bookmark folder's name as a tag (commas become spaces), or None when it has none."""
    try:
        return tag_name(_CONTROLS.sub(" ", folder.replace(",", " "))[:MAX_TAG_CHARS])
    except LabelError:
        return None


def tag_key(name: str) -> str:
    """What tells tags apart: the name folded to lowercase ASCII, spaces collapsed."""
    return " ".join(fold_text(unicodedata.normalize("NFC", name)).lower().split())


def note_text(text: str) -> str:
    """A note as kept: trimmed, line breaks kept, other control characters dropped."""
    kept = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text.replace("\r\n", "\n")).strip()
    if len(kept) > MAX_NOTE_CHARS:
        raise LabelError(f"a note has at most {MAX_NOTE_CHARS:,} characters ({len(kept):,} given)")
    return kept


@dataclass
class Labels:
    """An article's tags (names, in key order) and note."""

    tags: list[str] = field(default_factory=list)
    note: str | None = None
