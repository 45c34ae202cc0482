"""A folder of Markdown notes, one an article, for Obsidian, Logseq, Zettlr and the
Zotero plugins that read them: YAML front matter with the metadata, then the title and
the paragraphs. Files are named by date, title and id, so a second export into the same
folder replaces the notes it wrote before (each note is written beside, then renamed)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from archive.article import Article

# Front matter keys in order, with the article field each one shows.
FRONT_MATTER = (("title", "title"), ("author", "author"), ("published", "published"),
                ("site", "site"), ("url", "url"), ("lang", "lang"), ("id", "id"),
                ("version", "version"), ("sha256", "sha256"), ("archived", "added_at"),
                ("origin", "origin"), ("note", "note"))
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?")
# What YAML cannot hold as is in a double-quoted scalar: characters outside its printable
# set, and those it reads as line breaks (NEL, LS, PS), which it would fold into spaces.
_NOT_YAML = re.compile("[^\t\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|#^\[\]]+')
# Characters that would turn text into Markdown (emphasis, code, links, HTML), and the
# line starts that would make a heading, a quote, a list or a rule of a paragraph.
_INLINE = re.compile(r"([\\`*_\[\]<>])")
_BLOCK_START = re.compile(r"^([#>+\-=|]|\d+(?=[.)]))")


def write_notes(articles: Iterable[Article], folder: Path) -> int:
    """One note per article in `folder` (made if needed); returns how many."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for article in articles:
        _write_atomically(folder / note_name(article), note(article))
        written += 1
    return written


def note(article: Article) -> str:
    lines = ["---"]
    for key, name in FRONT_MATTER:
        value = getattr(article, name)
        if value is not None and value != "":
            lines.append(f"{key}: {yaml_value(value)}")
    if article.tags:
        lines.append(f"tags: [{', '.join(yaml_value(tag) for tag in article.tags)}]")
    lines += ["---", "", f"# {markdown_text(article.title)}", ""]
    for paragraph in article.body:
        lines += [markdown_text(paragraph), ""]
    return "\n".join(lines)


def yaml_value(value: object) -> str:
    """A YAML scalar: numbers and ISO dates as they are (YAML reads them as such), any
    other text double-quoted with JSON's escapes, which YAML's double quotes share."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_YAML.sub(lambda m: _escape(m.group(0)), quoted)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def markdown_text(text: str) -> str:
    """A paragraph as Markdown that shows it as it is: one line, markup characters escaped."""
    line = _INLINE.sub(r"\\\1", " ".join(text.split()))
    start = _BLOCK_START.match(line)
    if start is None:
        return line
    if start.group(1).isdigit():  # "1. " would begin a numbered list: escape its dot
        return line[:start.end()] + "\\" + line[start.end():]
    return "\\" + line


def note_name(article: Article) -> str:
    """'2020-01-05 Crue de la Meuse à Namur - acda0cce6a05.md': sorted by date, readable,
    and without the characters file systems or Obsidian's links refuse."""
    title = " ".join(_NAME_UNSAFE.sub(" ", article.title).split()).strip(". ")[:80].rstrip()
    date = (article.published or "")[:10]
    parts = [p for p in (date if _ISO_DATE.fullmatch(date) else "", title) if p]
    return " ".join(parts) + f" - {article.id}.md"


def _write_atomically(path: Path, text: str) -> None:
    handle = tempfile.NamedTemporaryFile("w", encoding="utf-8", newline="\n", dir=path.parent,
                                         prefix=".note.", suffix=".md", delete=False)
    try:
        with handle:
            handle.write(text)
        os.replace(handle.name, path)
    except BaseException:
        os.unlink(handle.name)
        raise
