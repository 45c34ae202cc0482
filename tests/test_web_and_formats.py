"""Every way people save articles: URLs from a real local HTTP server, URL lists, bookmark
exports, MHTML, WARC (written here with warcio), "save page complete" and stdin."""

from __future__ import annotations

import gzip
import io
import json
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler

import pytest

from tests.conftest import SEED
from tests.localsite import LocalSite


def page(title: str, text: str, canonical: str | None = None, charset: str = "utf-8") -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    html = (f'<html lang="fr"><head><meta charset="{charset}"><title>{title}</title>{link}</head>'
            f"<body><nav>Accueil Belgique Monde</nav><article><h1>{title}</h1>"
            f"<p>{text} Les habitants ont été invités à suivre les consignes des autorités locales.</p>"
            "<p>Une réunion de crise se tiendra mardi matin à l'hôtel de ville, a précisé le bourgmestre.</p>"
            "</article></body></html>")
    return html.encode(charset)


class Site(LocalSite):
    """A local web server with the behaviours of real news sites, good and bad."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.version = 1
        super().__init__()

    def route(self, handler: BaseHTTPRequestHandler, path: str) -> None:
        def send(status: int, body: bytes, kind: str = "text/html; charset=utf-8", **headers) -> None:
            handler.send_response(status)
            handler.send_header("Content-Type", kind)
            handler.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                handler.send_header(name.replace("_", "-"), value)
            handler.end_headers()
            handler.wfile.write(body)

        if path == "/article":
            send(200, page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche."))
        elif path == "/changing":
            send(200, page(f"Bilan des inondations, version {self.version}",
                           f"Le bilan provisoire fait état de {self.version * 10} sinistrés."))
        elif path == "/old-address":
            handler.send_response(301)
            handler.send_header("Location", "/article?utm_source=newsletter")
            handler.end_headers()
        elif path == "/missing":
            send(404, b"<html><body>Page introuvable</body></html>")
        elif path == "/flaky":
            if self.hits[path] == 1:
                send(500, b"Internal Server Error", "text/plain")
            else:
                send(200, page("Grève à la SNCB", "Les cheminots ont cessé le travail ce lundi."))
        elif path == "/slow":
            self.release.wait(timeout=30)  # answers only when the test is over
            send(200, page("Trop tard", "Cette page arrive après le délai."))
        elif path == "/wrong-charset":
            body = page("Élections à Liège", "Le scrutin s’est déroulé dans le calme à Liège.",
                        charset="cp1252").replace(b'charset="cp1252"', b'charset="utf-8"')
            send(200, body, "text/html; charset=utf-8")
        elif path == "/gzipped":
            body = gzip.compress(page("Budget communal voté", "Le conseil a voté le budget à Mons."))
            send(200, body, Content_Encoding="gzip")
        elif path == "/image":
            send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        elif path == "/huge":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            chunk = b"<p>" + b"a" * 65_530 + b"</p>"
            for _ in range(100 * 1024 * 1024 // len(chunk)):  # 100 MB, never held in memory
                handler.wfile.write(chunk)
        else:
            send(404, b"not found")

    def close(self) -> None:
        self.release.set()
        super().close()


@pytest.fixture
def site():
    server = Site()
    yield server
    server.close()


def outcomes(result) -> dict[str, dict]:
    return {item["origin"]: item for item in json.loads(result.stdout)["inputs"]}


def shown(run, article_id: str) -> dict:
    return json.loads(run("show", article_id, "--json").stdout)


def test_a_url_is_fetched_with_redirects_followed_and_both_addresses_kept(run, site):
    given = f"{site.url}/old-address"
    result = run("add", given, "--json")
    assert result.exit_code == 0, result.output
    record = outcomes(result)[given]
    assert record["status"] == "added"
    article = shown(run, record["id"])
    assert article["title"] == "Crue de la Meuse à Namur"
    assert article["origin"] == given
    assert article["url"] == f"{site.url}/article?utm_source=newsletter"


def test_http_errors_dns_failures_and_non_html_are_one_line_each_and_the_rest_goes_on(run, site):
    bad = [f"{site.url}/missing", f"{site.url}/image", "http://no-such-host.invalid/article"]
    result = run("add", *bad, f"{site.url}/article", "--timeout", "5")
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert errors == [
        f"archive: {site.url}/missing: HTTP 404 Not Found",
        f"archive: {site.url}/image: not a web page (image/png)",
        "archive: http://no-such-host.invalid/article: cannot find the host no-such-host.invalid",
    ]
    assert "1 added, 0 already archived, 3 failed" in result.stdout


def test_a_transient_500_is_retried(run, site):
    result = run("add", f"{site.url}/flaky")
    assert result.exit_code == 0, result.output
    assert site.hits["/flaky"] == 2
    assert "Grève à la SNCB" in result.stdout


def test_a_server_slower_than_the_timeout_is_reported(run, site):
    result = run("add", f"{site.url}/slow", f"{site.url}/article", "--timeout", "0.5")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"archive: {site.url}/slow: no answer within 0.5 s"
    assert "1 added" in result.stdout


def test_a_wrong_declared_charset_still_gives_the_right_accents(run, site):
    result = run("add", f"{site.url}/wrong-charset", "--json")
    article = shown(run, outcomes(result)[f"{site.url}/wrong-charset"]["id"])
    assert article["title"] == "Élections à Liège"
    assert "s’est déroulé dans le calme" in article["body"][0]


def test_gzip_encoded_pages_are_decompressed(run, site):
    result = run("add", f"{site.url}/gzipped", "--json")
    assert result.exit_code == 0
    assert outcomes(result)[f"{site.url}/gzipped"]["title"] == "Budget communal voté"


def test_a_body_over_the_size_cap_is_refused(run, site):
    result = run("add", f"{site.url}/huge")
    assert result.exit_code == 1
    assert result.stderr.strip() == f"archive: {site.url}/huge: too large (over the 50 MB cap)"


def test_an_archived_url_is_not_fetched_again_unless_refresh(run, site):
    url = f"{site.url}/changing"
    assert run("add", url).exit_code == 0
    again = run("add", url)
    assert "0 added, 1 already archived" in again.stdout
    assert site.hits["/changing"] == 1
    site.version = 2
    refreshed = run("add", url, "--refresh", "--json")
    record = outcomes(refreshed)[url]
    assert record["status"] == "updated"
    assert site.hits["/changing"] == 2
    versions = json.loads(run("show", record["id"], "--versions", "--json").stdout)
    assert [v["number"] for v in versions["versions"]] == [1, 2]
    assert shown(run, record["id"])["title"] == "Bilan des inondations, version 2"


def test_a_url_list_file_with_comments(run, site, tmp_path):
    listing = tmp_path / "reading-list.txt"
    listing.write_text(f"# à lire\n{site.url}/article\n\n{site.url}/gzipped  # le budget\nnot a url\n",
                       encoding="utf-8")
    result = run("add", "--urls", str(listing))
    assert result.exit_code == 1
    assert "2 added" in result.stdout
    assert f"{listing}:5: not an http(s) URL: 'not a url'" in result.stderr


def test_bookmarks_are_fetched_and_lend_their_title_and_date(run, site, tmp_path):
    exported = tmp_path / "bookmarks.html"
    exported.write_text(
        "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; "
        "charset=UTF-8\">\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n<DL><p>\n"
        f'<DT><A HREF="{site.url}/article" ADD_DATE="1578225600">Crue (favori)</A>\n'
        f'<DT><A HREF="{site.url}/missing" ADD_DATE="1578225600">Disparu</A>\n'
        '<DT><A HREF="javascript:alert(1)">Bookmarklet</A>\n</DL><p>\n', encoding="utf-8")
    result = run("add", "--bookmarks", str(exported), "--json")
    assert result.exit_code == 1
    found = outcomes(result)
    assert found[f"{site.url}/article"]["status"] == "added"
    assert found[f"{site.url}/missing"]["error"] == "HTTP 404 Not Found"
    article = shown(run, found[f"{site.url}/article"]["id"])
    assert article["title"] == "Crue de la Meuse à Namur"  # the page's own title wins
    assert article["published"] == "2020-01-05T12:00:00+00:00"  # the page has no date


def test_mhtml_single_file_pages(run, tmp_path):
    message = EmailMessage()
    message["Subject"] = "Crue de la Meuse"
    message["Snapshot-Content-Location"] = "https://www.lesoir.be/1/crue"
    message.set_type("multipart/related")
    html = page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche.")
    part = EmailMessage()
    part.set_content(html, maintype="text", subtype="html", cte="quoted-printable")
    part.set_param("charset", "utf-8")
    part["Content-Location"] = "https://www.lesoir.be/1/crue"
    image = EmailMessage()
    image.set_content(b"\x89PNG\r\n", maintype="image", subtype="png", cte="base64")
    message.attach(part)
    message.attach(image)
    saved = tmp_path / "crue.mhtml"
    saved.write_bytes(bytes(message))
    result = run("add", str(saved), "--json")
    assert result.exit_code == 0, result.output
    article = shown(run, outcomes(result)[str(saved)]["id"])
    assert article["title"] == "Crue de la Meuse à Namur"
    assert article["url"] == "https://www.lesoir.be/1/crue"
    assert "débordé" in article["body"][0]


def test_warc_responses_become_articles_and_revisits_are_skipped(run, home, tmp_path):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with open(path, "wb") as output:
        writer = WARCWriter(output, gzip=True)
        for uri, status, kind, body in [
            ("https://www.lesoir.be/1/crue", "200 OK", "text/html; charset=utf-8",
             page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche.")),
            ("https://www.lesoir.be/logo.png", "200 OK", "image/png", b"\x89PNG\r\n"),
            ("https://www.lesoir.be/2/budget", "200 OK", "text/html",
             page("Budget communal voté", "Le conseil a voté le budget à Mons.")),
        ]:
            headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
        crue = "https://www.lesoir.be/1/crue"
        writer.write_record(writer.create_revisit_record(crue, "sha1:ABC", crue, "2020-01-05T12:00:00Z"))
    result = run("add", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines()[-1] == "2 added, 0 already archived, 2 skipped, 0 failed"
    listed = json.loads(run("list", "--json").stdout)
    crue = next(a for a in listed if a["title"] == "Crue de la Meuse à Namur")
    article = shown(run, crue["id"])
    assert article["url"] == "https://www.lesoir.be/1/crue"
    assert article["published"]  # the WARC-Date, since the page has none
    from archive.store import Store
    from archive.warc import looks_like_warc
    with Store.open(home) as store:
        assert looks_like_warc(store.original(crue["id"]))  # the record's own bytes are kept
    again = run("reextract", crue["id"])
    assert again.stdout.strip() == "0 changed, 1 unchanged, 0 failed"


def test_save_page_complete_ignores_the_assets_folder(run, tmp_path):
    (tmp_path / "Crue.html").write_bytes(page("Crue de la Meuse à Namur", "La Meuse a débordé."))
    assets = tmp_path / "Crue_files"
    assets.mkdir()
    (assets / "style.css").write_text("body {}")
    (assets / "widget.html").write_text("<html><body><p>Publicité</p></body></html>")
    (assets / "photo.jpg").write_bytes(b"\xff\xd8\xff" + b"\x00" * 100)
    result = run("add", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert result.stdout.strip().splitlines()[-1] == "1 added, 0 already archived, 0 failed"


def test_stdin_with_the_url_it_came_from(run):
    result = run("add", "-", "--url", "https://www.lesoir.be/265640/article", input=SEED.read_bytes())
    assert result.exit_code == 0
    article = json.loads(run("list", "--json").stdout)[0]
    assert shown(run, article["id"])["url"] == "https://www.lesoir.be/265640/article"
    assert article["origin"] == "-"
