"""A news site on 127.0.0.1 for the feed tests: an RSS and an Atom feed of the items the
test sets, the article page of each item, and the bad feeds found in the wild."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler

from tests.localsite import LocalSite


@dataclass
class Item:
    """One entry of the feeds and its page: `published` goes in the feed, `page_date` (if
    any) in the page itself; `status` is what the page answers."""

    key: str
    title: str
    text: str
    published: datetime | None = None
    updated: datetime | None = None
    page_date: str | None = None
    status: int = 200
    path: str | None = None

    @property
    def page(self) -> str:
        return self.path or f"/article/{self.key}"


def article_page(item: Item) -> bytes:
    date = (f'<meta property="article:published_time" content="{item.page_date}">'
            if item.page_date else "")
    return (f'<html lang="fr"><head><meta charset="utf-8"><title>{escape(item.title)}</title>{date}'
            f"</head><body><nav>Accueil Monde Belgique</nav><article><h1>{escape(item.title)}</h1>"
            f"<p>{escape(item.text)} Les habitants ont été invités à suivre les consignes des "
            "autorités locales jusqu'à nouvel ordre.</p><p>Une réunion de crise se tiendra mardi "
            "matin à l'hôtel de ville, a précisé le bourgmestre devant la presse.</p>"
            "</article></body></html>").encode()


class FeedSite(LocalSite):
    """The server: `items` are what the feeds list (change them between reads), `hits`
    counts the requests of each path."""

    def __init__(self, items: list[Item] | None = None) -> None:
        self.items: list[Item] = list(items or [])
        self.extra_pages: dict[str, Item] = {}
        super().__init__()

    def page_hits(self) -> int:
        return sum(n for path, n in self.hits.items() if path.startswith("/article/"))

    def rss(self, items: list[Item] | None = None) -> bytes:
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{self.url}{i.page}</link>"
            f'<guid isPermaLink="false">{escape(i.key)}</guid>'
            + (f"<pubDate>{format_datetime(i.published)}</pubDate>" if i.published else "")
            + (f"<atom:updated>{i.updated.isoformat()}</atom:updated>" if i.updated else "")
            + "</item>" for i in (self.items if items is None else items))
        return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
                'xmlns:atom="http://www.w3.org/2005/Atom"><channel><title>La Gazette locale</title>'
                f"<link>{self.url}/</link><description>Toute l'actualité</description>{entries}"
                "</channel></rss>").encode()

    def atom(self) -> bytes:
        entries = "".join(
            f"<entry><id>urn:gazette:{escape(i.key)}</id><title>{escape(i.title)}</title>"
            f'<link rel="alternate" href="{i.page}"/>'
            + (f"<published>{i.published.isoformat()}</published>" if i.published else "")
            + f"<updated>{(i.updated or i.published or datetime(2020, 1, 1)).isoformat()}</updated>"
            "</entry>" for i in self.items)
        return ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
                f'xml:base="{self.url}/"><title>La Gazette (Atom)</title><id>urn:gazette</id>'
                f'<link href="{self.url}/"/><updated>2020-01-01T00:00:00Z</updated>{entries}'
                "</feed>").encode()

    def route(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        def send(status: int, body: bytes, kind: str = "text/html; charset=utf-8") -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        pages = {i.page: i for i in self.items} | self.extra_pages
        if path == "/feed.xml":
            send(200, self.rss(), "application/rss+xml; charset=utf-8")
        elif path == "/atom.xml":
            send(200, self.atom(), "application/atom+xml")
        elif path == "/twice.xml":  # the same entries listed twice
            send(200, self.rss(self.items + self.items), "text/xml")
        elif path == "/sloppy.xml":  # an unescaped & and a French day name, as some sites write
            send(200, (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
                       f"<title>Sports & loisirs</title><link>{self.url}/</link><item>"
                       f"<title>Match nul & colère</title><link>{self.url}/article/sloppy</link>"
                       "<pubDate>Lun, 06 Jan 2020 10:00:00 +0100</pubDate></item></channel></rss>"
                       ).encode(), "application/xml")
        elif path == "/not-a-feed.xml":
            send(200, b"<html><body><h1>Nos flux</h1><p>Choisissez un flux.</p></body></html>")
        elif path == "/huge.xml":
            send(200, b'<?xml version="1.0"?><rss version="2.0"><channel>' + b" " * (2 * 1024 * 1024),
                 "application/rss+xml")
        elif path == "/loop.xml":
            handler.send_response(302)
            handler.send_header("Location", "/loop.xml")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        elif path in pages and pages[path].status == 200:
            send(200, article_page(pages[path]))
        elif path in pages:
            send(pages[path].status, b"<html><body>Erreur</body></html>")
        else:
            send(404, b"<html><body>Page introuvable</body></html>")


PARIS = timezone(timedelta(hours=1))
TEXTS = {
    "crue": "La Meuse a débordé dans la nuit de dimanche à lundi dans le centre de Namur.",
    "greve": "Les cheminots ont cessé le travail ce lundi pour protester contre la réforme.",
    "budget": "Le conseil communal a voté le budget après six heures de débats animés.",
}


def sample_items() -> list[Item]:
    """Three items of a local paper, the second with a date of its own in its page."""
    return [Item("crue", "Crue de la Meuse à Namur", TEXTS["crue"],
                 datetime(2020, 1, 5, 14, 32, tzinfo=PARIS)),
            Item("greve", "Grève à la SNCB", TEXTS["greve"], datetime(2020, 1, 6, 9, 0, tzinfo=PARIS),
                 page_date="2020-01-06T08:15:00+01:00"),
            Item("budget", "Le budget communal voté", TEXTS["budget"], datetime(2020, 1, 7, tzinfo=PARIS))]
