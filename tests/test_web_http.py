"""`archive serve` over HTTP, without a browser: the real server as a subprocess on the
session's test archive (tests/web_fixtures.py), asked with http.client."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests import web_fixtures
from tests.web_fixtures import ARCHIVE, ROOT, Server, copy_home, page

web_archive, server = web_fixtures.web_archive, web_fixtures.server  # the session's fixtures

pytest.importorskip("starlette", reason="the web tests need the web extra: pip install '.[web]'")

ROUTES = ["/", "/recherche?q=coalition", "/recherche?q=le", "/article/{seed}?q=coalition",
          "/article/{seed}/original", "/parcourir", "/parcourir?site=Le+Soir&mois=2020-03",
          "/statistiques", "/api/search?q=coalition", "/api/article/{seed}", "/api/list?limit=3",
          "/api/stats", "/api/facets?q=coalition", "/article/ffffffffffff", "/nulle-part",
          "/static/style.css", "/static/keys.js"]


def ask(server: Server, path: str, method: str = "GET", headers: dict | None = None,
        body: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request to the server: status, headers (lowercased names) and body."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def ask_json(server: Server, path: str) -> tuple[int, object]:
    status, _, body = ask(server, path)
    return status, json.loads(body)


def cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*ARCHIVE, "--home", str(home), *args], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)


# --- the command --------------------------------------------------------------------------

def test_serve_prints_one_line_with_the_home_and_the_free_port_it_chose(server, web_archive):
    assert server.line == (f"archive: serving {web_archive.home} on "
                           f"http://127.0.0.1:{server.port}/ (Ctrl-C to stop)")
    assert server.port != 0
    status, _, body = ask(server, "/")
    assert status == 200 and b'<html lang="fr">' in body


def test_ctrl_c_stops_the_server_cleanly(web_archive, tmp_path):
    running = Server(copy_home(web_archive, tmp_path))
    assert ask(running, "/api/stats")[0] == 200
    code, err = running.stop()
    assert code == 0, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "archive: stopped"


def test_a_host_other_than_loopback_prints_a_warning_that_anyone_can_read(web_archive, tmp_path):
    running = Server(copy_home(web_archive, tmp_path), "--host", "127.0.0.2")
    try:
        assert "127.0.0.2" in running.line
        connection = http.client.HTTPConnection("127.0.0.2", running.port, timeout=30)
        connection.request("GET", "/api/stats")
        assert connection.getresponse().status == 200
        connection.close()
        # reached by one of the machine's addresses, it answers; a name must still be its own
        for host, status in (("127.0.0.2", 200), ("attacker.example", 421)):
            connection = http.client.HTTPConnection("127.0.0.2", running.port, timeout=30)
            connection.request("GET", "/api/stats", headers={"Host": f"{host}:{running.port}"})
            assert connection.getresponse().status == status, host
            connection.close()
    finally:
        _, err = running.stop()
    assert "warning: serving on 127.0.0.2: anyone who can reach this address can read the " \
           "whole archive" in err


def test_open_shows_the_address_in_the_user_s_browser(web_archive, tmp_path):
    with socket.socket() as told:  # the "browser" connects here and says what it opened
        told.bind(("127.0.0.1", 0))
        told.listen()
        told.settimeout(60)
        browser = tmp_path / "browser"
        browser.write_text(f"#!{sys.executable}\nimport socket, sys\nsocket.create_connection("
                           f"('127.0.0.1', {told.getsockname()[1]})).sendall(sys.argv[1].encode())\n")
        browser.chmod(0o755)
        process = subprocess.Popen(
            [*ARCHIVE, "--home", str(copy_home(web_archive, tmp_path)), "serve", "--port", "0",
             "--open"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "BROWSER": str(browser)})
        try:
            address = process.stdout.readline().split(" on ")[1].split(" ")[0]
            connection, _ = told.accept()
            with connection:
                connection.settimeout(60)
                assert connection.recv(1000).decode() == address
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=30)


def test_a_port_already_taken_is_one_line_and_exit_1(web_archive):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = cli(web_archive.home, "serve", "--port", str(port))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot listen on 127.0.0.1:{port}: Address already in use"]


def test_without_the_web_extra_serve_says_in_one_line_how_to_install_it(web_archive):
    hide = ("import sys; sys.modules['uvicorn'] = None\n"
            "from cli.main import main; sys.argv = ['archive', '--home', sys.argv[1], 'serve']; main()")
    done = subprocess.run([sys.executable, "-c", hide, str(web_archive.home)], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "Error: the web interface needs its extra (uvicorn is missing): pip install 'archive[web]'"]


# --- guards -------------------------------------------------------------------------------

def test_a_request_for_another_host_name_is_refused_against_dns_rebinding(server):
    for host in ("attacker.example", f"attacker.example:{server.port}", "127.0.0.1.nip.io"):
        status, _, body = ask(server, "/api/stats", headers={"Host": host})
        assert status == 421, host
        assert "does not answer for the host" in json.loads(body)["error"]
    for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}"):
        assert ask(server, "/api/stats", headers={"Host": host})[0] == 200


def test_a_write_from_another_site_is_refused_and_every_write_is(server):
    cross = [{"Origin": "https://attacker.example"}, {"Sec-Fetch-Site": "cross-site"},
             {"Sec-Fetch-Site": "same-site", "Origin": f"http://127.0.0.1:{server.port}"}]
    for headers in cross:
        for method in ("POST", "PUT", "DELETE"):
            status, _, body = ask(server, "/api/search?q=x", method, headers=headers, body=b"{}")
            assert status == 403, (method, headers)
            assert json.loads(body) == {"error": "requests from another site are refused"}
    same = {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"}
    status, headers, _ = ask(server, "/recherche", "POST", headers=same, body=b"q=x")
    assert status == 405 and headers["allow"] == "GET, HEAD"


def test_every_route_sends_the_security_headers(server, web_archive):
    for route in ROUTES:
        status, headers, _ = ask(server, route.format(**web_archive.ids))
        assert status in (200, 400, 404), route
        assert headers["x-content-type-options"] == "nosniff", route
        assert headers["referrer-policy"] == "no-referrer", route
        policy = headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, route
        if route.endswith("/original"):
            assert policy.startswith("sandbox;") and "default-src 'none'" in policy
            assert "script-src" not in policy
        else:
            assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy, route


def test_the_kept_original_is_the_exact_bytes_sandboxed_with_a_download(server, web_archive):
    article = web_archive.cli_json("show", web_archive.ids["script"])
    kept = Path(article["origin"]).read_bytes()
    status, headers, body = ask(server, f"/article/{article['id']}/original")
    assert status == 200 and body == kept
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers["content-security-policy"].startswith("sandbox; default-src 'none'")
    status, headers, body = ask(server, f"/article/{article['id']}/original?download=1")
    assert body == kept
    assert headers["content-disposition"] == f'attachment; filename="{article["id"]}.html"'


def test_each_version_s_original_is_served(server, web_archive):
    wanted = web_archive.ids["versioned"]
    first = ask(server, f"/article/{wanted}/original?version=1")[2]
    current = ask(server, f"/article/{wanted}/original")[2]
    assert b"version du matin" in first and b"version du soir" in current
    assert ask(server, f"/article/{wanted}/original?version=9")[0] == 404


def test_caps_on_the_query_length_pages_and_offsets_answer_400(server):
    for path in ("/api/search?q=" + "a" * 5000, "/api/search?q=x&offset=20000",
                 "/api/search?q=x&limit=0", "/api/search?q=x&sort=hasard",
                 "/recherche?q=x&page=100000", "/recherche?q=x&page=deux"):
        status, _, _ = ask(server, path)
        assert status == 400, path


def test_no_traceback_reaches_the_browser(server):
    for path in ("/article/zzzz", "/nulle-part", "/recherche?q=%22", "/api/search?q=published%3A2020-13"):
        status, _, body = ask(server, path)
        assert status in (400, 404), path
        assert b"Traceback" not in body and b'File "' not in body, path


# --- the API is the CLI's JSON ------------------------------------------------------------

@pytest.mark.parametrize("options", [
    ["coalition"], ["soldats", "--sort", "date"], ["coalition", "--site", "Le Soir"],
    ["coalition", "--since", "2020-03", "--until", "2020-03"], ["coalition", "--offset", "10"],
    ["coalition", "--copies", "--limit", "30"], ["coalitoin"], ["État"],
])
def test_api_search_answers_exactly_what_search_json_prints(server, web_archive, options):
    names = {"--sort": "sort", "--site": "site", "--since": "since", "--until": "until",
             "--offset": "offset", "--limit": "limit"}
    query, rest, params = options[0], options[1:], {}
    while rest:
        option = rest.pop(0)
        copies = option == "--copies"  # the CLI's --copies is the API's all=1
        params["all" if copies else names[option]] = "1" if copies else rest.pop(0)
    status, data = ask_json(server, "/api/search?" + urlencode({"q": query, **params}))
    assert status == 200
    assert data == web_archive.cli_json("search", *options)


def test_api_article_list_and_stats_answer_what_show_list_and_stats_print(server, web_archive):
    for role in ("seed", "script", "versioned"):
        wanted = web_archive.ids[role]
        assert ask_json(server, f"/api/article/{wanted}") == (200, web_archive.cli_json("show", wanted))
        assert ask_json(server, f"/api/article/{wanted}?versions=1") == (
            200, web_archive.cli_json("show", wanted, "--versions"))
    assert ask_json(server, "/api/list?limit=7") == (200, web_archive.cli_json("list", "--limit", "7"))
    assert ask_json(server, "/api/list") == (200, web_archive.cli_json("list"))
    assert ask_json(server, "/api/stats") == (200, web_archive.cli_json("stats"))


def test_api_facets_count_every_match_by_site_and_month(server, web_archive):
    status, facets = ask_json(server, "/api/facets?q=coalition")
    total = web_archive.cli_json("search", "coalition")["total"]
    assert status == 200 and facets["total"] == total
    assert sum(s["articles"] for s in facets["sites"]) == total
    assert sum(m["articles"] for m in facets["months"]) + facets["undated"] == total
    march = next(m["articles"] for m in facets["months"] if m["month"] == "2020-03")
    assert march == web_archive.cli_json("search", "coalition", "--since", "2020-03",
                                         "--until", "2020-03")["total"]


def test_api_errors_are_the_cli_s_one_line_messages(server, web_archive):
    for words in (["le"], ['"'], ["x", "--since", "2021", "--until", "2020"]):
        done = cli(web_archive.home, "search", *words)
        assert done.returncode == 2
        message = done.stderr.strip().splitlines()[-1].removeprefix("Error: ")
        query = {"q": words[0]} | ({"since": words[2], "until": words[4]} if len(words) > 1 else {})
        assert ask_json(server, "/api/search?" + urlencode(query)) == (400, {"error": message})
    done = cli(web_archive.home, "show", "ffffffffffff")
    message = done.stderr.strip().removeprefix("Error: ")
    assert ask_json(server, "/api/article/ffffffffffff") == (404, {"error": message})


# --- serving while another process adds ---------------------------------------------------

def test_articles_added_while_serving_appear_without_a_restart_and_nothing_locks(web_archive,
                                                                                 tmp_path):
    home = copy_home(web_archive, tmp_path)
    running = Server(home)
    try:
        assert ask_json(running, "/api/search?q=zeppelin")[1]["total"] == 0
        pages = tmp_path / "new"
        pages.mkdir()
        for number in range(40):
            (pages / f"z{number}.html").write_text(page(
                f"Le zeppelin numéro {number} survole la ville",
                [f"Un zeppelin, le numéro {number}, a survolé la ville de Namur ce matin, "
                 "au grand étonnement des habitants réunis sur la place du marché, qui "
                 f"n'avaient plus vu pareil engin depuis des années ; série {number * 7919}."],
                "Le Soir", "2020-12-01", f"https://lesoir.example/zeppelin-{number}"),
                encoding="utf-8")
        adding = subprocess.Popen([*ARCHIVE, "--home", str(home), "add", str(pages)], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        answers: list[int] = []

        def keep_asking() -> None:
            while adding.poll() is None and len(answers) < 500:
                answers.append(ask(running, "/recherche?q=zeppelin")[0])

        asker = threading.Thread(target=keep_asking)
        asker.start()
        _, add_err = adding.communicate(timeout=120)
        asker.join(timeout=120)
        assert adding.returncode == 0, add_err
        assert answers and set(answers) == {200}
        status, found = ask_json(running, "/api/search?q=zeppelin&limit=50")
        assert status == 200 and found["total"] == 40
    finally:
        code, err = running.stop()
    assert code == 0 and "Traceback" not in err


def test_each_engine_that_keeps_its_index_at_home_serves_what_its_cli_prints(web_archive,
                                                                            tmp_path, file_engine):
    home = copy_home(web_archive, tmp_path)
    running = Server(home, engine=file_engine)
    try:
        for query in ("coalition", "soldats etat", "marées"):
            status, data = ask_json(running, "/api/search?" + urlencode({"q": query}))
            done = cli(home, "--engine", file_engine, "search", query, "--json")
            assert status == 200 and data == json.loads(done.stdout), query
        status, facets = ask_json(running, "/api/facets?q=coalition")
        found = json.loads(cli(home, "--engine", file_engine, "search", "coalition", "--json").stdout)
        assert status == 200 and facets["total"] == found["total"]
        assert sum(site["articles"] for site in facets["sites"]) == found["total"]
        status, _, body = ask(running, "/parcourir?site=Le+Soir&mois=2020-03")
        assert status == 200 and b"Accord de coalition" in body
    finally:
        running.stop()


def test_a_query_no_article_holds_whole_gives_the_closest_each_with_the_word_it_lacks(server):
    status, _, body = ask(server, "/recherche?q=Soleimani+zeppelinxq")
    html = body.decode()
    assert status == 200
    assert "Aucun article ne contient tous les mots" in html
    assert "Soleimani" in html and "Sans : <s>zeppelinxq</s>" in html
    status, data = ask_json(server, "/api/search?q=Soleimani+zeppelinxq")
    assert data["relaxed"] is True and data["hits"]
    assert all(hit["missing"] == ["zeppelinxq"] for hit in data["hits"])


def test_an_article_s_dossiers_and_note_show_and_each_dossier_finds_its_articles(web_archive,
                                                                                  tmp_path):
    home = copy_home(web_archive, tmp_path)
    seed = web_archive.ids["seed"]
    for args in (("tag", seed, "Golfe persique"), ("note", seed, "à citer dans le papier")):
        done = cli(home, *args)
        assert done.returncode == 0, done.stderr
    running = Server(home)
    try:
        status, _, body = ask(running, f"/article/{seed}")
        html = body.decode()
        link = '/recherche?q=tag%3A%22Golfe+persique%22'
        assert status == 200 and f'href="{link}"' in html and "<bdi>Golfe persique</bdi>" in html
        assert "à citer dans le papier" in html
        status, _, body = ask(running, link)
        assert status == 200 and f"/article/{seed}" in body.decode()
        status, found = ask_json(running, "/api/search?q=tag%3A%22Golfe+persique%22")
        assert [hit["id"] for hit in found["hits"]] == [seed]
    finally:
        code, err = running.stop()
    assert code == 0 and "Traceback" not in err
