"""The `archive` command: thin click commands over the library's ArchiveHome (index/home.py).

Imports of the library happen inside the commands, so `archive --help` stays fast.
Exit codes: 0 ok, 1 some inputs failed (or a search found nothing), 2 usage error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from archive import __version__
from cli.output import COLOR_CHOICES
from index.engines import ENGINES, REGISTRY

EXPORT_FORMATS = ("jsonl", "tar.gz", "csv", "bookmarks", "markdown", "csl")  # archive/exports

EXIT_INPUT_FAILED = 1
EXIT_NOTHING_FOUND = 1
PROGRESS_THRESHOLD = 20  # inputs before a progress bar is worth showing


class ArchiveGroup(click.Group):
    """Turns the library's user-facing errors into one clear line, never a traceback."""

    def invoke(self, ctx: click.Context):
        from index.home import USER_ERRORS, BadArticleId, LabelError

        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a closed pipe shows here, not at exit
            return result
        except BadArticleId as error:  # before USER_ERRORS: it is one, but a usage error
            raise click.UsageError(str(error), ctx) from None
        except LabelError as error:  # a tag name with a comma, a note too long
            raise click.UsageError(str(error), ctx) from None
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        except KeyboardInterrupt:
            click.echo("archive: interrupted; everything reported before was kept", err=True)
            sys.exit(130)
        except BrokenPipeError:  # `archive list | head`: the reader has what it wanted
            _silence_stdout()
            sys.exit(0)
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


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so Python's flush at exit finds no closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test's capture)
        pass


def typed(text: str) -> str:
    """An argument as the user typed it: bytes the locale could not decode (which Python
    keeps as lone surrogates) read as UTF-8, else as cp1252, as pages are."""
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def open_home(home: Path, create: bool = False, quiet: bool = False):
    """The archive in `home` with the engine chosen by --engine or $ARCHIVE_ENGINE; its
    notices (an index caught up or rebuilt) go to stderr as one line each, unless quiet."""
    from index.home import ArchiveHome

    engine = click.get_current_context().find_root().params.get("engine")
    return ArchiveHome(home, engine=engine, create=create,
                       notify=(lambda message: None) if quiet else notice)


def notice(message: str) -> None:
    click.echo(f"archive: {message}", err=True)


def shown():
    """The look of output on this stdout (--color, NO_COLOR, TERM, the terminal's width)."""
    from cli.output import look

    return look(click.get_current_context().find_root().params.get("color") or "auto")


def page(text: str, no_pager: bool = False) -> None:
    """Print text, through the pager on a terminal unless --no-pager (here or global)."""
    from cli import pager

    root = click.get_current_context().find_root().params
    pager.show(text, paging=not (no_pager or root.get("no_pager")), styled=shown().escapes)


def complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str):
    """Shell completion of article ids, with titles, from the archive being used."""
    from click.shell_completion import CompletionItem

    from index.home import ArchiveHome, default_home

    home = ctx.find_root().params.get("home") or default_home()
    try:
        with ArchiveHome(home) as archive:
            return [CompletionItem(a.id, help=a.title[:60]) for a in archive.completions(incomplete)]
    except Exception:  # completion must never print an error into the user's prompt
        return []


quiet_option = click.option("-q", "--quiet", is_flag=True,
                            help="Print only errors and the summary (no notices, no progress).")
verbose_option = click.option("-v", "--verbose", is_flag=True, help="Print a line for every item.")
json_option = click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
no_pager_option = click.option("--no-pager", is_flag=True, help="Never page the output.")
tag_filter_option = click.option("--tag", "tags", metavar="NAME", multiple=True,
                                 help="Only articles with this tag (repeat: with every one).")


@click.group(cls=ArchiveGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="ARCHIVE_HOME",
              help="Archive folder (default: $ARCHIVE_HOME, then the user data folder, "
              "~/.local/share/archive on Linux).")
@click.option("--engine", type=click.Choice(ENGINES, case_sensitive=False), envvar="ARCHIVE_ENGINE",
              help="Search engine: " + "; ".join(f"{name}, {what}"
                                                 for name, (_, _, what) in REGISTRY.items()) + ".")
@click.option("--color", type=click.Choice(COLOR_CHOICES), default="auto", show_default=True,
              help="Style the output: on a terminal only (auto), always, or never.")
@click.option("--no-pager", is_flag=True, help="Never send long output through a pager.")
@click.version_option(__version__, prog_name="archive")
@click.pass_context
def cli(ctx: click.Context, home: Path | None, engine: str | None, color: str,
        no_pager: bool) -> None:
    """Keep news articles and find them again with French-aware full-text search.

    \b
    Examples:
      archive add ~/Articles/       keep every saved page of a folder
      archive search Soleimani      ranked results, highlighted snippets
      archive show acda0cce6a05     read one article (or a prefix: acda)

    A search that finds nothing exits 1. Long output goes through a pager
    ($ARCHIVE_PAGER, $PAGER, else less) on a terminal. Shell completion:
    `archive completion bash` (or zsh, fish).
    """
    if home is None:
        from index.home import default_home

        home = default_home(notice)
    ctx.obj = home


@cli.command()
@click.argument("paths", nargs=-1)
@click.option("--urls", "url_lists", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A file of URLs to fetch, one per line (# starts a comment).")
@click.option("--bookmarks", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              multiple=True, help="A browser bookmark export (HTML) whose links to fetch.")
@click.option("--feed", "feeds", metavar="URL", multiple=True,
              help="An RSS or Atom feed: fetch the pages of the items earlier reads did not "
              "take (new, or changed since).")
@click.option("--url", "stdin_url", metavar="URL",
              help="Where the page read from stdin (-) came from.")
@click.option("--refresh", is_flag=True,
              help="Fetch URLs already archived again; changed content becomes a new version, "
              "and each line says whether the text changed.")
@click.option("--tag", "tags", metavar="NAME", multiple=True,
              help="Tag every article named (repeat for several tags).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=20.0, show_default=True,
              help="Seconds one web page may take in all (connection, redirects, body).")
@click.option("--max-size", type=click.IntRange(min=1), default=50, show_default=True,
              help="Refuse inputs larger than this many megabytes (gzipped pages once "
              "decompressed).")
@quiet_option
@verbose_option
@click.option("--json", "as_json", is_flag=True, help="Print the outcome of each input as JSON.")
@click.pass_obj
def add(home: Path, paths: tuple[str, ...], url_lists: tuple[Path, ...], bookmarks: tuple[Path, ...],
        feeds: tuple[str, ...], stdin_url: str | None, refresh: bool, tags: tuple[str, ...],
        timeout: float, max_size: int,
        quiet: bool, verbose: bool, as_json: bool) -> None:
    """Archive article pages: HTML files (also .html.gz), plain-text copies, MHTML and
    WARC files, folders, globs, URLs, or - for stdin.

    \b
    Examples:
      archive add ~/Articles/ page.html copy.txt
      archive add saved.mhtml crawl.warc.gz page.html.gz
      archive add https://www.lesoir.be/265640/article/...
      archive add --urls list.txt --bookmarks bookmarks.html
      archive add --feed https://www.example.org/rss.xml
      archive add --tag "Affaire Benalla" ~/Articles/benalla/
      archive add --refresh https://www.lesoir.be/265640/article/...
      curl -s URL | archive add - --url URL

    The original bytes are kept; adding the same bytes again does nothing. A bookmark
    export's TAGS and folders become the articles' tags. A feed remembers its items: run
    the same command from cron to add only the new ones.
    """
    from cli.output import Progress, print_json

    if not (paths or url_lists or bookmarks or feeds):
        raise click.UsageError("name pages, folders or URLs to add (or --urls / --bookmarks FILE, "
                               "--feed URL)")
    for feed in feeds:
        if not feed.lower().startswith(("http://", "https://")):
            raise click.UsageError(f"--feed takes the http(s) address of a feed, not {feed!r}")
    bar = Progress("Archiving", PROGRESS_THRESHOLD, quiet=quiet or as_json)

    def reported(outcome) -> None:
        if outcome.status == "failed":
            bar.echo(f"archive: {outcome.origin}: {outcome.error}", err=True)
        elif not (as_json or quiet):
            bar.echo(_outcome_line(outcome, verbose))
        bar.update(1)

    def read(feed) -> None:
        if not (as_json or quiet):
            bar.echo(f"feed     {feed.url}  {feed.title or ''}: {feed.items} item"
                     f"{'s' if feed.items != 1 else ''}, {feed.fetched} to fetch")

    with open_home(home, create=True, quiet=quiet) as archive, bar:
        report = archive.add_inputs(paths, url_lists, bookmarks, stdin_url=stdin_url,
                                    timeout=timeout, max_bytes=max_size * 1024 * 1024,
                                    refresh=refresh, feeds=feeds, on_start=bar.start,
                                    on_outcome=reported, on_feed=read, tags=tags)
    if report.index_problem:
        notice(f"{report.index_problem}; the articles are archived and the next command "
               "will index them")
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(report.summary())
    if report.failed:
        sys.exit(EXIT_INPUT_FAILED)


def _outcome_line(outcome, verbose: bool) -> str:
    article = outcome.article
    if outcome.status == "skipped":
        line = f"skipped  {outcome.origin} ({outcome.error})"
    elif outcome.status == "added":
        line = f"added    {article.id}  {article.title}"
    elif outcome.status == "updated":
        line = f"version  {article.id}  {article.title} (version {article.version})"
    else:
        line = f"already  {article.id}  {article.title or outcome.origin}"
    if outcome.note:
        line += f"  ({outcome.note})"
    if outcome.text_change:
        line += f"  ({outcome.text_change})"
    if verbose and outcome.status != "skipped":
        line += f"  ← {outcome.origin}"
    return line


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
              show_default=True, help="Best match first, or newest first (undated last).")
@click.option("--site", help="Only articles from this site: a name (\"Le Soir\") or a domain "
              "(lesoir.be).")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE "
              "(YYYY, YYYY-MM or YYYY-MM-DD).")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@tag_filter_option
@click.option("--copies", "every_copy", is_flag=True,
              help="Show each copy of a story kept from several sites as its own hit, "
              "instead of one hit that notes 'also in: …'.")
@click.option("--strict", is_flag=True,
              help="Only articles with every word, even when that leaves the page empty.")
@no_pager_option
@click.option("--json", "as_json", is_flag=True, help="Print results as JSON.")
@click.pass_obj
def search(home: Path, query: tuple[str, ...], limit: int, offset: int, sort: str,
           site: str | None, since: str | None, until: str | None, tags: tuple[str, ...],
           every_copy: bool, strict: bool, no_pager: bool, as_json: bool) -> None:
    """Find articles: all words first, ranked, with highlighted snippets. Exits 1
    when nothing is found (the JSON is printed all the same).

    \b
    Accents, case and word forms do not matter: etat finds État.
    soldats irakiens        both words, in the title or the text
    Irak OR Iran, -Otan     either word; without a word (NOT Otan)
    "l'État islamique"      an exact phrase
    title:Soleimani         a word of the title (also author:)
    site:"Le Soir"          a site by name, or site:lesoir.be
    url:lesoir.be/monde     words of the article's URL, in order
    published:2020-01..03   a date range (also published:2020)
    tag:benalla             a tag of yours (tag:"affaire Benalla")
    note:témoin             words of your note on the article
    djihad*                 words that start with a prefix
    Pourquoi sont-ils en grève ?  a question: without its question words

    When fewer articles than the page holds have every word, the page goes on with
    those that have the most of them (phrases, -word, NOT and fields stay required);
    --strict keeps every word required. Text that is not valid syntax (a pasted
    "Isaac:Rebirth") is searched as the words it holds.

    \b
    Examples:
      archive search Soleimani
      archive search coalition soldat --limit 5 --json
      archive search Irak --site lemonde.fr --sort date
      archive search Macron --tag benalla
      archive search Pourquoi sont-ils en grève --strict
    """
    from cli.output import print_json, render_results
    from index.home import QueryError

    with open_home(home) as archive:
        try:
            result = archive.search(typed(" ".join(query)), limit=limit, offset=offset, sort=sort,
                                    site=site, since=since, until=until,
                                    collapse=not every_copy, strict=strict, tags=tags)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
    if result.literal:
        notice(f"not a valid query ({result.literal}); searched for the words: {result.searched}")
    if as_json:
        print_json(result.to_json())
    else:
        page(render_results(result, offset, shown()), no_pager)
    if not result.hits:
        sys.exit(EXIT_NOTHING_FOUND)


@cli.command()
@click.argument("wanted", metavar="ID|URL|FILE", shell_complete=complete_ids)
@click.option("--versions", "with_versions", is_flag=True,
              help="List the kept versions (number, date, sha256, origin) instead of the text.")
@click.option("--version", "number", type=click.IntRange(min=1), metavar="N",
              help="Show version N as it was kept (see --versions).")
@click.option("--original", is_flag=True,
              help="Write the kept original bytes (of --version N, else the current one) "
              "to stdout.")
@no_pager_option
@click.option("--json", "as_json", is_flag=True, help="Print the article as JSON.")
@click.pass_obj
def show(home: Path, wanted: str, with_versions: bool, number: int | None, original: bool,
         no_pager: bool, as_json: bool) -> None:
    """Show one article: its metadata and clean text. Name it by its id (a prefix is
    enough), by a URL it was archived from, or by the file it was added from.

    \b
    Examples:
      archive show acda0cce6a05
      archive show acda --versions
      archive show https://www.lesoir.be/265640/article/...
      archive show ~/Articles/page.html      do I already have it?
      archive show acda --version 1 --original > page.html
    """
    from cli.output import print_json, render_article, render_versions

    if with_versions and (number or original):
        raise click.UsageError("--versions lists every version: leave out --version and --original")
    with open_home(home) as archive:
        if with_versions:
            report = archive.versions(wanted)
        elif number:
            article = archive.version(wanted, number)
        else:
            article = archive.find(wanted)
        data = archive.original(article.id, number) if original else None
    if data is not None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    elif with_versions and as_json:
        print_json(report.to_json())
    elif with_versions:
        page(render_versions(report), no_pager)
    elif as_json:
        print_json(article.to_json())
    else:
        page(render_article(article, shown()), no_pager)


@cli.command(name="list")
@click.option("-n", "--limit", type=click.IntRange(min=1), default=None,
              help="Show only the most recent N.")
@click.option("--duplicates", is_flag=True,
              help="Show only the stories kept more than once (near-duplicates), by group.")
@click.option("--tag", metavar="NAME", help="Only the articles with this tag.")
@click.option("--changed", is_flag=True,
              help="Only the articles kept in versions of different text (see `archive diff`), "
              "the most recently updated first.")
@no_pager_option
@click.option("--json", "as_json", is_flag=True, help="Print the list as one JSON array.")
@click.option("--nl", "as_lines", is_flag=True,
              help="Print JSON Lines: one article (or group) per line, for large archives.")
@click.pass_obj
def list_(home: Path, limit: int | None, duplicates: bool, tag: str | None, changed: bool,
          no_pager: bool, as_json: bool, as_lines: bool) -> None:
    """List archived articles, the most recently added first.

    \b
    Examples:
      archive list -n 20
      archive list --duplicates
      archive list --tag benalla
      archive list --changed
      archive list --nl | grep '"site": "Le Soir"'
    """
    from cli.output import json_lines, print_json, render_groups, render_listing

    if duplicates and (tag or changed):
        raise click.UsageError("--duplicates lists groups: leave out --tag and --changed")
    with open_home(home) as archive:
        if duplicates:
            found = archive.duplicate_groups(limit)
        else:
            found = archive.listing(limit, tag=tag, changed=changed)
    if as_lines:
        text = json_lines(found.to_json())
        if text:
            click.echo(text)
    elif as_json:
        print_json(found.to_json())
    else:
        text = render_groups(found) if duplicates else render_listing(found)
        if text:
            page(text, no_pager)


@cli.command()
@click.argument("ids_and_name", metavar="ID... NAME", nargs=-1, required=True,
                shell_complete=complete_ids)
@json_option
@click.pass_obj
def tag(home: Path, ids_and_name: tuple[str, ...], as_json: bool) -> None:
    """Give articles a tag: a dossier of your own. Case, accents and spaces aside, a
    tag is one tag (Benalla = benalla); it stays through new versions and `reextract`.

    \b
    Examples:
      archive tag acda0cce6a05 benalla
      archive tag acda b7ef "Affaire Benalla"
      archive search tag:benalla
    """
    _label(home, ids_and_name, as_json, remove=False)


@cli.command()
@click.argument("ids_and_name", metavar="ID... NAME", nargs=-1, required=True,
                shell_complete=complete_ids)
@json_option
@click.pass_obj
def untag(home: Path, ids_and_name: tuple[str, ...], as_json: bool) -> None:
    """Take a tag off articles.

    \b
    Examples:
      archive untag acda0cce6a05 benalla
    """
    _label(home, ids_and_name, as_json, remove=True)


def _label(home: Path, ids_and_name: tuple[str, ...], as_json: bool, remove: bool) -> None:
    from cli.output import print_json, render_tagging

    if len(ids_and_name) < 2:
        raise click.UsageError("name the articles, then the tag: ID... NAME")
    *wanted, name = ids_and_name
    with open_home(home) as archive:
        report = archive.untag(wanted, name) if remove else archive.tag(wanted, name)
    for unknown in report.unknown:
        notice(f"no article with id {unknown!r}")
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(render_tagging(report, remove))
    if report.unknown:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@json_option
@click.pass_obj
def tags(home: Path, as_json: bool) -> None:
    """List the tags with how many articles have each.

    \b
    Examples:
      archive tags
      archive tags --json
    """
    from cli.output import print_json, render_tags

    with open_home(home) as archive:
        found = archive.tags()
    if as_json:
        print_json(found.to_json())
    elif found.tags:
        click.echo(render_tags(found))


@cli.command()
@click.argument("wanted", metavar="ID", shell_complete=complete_ids)
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Delete the article's note.")
@json_option
@click.pass_obj
def note(home: Path, wanted: str, text: str | None, clear: bool, as_json: bool) -> None:
    """Write a note on an article (replacing the one it had), print it, or --clear it.
    Notes are searched with note: and shown by `archive show`; - reads the note from stdin.

    \b
    Examples:
      archive note acda0cce6a05 "Témoin clé : voir l'audition"
      archive note acda                 # print the note
      archive note acda --clear
      archive search note:audition
    """
    from cli.output import print_json

    if clear and text is not None:
        raise click.UsageError("--clear deletes the note: leave out the text")
    if text == "-":
        text = sys.stdin.read()
    with open_home(home) as archive:
        report = archive.note(wanted, text, clear=clear)
    if as_json:
        print_json(report.to_json())
    elif text is None and not clear:
        if report.note:
            click.echo(report.note)
    elif clear:
        click.echo(f"{'cleared the note of' if report.changed else 'no note on'} {report.article.id}")
    else:
        click.echo(f"{'noted' if report.changed else 'the same note on'} {report.article.id}")


@cli.command()
@click.argument("wanted", metavar="ID|URL|FILE", shell_complete=complete_ids)
@click.argument("old", metavar="[V1", type=click.IntRange(min=1), required=False)
@click.argument("new", metavar="[V2]]", type=click.IntRange(min=1), required=False)
@no_pager_option
@json_option
@click.pass_obj
def diff(home: Path, wanted: str, old: int | None, new: int | None, no_pager: bool,
         as_json: bool) -> None:
    """What changed between two kept versions of an article, by paragraph and by word:
    the one before the current and the current, V1 and the current, or V1 and V2.

    Paragraph 0 is the title; the body's paragraphs follow from 1 (the standfirst,
    when there is one, is paragraph 1). Removed words are red, added ones green on a
    terminal, else [-removed-] and {+added+}.

    \b
    Examples:
      archive diff acda0cce6a05
      archive diff acda 1 3 --json
      archive show acda --versions      # the version numbers
    """
    from cli.output import print_json, render_diff

    with open_home(home) as archive:
        changes = archive.diff(wanted, old, new)
    if as_json:
        print_json(changes.to_json())
    else:
        page(render_diff(changes, shown()), no_pager)


@cli.command()
@quiet_option
@verbose_option
@json_option
@click.pass_obj
def reindex(home: Path, quiet: bool, verbose: bool, as_json: bool) -> None:
    """Rebuild the search index from the archive of record.

    \b
    Examples:
      archive reindex
      archive --engine whoosh reindex -v
    """
    from cli.output import Progress, print_json

    with open_home(home, quiet=quiet) as archive, \
            Progress("Indexing", PROGRESS_THRESHOLD * 10, quiet=quiet or as_json) as bar:
        bar.start(archive.store.count())
        report = archive.reindex(progress=bar.update)
    if as_json:
        print_json(report.to_json())
        return
    line = f"indexed {report.indexed} article{'s' if report.indexed != 1 else ''}"
    click.echo(line + (f" with {report.engine} in {report.seconds:.1f} s" if verbose else ""))


@cli.command()
@click.argument("article_ids", nargs=-1, required=True, shell_complete=complete_ids)
@click.option("--purge", is_flag=True,
              help="Also delete the kept originals and versions, for good.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation on a terminal.")
@click.option("--dry-run", is_flag=True, help="Only print what would be removed.")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as JSON.")
@click.pass_obj
def remove(home: Path, article_ids: tuple[str, ...], purge: bool, yes: bool, dry_run: bool,
           as_json: bool) -> None:
    """Take articles out of the archive and the index. On a terminal, asks first.

    By default the originals are kept: adding the page again brings the article back
    (and `export --removed` still exports it).

    \b
    Examples:
      archive remove acda0cce6a05 --dry-run
      archive remove acda0cce6a05 b7efdfd0b295 --yes
      archive remove acda0cce6a05 --purge
    """
    from cli.output import print_json

    with open_home(home) as archive:
        plan = archive.remove(article_ids, purge=purge, dry_run=True)
        for wanted in plan.unknown:
            notice(f"no article with id {wanted!r}")
        ask = plan.removed and not (yes or dry_run or as_json) and sys.stdin.isatty()
        if ask:
            for article in plan.removed:
                click.echo(f"{article.id}  {article.title}")
            what = f"{len(plan.removed)} article{'s' if len(plan.removed) != 1 else ''}"
            click.confirm(f"Remove {what}" + (" and delete their originals" if purge else "") + "?",
                          abort=True)
        report = plan if dry_run else archive.remove([a.id for a in plan.removed], purge=purge)
        report.unknown = plan.unknown
    if as_json:
        print_json(report.to_json())
    else:
        verb = "would remove" if dry_run else "removed"
        for article in report.removed:
            click.echo(f"{verb}  {article.id}  {article.title}"
                       + ("  (originals deleted)" if purge and not dry_run else ""))
    if report.unknown:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.argument("article_ids", nargs=-1, shell_complete=complete_ids)
@click.option("--all", "everything", is_flag=True, help="Re-extract every article.")
@quiet_option
@verbose_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def reextract(home: Path, article_ids: tuple[str, ...], everything: bool, quiet: bool,
              verbose: bool, as_json: bool) -> None:
    """Run the current cleaner again on the kept originals.

    Articles whose clean text changes get a new version; the old one is kept.

    \b
    Examples:
      archive reextract --all
      archive reextract acda0cce6a05 -v
    """
    from cli.output import Progress, print_json

    if bool(article_ids) == everything:
        raise click.UsageError("give article ids or --all")
    with open_home(home, quiet=quiet) as archive, \
            Progress("Re-extracting", PROGRESS_THRESHOLD, quiet=quiet or as_json) as bar:
        bar.start(archive.store.count() if everything else len(article_ids))
        result = archive.reextract(None if everything else article_ids, progress=bar.update)
    report = result.report
    for wanted in result.unknown:
        notice(f"no article with id {wanted!r}")
    for article_id, reason in report.failed:
        notice(f"{article_id}: {reason}")
    if as_json:
        print_json(result.to_json())
    else:
        if verbose:
            for article_id in report.changed:
                click.echo(f"changed  {article_id}")
        click.echo(f"{len(report.changed)} changed, {report.unchanged} unchanged, "
                   f"{len(report.failed)} failed")
    if result.unknown or report.failed:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command(name="export")
@click.argument("file", metavar="FILE|-")
@click.option("--format", "kind", type=click.Choice(EXPORT_FORMATS),
              help="The format, when FILE's name does not say it (- is JSON Lines): jsonl, "
              "tar.gz, csv, bookmarks (.html), markdown (a folder), csl (CSL-JSON).")
@click.option("--query", metavar="QUERY", help="Only the articles this search finds.")
@click.option("--site", help="Only articles from this site (a name or a domain).")
@click.option("--since", metavar="DATE", help="Only articles published on or after DATE.")
@click.option("--until", metavar="DATE", help="Only articles published on or before DATE.")
@tag_filter_option
@click.option("--removed", is_flag=True,
              help="Also the removed articles whose originals are kept (imported as removed).")
@quiet_option
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON (on "
              "stderr when the export goes to stdout).")
@click.pass_obj
def export_(home: Path, file: str, kind: str | None, query: str | None, site: str | None,
            since: str | None, until: str | None, tags: tuple[str, ...], removed: bool,
            quiet: bool, as_json: bool) -> None:
    """Write the archive to FILE, in the format its name says: JSON Lines (.jsonl) or a
    .tar.gz with every version and every original byte, with the tags and notes
    (`archive import` reads them back); or, for other tools, the current text of each
    article as a CSV table (.csv), browser bookmarks (.html), a folder of Markdown notes
    (a name ending in /) or CSL-JSON for citation managers (.csl.json, or --format csl).
    - writes to stdout.

    \b
    Examples:
      archive export backup.tar.gz
      archive export - | gzip > backup.jsonl.gz
      archive export soleimani.jsonl --query Soleimani
      archive export soir.tar.gz --site lesoir.be --since 2020
      archive export benalla.jsonl --tag benalla
      archive export articles.csv --since 2020-01 --until 2020-03
      archive export bookmarks.html --site lemonde.fr
      archive export ~/Notes/Presse/ --tag benalla
      archive export sources.json --format csl --query Irak
    """
    import json

    from cli.output import Progress
    from index.home import QueryError, export_format

    try:
        kind = export_format(file, kind)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    if removed and (query or tags):
        raise click.UsageError("--removed articles are not in the index: --query and --tag "
                               "cannot find them (use --site, --since or --until)")
    if removed and kind not in ("jsonl", "tar.gz"):
        raise click.UsageError("--removed is for the exports `archive import` reads back "
                               "(.jsonl, .tar.gz)")
    path = None if file == "-" else Path(file)
    if path is not None and path.is_dir() and kind != "markdown":
        raise click.UsageError(f"{file} is a folder: name the export file (or end the name with "
                               "/ for Markdown notes)")
    if path is not None and kind == "markdown" and path.exists() and not path.is_dir():
        raise click.UsageError(f"{file} is a file: a Markdown export is a folder of notes")
    with open_home(home, quiet=quiet) as archive, \
            Progress("Exporting", PROGRESS_THRESHOLD, quiet=quiet) as bar:
        try:
            ids = archive.export_selection(query, site, since, until, tags)
        except QueryError as error:
            raise click.UsageError(str(error)) from None
        report = archive.export(path, kind, ids=ids, removed=removed, on_start=bar.start,
                                progress=bar.update)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=2), err=path is None)
    elif path is not None or not quiet:
        versions = (f" ({report.versions} version{'s' if report.versions != 1 else ''})"
                    if kind in ("jsonl", "tar.gz") else "")
        skipped = (f"; {report.skipped} without a URL left out" if report.skipped else "")
        click.echo(f"exported {report.articles} article{'s' if report.articles != 1 else ''}"
                   f"{versions} to {report.file}{skipped}", err=path is None)


@cli.command(name="import")
@click.argument("file", metavar="FILE|-", type=click.Path(exists=True, dir_okay=False,
                                                          allow_dash=True, path_type=Path))
@quiet_option
@verbose_option
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def import_(home: Path, file: Path, quiet: bool, verbose: bool, as_json: bool) -> None:
    """Read an export (JSON Lines or .tar.gz) into the archive, keeping ids and versions.
    Versions the archive has already are passed over: importing twice changes nothing.

    \b
    Examples:
      archive import backup.tar.gz
      archive --home ~/other-archive import backup.jsonl
      archive export - | archive --home ~/copy import -
    """
    from cli.output import Progress, print_json

    source = None if str(file) == "-" else file
    with open_home(home, create=True, quiet=quiet) as archive, \
            Progress("Importing", 1024 * 1024, quiet=quiet or as_json) as bar:
        report = archive.import_export(source, on_start=bar.start, progress=bar.update)
    problems = report.problems if verbose else report.problems[:20]
    for problem in problems:
        notice(f"{file}: {problem}")
    if len(report.problems) > len(problems):
        notice(f"{file}: … and {len(report.problems) - len(problems)} more problems (-v lists all)")
    if as_json:
        print_json(report.to_json())
    else:
        click.echo(f"imported {report.versions} version{'s' if report.versions != 1 else ''}"
                   + (f", {report.already} already archived" if report.already else "")
                   + (f", tags or notes for {report.labelled} article"
                      f"{'s' if report.labelled != 1 else ''}" if report.labelled else "")
                   + (f", {len(report.problems)} entries skipped" if report.problems else ""))
    if report.problems:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the feeds as JSON.")
@click.pass_obj
def feeds(home: Path, as_json: bool) -> None:
    """List the feeds added with `add --feed`: when each was last read, how many items
    it listed then, what that read added, and what it added in all.

    \b
    Examples:
      archive feeds
      archive feeds --json
    """
    from cli.output import print_json, render_feeds

    with open_home(home) as archive:
        found = archive.feeds()
    if as_json:
        print_json(found.to_json())
    elif found.feeds:
        click.echo(render_feeds(found.feeds))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_obj
def stats(home: Path, as_json: bool) -> None:
    """Counts, sizes, sites and date range of the archive.

    \b
    Examples:
      archive stats
      archive stats --json
    """
    from cli.output import print_json, render_stats

    with open_home(home) as archive:
        figures = archive.stats_report()
    if as_json:
        print_json(figures.to_json())
    else:
        click.echo(render_stats(figures.figures))


@cli.command()
@click.option("--repair", is_flag=True, help="Rebuild the index from the archive if it is off.")
@click.option("--full", is_flag=True,
              help="Also compare every database index with its table (slower).")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.pass_obj
def check(home: Path, repair: bool, full: bool, as_json: bool) -> None:
    """Verify the database file, every original's sha256, and that the index holds each
    article exactly once.

    \b
    Examples:
      archive check
      archive check --repair
      archive check --full
    """
    from cli.output import print_json, render_check

    with open_home(home) as archive:
        result = archive.check(repair=repair, full=full)
    if as_json:
        print_json(result.to_json())
    else:
        click.echo(render_check(result))
    if not result.report.ok:
        sys.exit(EXIT_INPUT_FAILED)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback lets others read the archive.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0: a free one, printed).")
@click.option("--open", "open_browser", is_flag=True, help="Open the address in a browser.")
@click.pass_obj
def serve(home: Path, host: str, port: int, open_browser: bool) -> None:
    """Search and read the archive in a browser, until Ctrl-C (needs the web extra).

    \b
    Examples:
      archive serve
      archive serve --port 0 --open
    """
    try:
        from web.server import serve as serve_archive
    except ImportError as error:
        raise click.ClickException(f"the web interface needs its extra ({error.name} is missing): "
                                   "pip install 'archive[web]'") from None
    engine = click.get_current_context().find_root().params.get("engine")
    serve_archive(home, engine, host, port, open_browser, say=click.echo,
                  notice=lambda line: click.echo(line, err=True))


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL (commands, options, article ids).

    \b
    Examples:
      archive completion bash >> ~/.bashrc
      archive completion zsh > ~/.zfunc/_archive
      archive completion fish > ~/.config/fish/completions/archive.fish
    """
    from click.shell_completion import get_completion_class

    completion = get_completion_class(shell)
    assert completion is not None  # click.Choice allows only the shells click knows
    script = completion(cli, {}, "archive", "_ARCHIVE_COMPLETE").source()
    click.echo(script)


def main() -> None:
    cli(prog_name="archive")


if __name__ == "__main__":
    main()
