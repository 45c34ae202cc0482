"""The `archive` command: thin click commands over the library's ArchiveHome (index/home.py).

Imports of the library happen inside the commands, so `archive --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archive import __version__
from index.engines import ENGINES, REGISTRY

EXIT_INPUT_FAILED = 1
PROGRESS_THRESHOLD = 20  # inputs before a progress bar is worth showing


class ArchiveGroup(click.Group):
    """Turns the library's user-facing errors into one clear line, never a traceback."""

    def invoke(self, ctx: click.Context):
        from index.home import USER_ERRORS

        try:
            return super().invoke(ctx)
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            click.echo("archive: interrupted; everything reported before was kept", err=True)
            sys.exit(130)
        except OSError as error:  # disk full, read-only home, a folder that vanished
            where = f" ({error.filename})" if error.filename else ""
            raise click.ClickException(f"{error.strerror or error}{where}") from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as error:
            if os.environ.get("ARCHIVE_DEBUG"):
                raise
            raise click.ClickException(
                f"internal error ({error.__class__.__name__}: {error}); nothing committed was "
                "lost. Run again with ARCHIVE_DEBUG=1 to see where, and report it") from None


def default_home() -> Path:
    return Path(click.get_app_dir("archive"))


def open_home(home: Path, create: bool = False):
    """The archive in `home` with the engine chosen by --engine or $ARCHIVE_ENGINE; its
    notices (an index caught up or rebuilt) go to stderr as one line each."""
    from index.home import ArchiveHome

    engine = click.get_current_context().find_root().params.get("engine")
    return ArchiveHome(home, engine=engine, create=create, notify=notice)


def notice(message: str) -> None:
    click.echo(f"archive: {message}", err=True)


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVE_HOME",
              help="Archive folder (default: $ARCHIVE_HOME, then the user data folder).")
@click.option("--engine", type=click.Choice(ENGINES, case_sensitive=False), envvar="ARCHIVE_ENGINE",
              help="Search engine: " + "; ".join(f"{name}, {what}"
                                                 for name, (_, _, what) in REGISTRY.items()) + ".")
@click.version_option(__version__, prog_name="archive")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, engine: str | None) -> None:
    """Keep news articles and find them again with French-aware full-text search.

    \b
    archive add ~/Articles/           keep every saved page in a folder
    archive search "Soleimani"        ranked results with highlighted snippets
    archive show 192eed5866ea         read one article
    """
    ctx.obj = home or default_home()


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--urls", "url_lists", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A file of URLs to fetch, one per line (# starts a comment).")
@click.option("--bookmarks", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A browser bookmark export (HTML) whose links to fetch.")
@click.option("--url", "stdin_url", metavar="URL",
              help="Where the page read from stdin (-) came from.")
@click.option("--refresh", is_flag=True,
              help="Fetch URLs already archived again; changed content becomes a new version.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds to wait for a web server.")
@click.option("--max-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Refuse inputs larger than this many megabytes.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome of each input as JSON.")
@click.pass_obj
def add(home: Path, paths: tuple[str, ...], url_lists: tuple[Path, ...], bookmarks: tuple[Path, ...],
        stdin_url: str | None, refresh: bool, timeout: float, max_size: int, as_json: bool) -> None:
    """Archive article pages: HTML files, plain-text copies, MHTML and WARC files, folders,
    globs, URLs, or - for stdin.

    \b
    archive add ~/Articles/ page.html copy.txt saved.mhtml crawl.warc.gz
    archive add https://www.lesoir.be/265640/article/...
    archive add --urls reading-list.txt --bookmarks bookmarks.html
    curl -s URL | archive add - --url URL

    The original bytes are kept; adding the same bytes again does nothing.
    """
    from cli.output import print_json, progress

    if not (paths or url_lists or bookmarks):
        raise click.UsageError("name pages, folders or URLs to add (or --urls / --bookmarks FILE)")
    bar = progress("Archiving", shown=sys.stdout.isatty() and not as_json,
                   threshold=PROGRESS_THRESHOLD)

    def reported(outcome) -> None:
        if not as_json:
            _print_outcome(outcome, clear=bar.visible)
        bar.update(1)

    with open_home(home, create=True) as archive, bar:
        report = archive.add_inputs(paths, url_lists, bookmarks, stdin_url=stdin_url,
                                    timeout=timeout, max_bytes=max_size * 1024 * 1024,
                                    refresh=refresh, on_start=bar.start, on_outcome=reported)
    if report.index_problem:
        notice(f"{report.index_problem}; the articles are archived and the next command "
               "will index them")
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.failed:
        sys.exit(EXIT_INPUT_FAILED)


class SearchCommand(click.Command):
    """`archive search Irak -Otan`: a -word that is not an option of the command is a
    word to exclude from the query, not an unknown option (--words stay options)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        options_of = [p for p in self.get_params(ctx) if isinstance(p, click.Option)]
        takes_value = {name for p in options_of if not p.is_flag for name in p.opts}
        known = {name for p in options_of for name in p.opts + p.secondary_opts}
        options, words, rest = [], [], list(args)
        while rest:
            arg = rest.pop(0)
            if arg == "--":
                words += rest
                break
            name = arg.split("=", 1)[0]
            if name in known or arg.startswith("--"):  # an unknown --option stays an error
                options.append(arg)
                if name in takes_value and "=" not in arg and rest:
                    options.append(rest.pop(0))
            else:
                words.append(arg)
        return super().parse_args(ctx, options + ["--"] + words)


@cli.command(cls=SearchCommand)
@click.argument("query", nargs=-1, required=True)
@click.option("-n", "--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="How many results to show.")
@click.option("--offset", type=click.IntRange(min=0), default=0, show_default=True,
              help="Skip this many results first (the next page).")
@click.option("--sort", type=click.Choice(["relevance", "date"]), default="relevance",
              show_default=True, help="Best match first, or newest first.")
@click.option("--site", help="Only articles from this site (e.g. \"Le Soir\").")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE "
              "(YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@click.option("--all", "every_copy", is_flag=True,
              help="Show each copy of a story kept from several sites, instead of one hit "
              "that notes 'also in: …'.")
@click.option("--strict", is_flag=True,
              help="Only articles with every word, even when that leaves the page empty.")
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.pass_obj
def search(home: Path, query: tuple[str, ...], limit: int, offset: int, sort: str,
           site: str | None, since: str | None, until: str | None, every_copy: bool,
           strict: bool, as_json: bool) -> None:
    """Find articles: all words first, ranked, with highlighted snippets.

    \b
    Accents, case and word forms do not matter: etat finds État, soldat finds soldats.
    soldats irakiens           both words, anywhere in the title or the text
    Irak OR Iran, -Otan        either word; without a word (also NOT Otan)
    "l'État islamique"         an exact phrase
    title:Soleimani            a word of the title (also author:, site:)
    published:2020-01..2020-03 a date range (also published:2020)
    djihad*                    words that start with a prefix
    Pourquoi les gardiens sont-ils en grève ?   a question: its question words are left out

    When fewer articles than the page holds have every word, the page goes on with
    those that have the most of them (phrases, -word, NOT and fields stay required);
    --strict keeps every word required. Text that is not valid syntax (a pasted
    "Isaac:Rebirth") is searched as the words it holds.
    """
    from cli.output import print_json, print_results
    from index.home import QueryError

    with open_home(home) as archive:
        try:
            result = archive.search(" ".join(query), limit=limit, offset=offset, sort=sort,
                                    site=site, since=since, until=until,
                                    collapse=not every_copy, strict=strict)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
    if result.literal:
        notice(f"not a valid query ({result.literal}); searched for the words: {result.searched}")
    if as_json:
        print_json(result.to_json())
    else:
        print_results(result, offset)


@cli.command()
@click.argument("article_id")
@click.option("--versions", "with_versions", is_flag=True,
              help="List the kept versions (date, sha256, origin) instead of the text.")
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.pass_obj
def show(home: Path, article_id: str, with_versions: bool, as_json: bool) -> None:
    """Show one article: its metadata and clean text (an id prefix is enough)."""
    from cli.output import print_article, print_json, use_style

    with open_home(home) as archive:
        if with_versions:
            report = archive.versions(article_id)
        else:
            article = archive.article(article_id)
    if with_versions:
        if as_json:
            print_json(report.to_json())
            return
        for v in report.versions:
            mark = "*" if v.number == report.article.version else " "
            click.echo(f"{mark}{v.number:>3}  {v.added_at}  {v.sha256[:16]}  {v.origin or ''}")
    elif as_json:
        print_json(article.to_json())
    else:
        print_article(article, use_style())


@cli.command(name="list")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=None,
              help="Show only the most recent N.")
@click.option("--duplicates", is_flag=True,
              help="Show only the stories kept more than once (near-duplicates), by group.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_obj
def list_(home: Path, limit: int | None, duplicates: bool, as_json: bool) -> None:
    """List archived articles, the most recently added first."""
    from cli.output import print_json
    from index.home import brief_json

    def line(a) -> str:
        return f"{a.id}  {(a.published or '')[:10]:10}  {(a.site or '')[:16]:16}  {a.title}"

    with open_home(home) as archive:
        if duplicates:
            groups = archive.duplicate_groups(limit)
        else:
            articles = archive.articles(limit)
    if duplicates:
        if as_json:
            print_json([{"group": g[0].group, "articles": [brief_json(a) for a in g]} for g in groups])
            return
        for number, group in enumerate(groups, 1):
            click.echo(f"{number}. {len(group)} copies of the same story")
            for a in group:
                click.echo(f"   {line(a)}")
        if not groups:
            click.echo("No near-duplicates.")
        return
    if as_json:
        print_json([brief_json(a) for a in articles])
        return
    for a in articles:
        click.echo(line(a))


@cli.command()
@click.pass_obj
def reindex(home: Path) -> None:
    """Rebuild the search index from the archive of record."""
    with open_home(home) as archive:
        total = archive.store.count()
        show_bar = sys.stderr.isatty() and total >= PROGRESS_THRESHOLD * 10
        with click.progressbar(length=total, label="Indexing", file=sys.stderr,
                               hidden=not show_bar) as bar:
            count = archive.reindex(progress=bar.update)
    click.echo(f"indexed {count} article{'s' if count != 1 else ''}")


@cli.command()
@click.argument("article_ids", nargs=-1, required=True)
@click.option("--purge", is_flag=True,
              help="Also delete the kept originals and versions, for good.")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@click.pass_obj
def remove(home: Path, article_ids: tuple[str, ...], purge: bool, as_json: bool) -> None:
    """Take articles out of the archive and the index.

    By default the originals are kept: adding the page again brings the article back.
    """
    from cli.output import print_json

    with open_home(home) as archive:
        report = archive.remove(article_ids, purge=purge)
    for wanted in report.unknown:
        notice(f"no article with id {wanted!r}")
    if as_json:
        print_json(report.to_json())
    else:
        for article in report.removed:
            click.echo(f"removed  {article.id}" + ("  (originals deleted)" if purge else ""))
    if report.unknown:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.argument("article_ids", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Re-extract every article.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def reextract(home: Path, article_ids: tuple[str, ...], everything: bool, as_json: bool) -> None:
    """Run the current cleaner again on the kept originals.

    Articles whose clean text changes get a new version; the old one is kept.
    """
    from cli.output import print_json

    if bool(article_ids) == everything:
        raise click.UsageError("give article ids or --all")
    with open_home(home) as archive:
        total = archive.store.count() if everything else len(article_ids)
        show_bar = sys.stderr.isatty() and total >= PROGRESS_THRESHOLD
        with click.progressbar(length=total, label="Re-extracting", file=sys.stderr,
                               hidden=not show_bar) as bar:
            report, unknown = archive.reextract(None if everything else article_ids,
                                                progress=bar.update)
    for wanted in unknown:
        notice(f"no article with id {wanted!r}")
    for article_id, reason in report.failed:
        notice(f"{article_id}: {reason}")
    if as_json:
        print_json(report.to_json(unknown))
    else:
        click.echo(f"{len(report.changed)} changed, {report.unchanged} unchanged, "
                   f"{len(report.failed)} failed")
    if unknown or report.failed:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command(name="export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def export_(home: Path, file: Path) -> None:
    """Write the whole archive to FILE: JSON Lines, or a .tar.gz with the originals as files.

    Every version and every original byte is included; `archive import` reads it back.
    """
    with open_home(home) as archive:
        count = archive.export(file)
    click.echo(f"exported {count} version{'s' if count != 1 else ''} to {file}")


@cli.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def import_(home: Path, file: Path, as_json: bool) -> None:
    """Read an export (JSON Lines or .tar.gz) into the archive, keeping ids and versions."""
    from cli.output import print_json

    with open_home(home, create=True) as archive:
        report = archive.import_export(file)
    for problem in report.problems:
        notice(f"{file}: {problem}")
    if as_json:
        print_json({"imported": report.versions, "problems": report.problems})
    else:
        click.echo(f"imported {report.versions} version{'s' if report.versions != 1 else ''}"
                   + (f", {len(report.problems)} entries skipped" if report.problems else ""))
    if report.problems:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def stats(home: Path, as_json: bool) -> None:
    """Counts, sizes, sites and date range of the archive."""
    from cli.output import print_json, print_stats

    with open_home(home) as archive:
        figures = archive.stats()
    if as_json:
        print_json(figures)
    else:
        print_stats(figures)


@cli.command()
@click.option("--repair", is_flag=True, help="Rebuild the index from the archive if it is off.")
@click.option("--full", is_flag=True,
              help="Also compare every database index with its table (slower).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def check(home: Path, repair: bool, full: bool, as_json: bool) -> None:
    """Verify the database file, every original's sha256, and that the index holds each
    article exactly once."""
    from cli.output import print_check, print_json

    with open_home(home) as archive:
        report, repaired = archive.check(repair=repair, full=full)
    if as_json:
        print_json({**report.to_json(), "repaired": repaired})
    else:
        print_check(report, repaired)
    if not report.ok:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets others read the archive.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: a free one, printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the address in a browser.")
@click.pass_obj
def serve(home: Path, host: str, port: int, open_browser: bool) -> None:
    """Search and read the archive in a browser, until Ctrl-C (needs the web extra)."""
    try:
        from web.server import serve as serve_archive
    except ImportError as error:
        raise click.ClickException(f"the web interface needs its extra ({error.name} is missing): "
                                   "pip install 'archive[web]'") from None
    engine = click.get_current_context().find_root().params.get("engine")
    serve_archive(home, engine, host, port, open_browser, say=click.echo,
                  notice=lambda line: click.echo(line, err=True))


def _print_outcome(outcome, clear: bool) -> None:
    prefix = "\r\033[K" if clear else ""
    if outcome.status == "failed":
        click.echo(f"{prefix}archive: {outcome.origin}: {outcome.error}", err=True)
    elif outcome.status == "skipped":
        click.echo(f"{prefix}skipped  {outcome.origin} ({outcome.error})")
    elif outcome.status == "added":
        click.echo(f"{prefix}added    {outcome.article.id}  {outcome.article.title}")
    elif outcome.status == "updated":
        click.echo(f"{prefix}version  {outcome.article.id}  {outcome.article.title} "
                   f"(version {outcome.article.version})")
    else:
        title = outcome.article.title or outcome.origin
        click.echo(f"{prefix}already  {outcome.article.id}  {title}")


def main() -> None:
    cli(prog_name="archive")


if __name__ == "__main__":
    main()
