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
    click.echo()


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
