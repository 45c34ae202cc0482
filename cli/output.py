"""Human output: how to style and wrap for this stdout, highlighted snippets, articles,
listings, progress bars, JSON dumps. Renderers return text; the command prints or pages it."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

PLAIN_MARK = "**"
COLOR_CHOICES = ("auto", "always", "never")


@dataclass
class Look:
    """How output looks: `mode` is 'color' (bold and yellow), 'bold' (NO_COLOR on a
    terminal), 'marks' (**word**: piped, TERM=dumb, --color never) or 'plain' (NO_COLOR
    piped); `width` wraps lines at word boundaries (None: no wrapping, when piped)."""

    mode: str = "marks"
    width: int | None = None

    @property
    def escapes(self) -> bool:
        return self.mode in ("color", "bold")

    def strong(self, text: str) -> str:
        """A title: bold where escapes are allowed."""
        return click.style(text, bold=True) if self.escapes else text

    def match(self, word: str) -> str:
        """A matched word of a snippet."""
        if self.mode == "color":
            return click.style(word, bold=True, fg="yellow")
        if self.mode == "bold":
            return click.style(word, bold=True)
        return f"{PLAIN_MARK}{word}{PLAIN_MARK}" if self.mode == "marks" else word


def look(color: str = "auto", stream=None) -> Look:
    """The look for `stream` (stdout): --color always or never wins; with auto, styles on
    a terminal (bold only under NO_COLOR, **marks** under TERM=dumb), **marks** when piped
    (nothing under NO_COLOR). Lines are wrapped to the terminal's width on a terminal."""
    stream = stream or sys.stdout
    tty = _isatty(stream)
    width = shutil.get_terminal_size((80, 24)).columns if tty else None
    no_color = bool(os.environ.get("NO_COLOR"))
    dumb = os.environ.get("TERM", "") == "dumb"
    if color == "always":
        return Look("color", width)
    if color == "never":
        return Look("marks", width)
    if tty and not dumb:
        return Look("bold" if no_color else "color", width)
    return Look("plain" if no_color and not tty else "marks", width)


def _isatty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_rows() -> int:
    return shutil.get_terminal_size((80, 24)).lines


# --- wrapping -----------------------------------------------------------------------


def line_spans(text: str, width: int | None) -> list[tuple[int, int]]:
    """(start, end) of each line of `text` wrapped to `width` at spaces; a word longer
    than a line is the only thing ever cut. One line when width is None."""
    if width is None or len(text) <= width:
        return [(0, len(text))]
    width = max(width, 10)
    spans, start = [], 0
    while len(text) - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            spans.append((start, start + width))
            start += width
            continue
        spans.append((start, cut))
        start = cut + 1
        while start < len(text) and text[start] == " ":
            start += 1
    spans.append((start, len(text)))
    return spans


def wrapped(text: str, width: int | None, indent: str = "") -> str:
    """Plain text wrapped to `width` (indent included)."""
    inner = None if width is None else width - len(indent)
    return "\n".join(indent + text[a:b] for a, b in line_spans(text, inner))


def highlighted(text: str, spans: list[tuple[int, int]], shown: Look, indent: str = "") -> str:
    """The snippet wrapped to the width, with its matched words styled as `shown` says."""
    inner = None if shown.width is None else shown.width - len(indent)
    lines = []
    for start, end in line_spans(text, inner):
        out, last = [], start
        for a, b in spans:
            a, b = max(a, start), min(b, end)
            if a >= b:
                continue
            out.append(text[last:a])
            out.append(shown.match(text[a:b]))
            last = b
        out.append(text[last:end])
        lines.append(indent + "".join(out))
    return "\n".join(lines)


# --- renderers ----------------------------------------------------------------------


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def json_lines(rows: list[dict]) -> str:
    return "\n".join(json.dumps(row, ensure_ascii=False) for row in rows)


def describe(site: str | None, published: str | None, article_id: str | None) -> str:
    """'Le Soir · 2020-01-05 · acda0cce6a05', leaving out what is unknown."""
    parts = [site, (published or "")[:10] or None, article_id]
    return " · ".join(p for p in parts if p)


def render_hit(rank: int, hit, shown: Look) -> str:
    article = hit.article
    title = wrapped(f"{rank}. {article.title}", shown.width).replace("\n", "\n   ")
    lines = ["\n".join(shown.strong(line) for line in title.split("\n")),
             wrapped(describe(article.site, article.published, article.id), shown.width, "   ")]
    for snippet in hit.snippets:
        lines.append(highlighted(snippet.text, snippet.highlights, shown, indent="   "))
    if hit.also_in:
        copies = ", ".join(f"{d.site or d.title[:40]} ({d.id})" for d in hit.also_in)
        lines.append(wrapped(f"also in: {copies}", shown.width, indent="   "))
    return "\n".join(lines) + "\n"


def render_results(result, offset: int, shown: Look) -> str:
    """A page of hits with a count line, and the did-you-mean when there is one."""
    lines = []
    if result.suggestion:
        lines.append(f"Did you mean: {shown.strong(result.suggestion)}?")
    stories = result.stories
    if not result.hits:
        more = f" (there are {stories}; lower --offset)" if stories else ""
        lines.append(f"No results for {result.query!r}{more}.")
        return "\n".join(lines)
    first, last = offset + 1, offset + len(result.hits)
    count = f"{stories} result{'s' if stories != 1 else ''}"
    if first > 1 or last < stories:
        count += f" (showing {first}–{last})"
    if result.folded:
        count += (f"; {result.folded} more cop{'ies' if result.folded != 1 else 'y'} of these "
                  "stories folded in (--copies shows each)")
    if result.relaxed:
        lines.append(relaxed_notice(result))
    lines.append(count + "\n")
    for rank, hit in enumerate(result.hits, first):
        lines.append(render_hit(rank, hit, shown))
    return "\n".join(lines).rstrip("\n") + "\n"


def relaxed_notice(result) -> str:
    """The one line that says a page was relaxed, and which words its hits go without."""
    without = f", sans : {', '.join(result.without)}" if result.without else ""
    if result.complete == 0:
        return f"aucun article ne contient tous les mots ; les plus proches{without}"
    articles = "seul 1 article contient" if result.complete == 1 else \
        f"seuls {result.complete} articles contiennent"
    return f"{articles} tous les mots ; les suivants{without}"


def render_article(article, shown: Look) -> str:
    lines = [shown.strong(line) for line in wrapped(article.title, shown.width).split("\n")]
    details = [
        ("id", article.id), ("version", article.version), ("author", article.author),
        ("published", article.published), ("site", article.site), ("url", article.url),
        ("origin", article.origin), ("added", article.added_at),
        ("tags", ", ".join(article.tags)),
    ]
    for label, value in details:
        if value:
            text = str(value)
            pieces = [text[a:b] for a, b in line_spans(text, shown.width and shown.width - 11)]
            lines.append(f"{label + ':':11}" + ("\n" + " " * 11).join(pieces))
    if article.note:
        lines.append("note:")
        lines.extend(wrapped(line, shown.width, "  ") for line in article.note.splitlines())
    lines.append("")
    lines.append("\n\n".join(wrapped(p, shown.width) for p in article.body))
    return "\n".join(lines)


def render_versions(report) -> str:
    """`show --versions`: one line per kept version, the current one starred; the sha256
    is labelled so that its prefix is not taken for an article id."""
    lines = [f"versions of {report.article.id} (* current)"]
    for v in report.versions:
        mark = "*" if v.number == report.article.version else " "
        lines.append(f"{mark}{v.number:>3}  {v.added_at}  sha256:{v.sha256[:16]}  {v.origin or ''}")
    return "\n".join(lines)


def article_line(a) -> str:
    return f"{a.id}  {(a.published or '')[:10]:10}  {(a.site or '')[:16]:16}  {a.title}"


def render_listing(listing) -> str:
    return "\n".join(article_line(a) for a in listing.articles)


def render_groups(groups) -> str:
    if not groups.groups:
        return "No near-duplicates."
    lines = []
    for number, group in enumerate(groups.groups, 1):
        lines.append(f"{number}. {len(group.articles)} copies of the same story")
        lines.extend(f"   {article_line(a)}" for a in group.articles)
    return "\n".join(lines)


def render_tagging(report, removed: bool) -> str:
    """`tag` / `untag`: one line per article named."""
    verb, already = ("untagged", "not tagged") if removed else ("tagged", "already")
    lines = [f"{verb:10} {a.id}  {report.tag}  {a.title}" for a in report.changed]
    lines += [f"{already:10} {a.id}  {report.tag}  {a.title}" for a in report.unchanged]
    return "\n".join(lines) or f"no article {'untagged' if removed else 'tagged'}"


def render_tags(found) -> str:
    """`archive tags`: each tag with its count, by name."""
    return "\n".join(f"{count:>7}  {name}" for name, count in found.tags)


def render_diff(changes, shown: Look) -> str:
    """`archive diff`: the two versions compared, then each changed paragraph with its
    words removed and added: red and green on a colour terminal, else [-…-] and {+…+}."""
    old, new = changes.old, changes.new
    lines = [shown.strong(f"{changes.id}: version {old.version} → version {new.version}"),
             f"  from {old.added_at}  sha256:{old.sha256}",
             f"  to   {new.added_at}  sha256:{new.sha256}",
             changes.summary()]
    for change in changes.changes:
        where = "title" if change.paragraph == 0 else f"paragraph {change.paragraph}"
        if change.op == "replace":
            lines += ["", f"{where} changed:", _word_changes(change.words, shown)]
        elif change.op == "insert":
            lines += ["", f"{where} added:", _styled_block(change.new, "insert", shown)]
        else:
            lines += ["", f"{where} removed (of version {old.version}):",
                      _styled_block(change.old, "delete", shown)]
    return "\n".join(lines)


def _word_changes(runs, shown: Look) -> str:
    """A replaced paragraph wrapped to the width, its removed and added words styled."""
    if shown.mode != "color":
        marked = {"equal": "{}", "delete": "[-{}-]", "insert": "{{+{}+}}"}
        return wrapped("".join(marked[run.op].format(run.text) for run in runs), shown.width, "  ")
    text, spans = "", []
    for run in runs:
        spans.append((len(text), len(text) + len(run.text), run.op))
        text += run.text
    lines = []
    for start, end in line_spans(text, shown.width and shown.width - 2):
        pieces = []
        for a, b, op in spans:
            a, b = max(a, start), min(b, end)
            if a < b:
                piece = text[a:b]
                pieces.append(piece if op == "equal" else click.style(
                    piece, fg="red" if op == "delete" else "green",
                    strikethrough=True if op == "delete" else None))
        lines.append("  " + "".join(pieces))
    return "\n".join(lines)


def _styled_block(text: str, op: str, shown: Look) -> str:
    block = wrapped(text, shown.width, "  ")
    if shown.mode == "color":
        return click.style(block, fg="red" if op == "delete" else "green")
    mark = "-" if op == "delete" else "+"
    return "\n".join(f"{mark}{line[1:]}" for line in block.split("\n"))


def render_stats(figures: dict) -> str:
    """`archive stats` for a person."""
    mb = 1024 * 1024
    lines = [f"articles   {figures['articles']}  ({figures['versions']} versions, "
             f"{figures['originals']} originals)",
             f"text       {figures['text_chars'] / 1e6:.1f} M characters",
             f"originals  {figures['originals_bytes'] / mb:.1f} MiB as received, "
             f"{figures['originals_stored_bytes'] / mb:.1f} MiB kept (compressed)",
             f"store      {figures['database_bytes'] / mb:.1f} MiB    index  "
             f"{figures['index_bytes'] / mb:.1f} MiB"]
    published = figures["published"]
    if published["first"]:
        lines.append(f"published  {published['first'][:10]} to {published['last'][:10]}")
    if figures["added"]["first"]:
        lines.append(f"added      {figures['added']['first'][:10]} to {figures['added']['last'][:10]}")
    for entry in figures["sites"][:10]:
        lines.append(f"  {entry['articles']:>7}  {entry['site']}")
    if len(figures["sites"]) > 10:
        lines.append(f"  … and {len(figures['sites']) - 10} more sites")
    return "\n".join(lines)


def render_feeds(feeds) -> str:
    """`archive feeds` for a person: each feed, its last read, what it added."""
    lines = []
    for feed in feeds:
        lines.append(f"{feed.url}" + (f"  {feed.title}" if feed.title else ""))
        read = (feed.read_at or "")[:16].replace("T", " ")
        lines.append(f"  read {read}: {feed.items} item{'s' if feed.items != 1 else ''}, "
                     f"{feed.last_added} added ({feed.added} in all)")
        if feed.error:
            lines.append(f"  failed {(feed.failed_at or '')[:16].replace('T', ' ')}: {feed.error}")
    return "\n".join(lines)


def render_check(result) -> str:
    """`archive check` for a person: one line per kind of problem, then the verdict."""
    report, repaired = result.report, result.repaired
    if report.database_problems:
        more = len(report.database_problems) - 1
        return (f"the database file is damaged: {report.database_problems[0]}"
                + (f" (and {more} more)" if more else "")
                + "\nrestore archive.db from a backup or an export (`archive export` of a copy "
                "may still read most of it)")
    lines = [f"{report.articles} articles in the archive, {report.indexed} in the index"]
    problems = (
        ("originals whose bytes do not match their sha256", report.damaged_originals),
        ("articles missing from the index", report.missing_from_index),
        ("articles indexed more than once", report.duplicated_in_index),
        ("index entries with no article (orphans)", report.orphans_in_index),
    )
    for label, items in problems:
        if items:
            lines.append(f"{len(items)} {label}: {', '.join(i[:16] for i in items[:10])}"
                         + (" …" if len(items) > 10 else ""))
    if repaired is not None:
        lines.append(f"repaired: the index was rebuilt from the archive ({repaired} articles)")
    if report.ok:
        lines.append("ok: every original is intact and the index matches the archive")
    elif report.damaged_originals:
        lines.append("damaged originals cannot be repaired from the archive itself; restore "
                     "archive.db from a backup or an export")
    else:
        lines.append("the index does not match the archive: run `archive check --repair`")
    return "\n".join(lines)


# --- progress -----------------------------------------------------------------------


class Progress:
    """A progress bar on stderr, drawn when stderr is a terminal (not TERM=dumb), it is
    not silenced, and the work is long enough; its length is known once work starts."""

    def __init__(self, label: str, threshold: int, quiet: bool = False):
        self.label, self.threshold = label, threshold
        self.shown = (not quiet and _isatty(sys.stderr)
                      and os.environ.get("TERM", "") != "dumb")
        self._bar: ProgressBar[int] | None = None

    @property
    def visible(self) -> bool:
        return self._bar is not None

    def start(self, length: int) -> None:
        if self.shown and length >= self.threshold:
            self._bar = click.progressbar(length=length, label=self.label, file=sys.stderr)
            self._bar.__enter__()

    def update(self, steps: int) -> None:
        if self._bar is not None:
            self._bar.update(steps)

    def echo(self, line: str, err: bool = False) -> None:
        """A line printed while the bar may be drawn: the bar's line is cleared first."""
        if self._bar is not None:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
        click.echo(line, err=err)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)
