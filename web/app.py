"""The web interface's routes: pages in French and a JSON API, every one a read over one
ArchiveHome (index/home.py), as the command line's commands are.

Requests are answered one at a time on the server's event loop: the archive's SQLite
connection and engine belong to the thread that opened them, and one person reads.
"""

from __future__ import annotations

import math
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from index.home import USER_ERRORS, ArchiveHome, ArticleNotFound, QueryError, brief_json
from web import french
from web.guard import LOOPBACK_NAMES, Guard
from web.params import BadParameter, Params
from web.text import language, pieces, tag_query, web_link
from web.timeline import timeline

HERE = Path(__file__).resolve().parent
PAGE_SIZE = 10
BROWSE_PAGE_SIZE = 20
SAME_STORY_LIMIT = 50


def link(path: str, **params: object) -> str:
    """A path with its query string, leaving out the parameters not given."""
    given = {name: value for name, value in params.items() if value not in (None, "", 1) or
             (value == 1 and name != "page")}
    return path + ("?" + urlencode(given) if given else "")


def templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(
        default=True, default_for_string=True), trim_blocks=True, lstrip_blocks=True)
    env.globals.update(count=french.count, day=french.day, month_name=french.month,
                       pieces=pieces, web_link=web_link, language=language, link=link,
                       tag_query=tag_query)
    return env


class Pages:
    """The routes over one open archive."""

    def __init__(self, home: ArchiveHome, label: str):
        self.home = home
        self.label = label  # the archive's folder, as the page footer names it
        self.env = templates()

    # --- rendering ----------------------------------------------------------------------

    def page(self, name: str, status: int = 200, timing: dict[str, float] | None = None,
             **values: object) -> HTMLResponse:
        started = time.perf_counter()
        html = self.env.get_template(name).render(home_label=self.label, **values)
        timing = dict(timing or {})
        timing["render"] = time.perf_counter() - started
        return HTMLResponse(html, status_code=status, headers=_server_timing(timing))

    def problem(self, message: str, status: int, query: str = "") -> HTMLResponse:
        title = "Article introuvable" if status == 404 else "Demande impossible"
        return self.page("problem.html", status=status, title=title, message=message, q=query)

    # --- pages --------------------------------------------------------------------------

    async def search(self, request: Request) -> Response:
        """/ and /recherche: the search form; with q, a page of results, facets, timeline."""
        try:
            params = Params(request.query_params)
            q = params.query()
            page = params.page()
            sort = params.sort()
            site, since, until = params.site(), params.date("since"), params.date("until")
        except BadParameter as error:
            return self.problem(str(error), 400)
        timing: dict[str, float] = {}
        if not q:
            with _timed(timing, "facets"):
                facets = self.home.browse_facets(site_limit=12)
            return self.page("home.html", timing=timing, facets=facets.to_json(),
                             bars=timeline(facets.months), q="",
                             month_link=lambda key: link("/parcourir", mois=key))
        try:
            with _timed(timing, "search"):
                result = self.home.search(q, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE,
                                          sort=sort, site=site, since=since, until=until)
            with _timed(timing, "facets"):
                by_site, by_month = self._facets(q, site, since, until)
        except QueryError as error:
            return self.page("search.html", status=400, timing=timing, q=q, error=str(error),
                             sort=sort, site=site, since=since, until=until)
        data = result.to_json()
        pages = _page_count(data["total"], len(data["hits"]), page)
        return self.page(
            "search.html", timing=timing, q=q, result=data, page=page, pages=pages,
            sort_param=_not_default(sort),
            page_link=lambda n: link("/recherche", q=q, sort=_not_default(sort), site=site,
                                     since=since, until=until, page=n),
            month_link=lambda key: link("/recherche", q=q, sort=_not_default(sort), site=site,
                                        since=key, until=key),
            first=(page - 1) * PAGE_SIZE + 1, sort=sort, site=site, since=since, until=until,
            sites=by_site.to_json(), bars=timeline(by_month.months), undated=by_month.undated,
            relaxed=result.relaxed, complete=result.complete, error=None)

    def _facets(self, q: str, site: str | None, since: str | None, until: str | None):
        """Site counts under the period chosen, month counts under the site chosen: each
        facet counts what a click on it would find."""
        if not (site or since or until):
            both = self.home.facets(q)
            return both, both
        return (self.home.facets(q, since=since, until=until),
                self.home.facets(q, site=site))

    async def article(self, request: Request) -> Response:
        """/article/{id}: the reading view, with every matched form marked when q is given."""
        wanted = request.path_params["article_id"]
        try:
            q = Params(request.query_params).query()
        except BadParameter as error:
            return self.problem(str(error), 400)
        timing: dict[str, float] = {}
        try:
            with _timed(timing, "article"):
                article = self.home.article(wanted)
                versions = self.home.version_texts(article.id) if article.version != 1 else []
                same = self.home.same_story(article)[:SAME_STORY_LIMIT]
        except ArticleNotFound as error:
            return self.problem(str(error), 404)
        marks, mark_error = None, None
        if q:
            try:
                with _timed(timing, "marks"):
                    marks = self.home.marks(q, [article.title, *article.body])
            except QueryError as error:
                mark_error = str(error)
        first_published = same[0].id if same else None
        return self.page("article.html", timing=timing, article=article, q=q, marks=marks,
                         mark_count=sum(len(m) for m in marks) if marks else 0,
                         mark_error=mark_error, versions=versions, same=same,
                         first_published=first_published)

    async def original(self, request: Request) -> Response:
        """/article/{id}/original: the exact archived bytes, sandboxed (see web/guard.py)."""
        wanted = request.path_params["article_id"]
        try:
            params = Params(request.query_params)
            version = params.version()
            download = params.flag("download")
        except BadParameter as error:
            return self.problem(str(error), 400)
        try:
            article = self.home.article(wanted)
            data = self.home.original(article.id, version)
        except ArticleNotFound as error:
            return self.problem(str(error), 404)
        kind = _media_type(data)
        headers = {"cache-control": "no-store"}
        if download:
            suffix = ".html" if kind.startswith("text/html") else ".txt"
            headers["content-disposition"] = (f'attachment; filename="{article.id}'
                                              f'{"-v" + str(version) if version else ""}{suffix}"')
        return Response(data, media_type=kind, headers=headers)

    async def browse(self, request: Request) -> Response:
        """/parcourir: the articles of a site and/or a month, newest first, paged."""
        try:
            params = Params(request.query_params)
            site, month, page = params.site(), params.month(), params.page()
        except BadParameter as error:
            return self.problem(str(error), 400)
        timing: dict[str, float] = {}
        try:
            with _timed(timing, "browse"):
                listing = self.home.browse(site, month, limit=BROWSE_PAGE_SIZE,
                                           offset=(page - 1) * BROWSE_PAGE_SIZE)
            with _timed(timing, "facets"):
                sites = self.home.browse_facets(month=month, site_limit=50)
                months = self.home.browse_facets(site=site) if (site or month) else sites
        except QueryError as error:
            return self.problem(str(error), 400)
        pages = max(1, math.ceil(listing.total / BROWSE_PAGE_SIZE))
        return self.page("browse.html", timing=timing, listing=listing, site=site, month=month,
                         page=page, pages=pages, page_size=BROWSE_PAGE_SIZE,
                         sites=sites.to_json(), bars=timeline(months.months), q="",
                         page_link=lambda n: link("/parcourir", site=site, mois=month, page=n),
                         month_link=lambda key: link("/parcourir", site=site, mois=key))

    async def stats(self, request: Request) -> Response:
        """/statistiques: counts and sizes, and the articles per month."""
        timing: dict[str, float] = {}
        with _timed(timing, "stats"):
            figures = self.home.stats()
            facets = self.home.browse_facets()
        return self.page("stats.html", timing=timing, figures=figures, months=facets.months,
                         undated=facets.undated, bars=timeline(facets.months), q="",
                         month_link=lambda key: link("/parcourir", mois=key))

    # --- JSON ---------------------------------------------------------------------------

    async def api_search(self, request: Request) -> Response:
        """`archive search --json`, with the command's options as parameters."""
        params = Params(request.query_params)
        q = params.query(required=True)
        result = self.home.search(q, limit=params.limit(default=10) or 10, offset=params.offset(),
                                  sort=params.sort(), site=params.site(),
                                  since=params.date("since"), until=params.date("until"),
                                  collapse=not params.flag("all"))
        return JSONResponse(result.to_json())

    async def api_article(self, request: Request) -> Response:
        """`archive show --json` (with versions=1, `show --versions --json`)."""
        wanted = request.path_params["article_id"]
        if Params(request.query_params).flag("versions"):
            return JSONResponse(self.home.versions(wanted).to_json())
        return JSONResponse(self.home.article(wanted).to_json())

    async def api_list(self, request: Request) -> Response:
        """`archive list --json` (--limit as limit; at most MAX_LIMIT)."""
        limit = Params(request.query_params).limit(default=None)
        return JSONResponse([brief_json(a) for a in self.home.articles(limit)])

    async def api_stats(self, request: Request) -> Response:
        """`archive stats --json`."""
        return JSONResponse(self.home.stats())

    async def api_facets(self, request: Request) -> Response:
        """The counts by site and month of a query's matches (of every article without q)."""
        params = Params(request.query_params)
        q, site = params.query(), params.site()
        since, until = params.date("since"), params.date("until")
        if q:
            facets = self.home.facets(q, site=site, since=since, until=until)
        else:
            facets = self.home.browse_facets(site=site, month=since if since == until else None)
        return JSONResponse(facets.to_json())


def answered(handler: Callable, as_json: bool, pages: Pages) -> Callable:
    """A route whose errors are answered, never raised: the library's one-line messages
    (as {"error": …} for JSON) with 400 for a bad query or parameter, 404 for an unknown
    id, 503 for an archive that cannot be used; a bug is one line on the server's stderr
    and a page without a traceback (ARCHIVE_DEBUG=1 shows it there)."""
    async def answer(request: Request) -> Response:
        try:
            return await handler(request)
        except ArticleNotFound as error:
            status, message = 404, str(error)
        except (QueryError, BadParameter) as error:
            status, message = 400, str(error)
        except USER_ERRORS as error:
            status, message = 503, str(error)
            print(f"archive: {error}", file=sys.stderr, flush=True)
        except Exception as error:
            if os.environ.get("ARCHIVE_DEBUG"):
                traceback.print_exc()
            print(f"archive: internal error on {request.method} {request.url.path} "
                  f"({error.__class__.__name__}: {error})", file=sys.stderr, flush=True)
            status, message = 500, "erreur interne : rien de ce qui est archivé n'est perdu"
        if as_json:
            return JSONResponse({"error": message}, status_code=status)
        return pages.problem(message, status)
    return answer


def create_app(home: ArchiveHome, label: str, hosts: tuple[str, ...] = LOOPBACK_NAMES,
               any_address: bool = False):
    """The ASGI application over an open archive, guarded (web/guard.py): it answers for
    the `hosts` names, and for any IP address too with `any_address`."""
    pages = Pages(home, label)

    def page(path: str, handler: Callable) -> Route:
        return Route(path, answered(handler, as_json=False, pages=pages))

    def api(path: str, handler: Callable) -> Route:
        return Route(path, answered(handler, as_json=True, pages=pages))

    routes = [
        page("/", pages.search),
        page("/recherche", pages.search),
        page("/article/{article_id}", pages.article),
        page("/article/{article_id}/original", pages.original),
        page("/parcourir", pages.browse),
        page("/statistiques", pages.stats),
        api("/api/search", pages.api_search),
        api("/api/article/{article_id}", pages.api_article),
        api("/api/list", pages.api_list),
        api("/api/stats", pages.api_stats),
        api("/api/facets", pages.api_facets),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]

    async def not_found(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": f"no such address {request.url.path}"}, status_code=404)
        return pages.problem("Cette adresse ne mène à aucune page de l'archive.", 404)

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return JSONResponse({"error": "the archive is read-only here: only GET is answered"},
                            status_code=405, headers={"allow": "GET, HEAD"})

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_allowed})
    return Guard(app, hosts, any_address)


class _timed:
    """Adds the seconds a block took to timing[name] (for the Server-Timing header)."""

    def __init__(self, timing: dict[str, float], name: str):
        self.timing, self.name = timing, name

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.timing[self.name] = self.timing.get(self.name, 0.0) + time.perf_counter() - self.started


def _server_timing(timing: dict[str, float]) -> dict[str, str]:
    return {"server-timing": ", ".join(f"{name};dur={seconds * 1000:.2f}"
                                       for name, seconds in timing.items())}


def _not_default(sort: str) -> str | None:
    return None if sort == "relevance" else sort


def _page_count(total: int, shown: int, page: int) -> int:
    """Pages of results: a short page is the last (copies of one story fold into one hit,
    so the match count can promise more pages than the stories fill)."""
    if shown < PAGE_SIZE:
        return page if shown else max(1, min(page - 1, math.ceil(total / PAGE_SIZE)))
    return max(page, math.ceil(total / PAGE_SIZE))


def _media_type(data: bytes) -> str:
    """text/html for an HTML page, else text/plain; UTF-8 named only when the bytes are."""
    head = data[:1024].lstrip().lower()
    html = head.startswith((b"<!doctype", b"<html", b"<head", b"<body", b"<meta", b"<!--"))
    kind = "text/html" if html else "text/plain"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return kind
    return kind + "; charset=utf-8"
