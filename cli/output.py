"""Human output: highlighted snippets, article listings, JSON dumps."""

from __future__ import annotations

import json
import os
import sys

import click

PLAIN_MARK = "**"


def use_style() -> bool:
    """Bold and colour only on a terminal, and never under NO_COLOR."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


class Progress:
    """A progress bar on stderr, drawn only when shown and the work is long enough; its
    length is known once the work starts (`start`)."""

    def __init__(self, label: str, shown: bool, threshold: int):
        self.label, self.shown, self.threshold = label, shown, threshold
        self._bar = None

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

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc)


def progress(label: str, shown: bool, threshold: int) -> Progress:
    return Progress(label, shown, threshold)


def print_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def highlight(text: str, spans: list[tuple[int, int]], styled: bool) -> str:
    """The snippet with its matched words in bold (terminal) or between ** markers."""
    out, last = [], 0
    for start, end in spans:
        word = text[start:end]
        out.append(text[last:start])
        out.append(click.style(word, bold=True, fg="yellow") if styled else f"{PLAIN_MARK}{word}{PLAIN_MARK}")
        last = end
    out.append(text[last:])
    return "".join(out)


def describe(site: str | None, published: str | None, article_id: str | None) -> str:
    """'Le Soir · 2020-01-05 · 192eed5866ea', leaving out what is unknown."""
    parts = [site, (published or "")[:10] or None, article_id]
    return " · ".join(p for p in parts if p)


def print_hit(rank: int, hit, styled: bool) -> None:
    article = hit.article
    title = click.style(article.title, bold=True) if styled else article.title
    click.echo(f"{rank}. {title}")
    click.echo(f"   {describe(article.site, article.published, article.id)}")
    for snippet in hit.snippets:
        click.echo(f"   {highlight(snippet.text, snippet.highlights, styled)}")
    if hit.also_in:
        copies = ", ".join(f"{d.site or d.title[:40]} ({d.id})" for d in hit.also_in)
        click.echo(f"   also in: {copies}")
    click.echo()


def print_results(result, offset: int = 0) -> None:
    """A page of hits with a count line, and the did-you-mean when there is one."""
    styled = use_style()
    if result.suggestion:
        shown = click.style(result.suggestion, bold=True) if styled else result.suggestion
        click.echo(f"Did you mean: {shown}?")
    if not result.hits:
        more = f" (there are {result.total}; lower --offset)" if result.total else ""
        click.echo(f"No results for {result.query!r}{more}.")
        return
    first, last = offset + 1, offset + len(result.hits)
    count = f"{result.total} result{'s' if result.total != 1 else ''}"
    if first > 1 or last < result.total:
        count += f" (showing {first}–{last})"
    if result.relaxed:
        click.echo(relaxed_notice(result))
    click.echo(count + "\n")
    for rank, hit in enumerate(result.hits, first):
        print_hit(rank, hit, styled)


def relaxed_notice(result) -> str:
    """The one line that says a page was relaxed, and which words its hits go without."""
    without = f", sans : {', '.join(result.without)}" if result.without else ""
    if result.complete == 0:
        return f"aucun article ne contient tous les mots ; les plus proches{without}"
    articles = "seul 1 article contient" if result.complete == 1 else \
        f"seuls {result.complete} articles contiennent"
    return f"{articles} tous les mots ; les suivants{without}"


def print_article(article, styled: bool) -> None:
    click.echo(click.style(article.title, bold=True) if styled else article.title)
    details = [
        ("id", article.id), ("author", article.author), ("published", article.published),
        ("site", article.site), ("url", article.url), ("origin", article.origin),
        ("added", article.added_at),
    ]
    for label, value in details:
        if value:
            click.echo(f"{label + ':':11}{value}")
    click.echo()
    click.echo("\n\n".join(article.body))


def print_stats(figures: dict) -> None:
    """`archive stats` for a person."""
    mb = 1024 * 1024
    click.echo(f"articles   {figures['articles']}  ({figures['versions']} versions, "
               f"{figures['originals']} originals)")
    click.echo(f"text       {figures['text_chars'] / 1e6:.1f} M characters")
    click.echo(f"originals  {figures['originals_bytes'] / mb:.1f} MiB as received, "
               f"{figures['originals_stored_bytes'] / mb:.1f} MiB kept (compressed)")
    click.echo(f"store      {figures['database_bytes'] / mb:.1f} MiB    index  "
               f"{figures['index_bytes'] / mb:.1f} MiB")
    published = figures["published"]
    if published["first"]:
        click.echo(f"published  {published['first'][:10]} to {published['last'][:10]}")
    if figures["added"]["first"]:
        click.echo(f"added      {figures['added']['first'][:10]} to {figures['added']['last'][:10]}")
    for entry in figures["sites"][:10]:
        click.echo(f"  {entry['articles']:>7}  {entry['site']}")
    if len(figures["sites"]) > 10:
        click.echo(f"  … and {len(figures['sites']) - 10} more sites")


def print_check(report, repaired: int | None) -> None:
    """`archive check` for a person: one line per kind of problem, then the verdict."""
    if report.database_problems:
        click.echo(f"the database file is damaged: {report.database_problems[0]}"
                   + (f" (and {len(report.database_problems) - 1} more)"
                      if len(report.database_problems) > 1 else ""))
        click.echo("restore archive.db from a backup or an export (`archive export` of a copy "
                   "may still read most of it)")
        return
    click.echo(f"{report.articles} articles in the archive, {report.indexed} in the index")
    problems = (
        ("originals whose bytes do not match their sha256", report.damaged_originals),
        ("articles missing from the index", report.missing_from_index),
        ("articles indexed more than once", report.duplicated_in_index),
        ("index entries with no article (orphans)", report.orphans_in_index),
    )
    for label, items in problems:
        if items:
            click.echo(f"{len(items)} {label}: {', '.join(i[:16] for i in items[:10])}"
                       + (" …" if len(items) > 10 else ""))
    if repaired is not None:
        click.echo(f"repaired: the index was rebuilt from the archive ({repaired} articles)")
    if report.ok:
        click.echo("ok: every original is intact and the index matches the archive")
    elif report.damaged_originals:
        click.echo("damaged originals cannot be repaired from the archive itself; restore "
                   "archive.db from a backup or an export")
    else:
        click.echo("the index does not match the archive: run `archive check --repair`")
