"""A local news site on 127.0.0.1 whose articles the test edits between two fetches, as a
newsroom silently edits a published article."""

from __future__ import annotations

import threading
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def article_page(title: str, paragraphs: list[str]) -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            f"<body><nav>Accueil Politique Monde</nav><article><h1>{escape(title)}</h1>{body}"
            "</article><footer>Mentions légales</footer></body></html>").encode()


class Newsroom:
    """Serves `pages` (path -> bytes) as they are when each request comes."""

    def __init__(self) -> None:
        self.pages: dict[str, bytes] = {}
        room = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                page = room.pages.get(self.path)
                self.send_response(200 if page is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                body = page if page is not None else b"<html><body>introuvable</body></html>"
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def publish(self, path: str, title: str, paragraphs: list[str]) -> str:
        """Put (or replace) an article at `path`; returns its URL."""
        self.pages[path] = article_page(title, paragraphs)
        return self.url + path

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
