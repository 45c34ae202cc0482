"""Hostile and broken web servers: each bad answer is one line naming its URL, and the
other inputs of the same `archive add` (pages and local files) are still archived.

The server is a raw socket on 127.0.0.1 started by each test, so it can send what no
HTTP library would: garbage status lines, HTTP/0.9, endless headers, broken chunks,
truncated and corrupt bodies, one byte at a time. `archive add` runs as a process with a
timeout, so a fetch that hangs fails the test instead of hanging it.
"""

from __future__ import annotations

import gzip
import json
import os
import socket
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import SEED

SCRIPT = Path(sys.executable).parent / "archive"
BOUND = 60  # seconds any `archive add` here may take; each takes one or two


def page(title: str, text: str) -> bytes:
    return (f'<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<article><h1>{title}</h1><p>{text} Les habitants ont été invités à suivre les "
            "consignes des autorités locales pendant toute la journée.</p><p>Une réunion de crise "
            "se tiendra mardi matin à l'hôtel de ville, a précisé le bourgmestre.</p></article>"
            "</body></html>").encode()


GOOD = page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche.")


def answer(body: bytes, *headers: str, status: str = "200 OK", length: int | None = None) -> bytes:
    lines = [f"HTTP/1.1 {status}", *headers, f"Content-Length: {len(body) if length is None else length}",
             "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class HostileServer:
    """A web server on 127.0.0.1 that answers each path with raw bytes."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.requests: list[str] = []
        self.stopped = threading.Event()
        self.ftp = socket.create_server(("127.0.0.1", 0))  # where a redirect to ftp:// points
        self.ftp.setblocking(False)
        self.threads = [threading.Thread(target=self._serve, daemon=True)]
        self.threads[0].start()

    def _serve(self) -> None:
        while not self.stopped.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._answer, args=(connection,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _answer(self, connection: socket.socket) -> None:
        connection.settimeout(10)
        try:
            request = b""
            while b"\r\n\r\n" not in request and len(request) < 65536:
                chunk = connection.recv(4096)
                if not chunk:
                    return
                request += chunk
            target = request.split(b" ")[1].decode("latin-1")
            self.requests.append(target)
            route = ROUTES.get(target.split("?")[0])
            if route is None:
                connection.sendall(answer(b"not found", status="404 Not Found"))
            else:
                route(self, connection, target)
        except OSError:
            pass
        finally:
            connection.close()

    def trickle(self, connection: socket.socket, data: bytes) -> None:
        """One byte every 0.2 s until the client gives up or the test ends."""
        for byte in data:
            if self.stopped.wait(0.2):
                return
            connection.sendall(bytes([byte]))

    def ftp_connections(self) -> int:
        count = 0
        while True:
            try:
                self.ftp.accept()[0].close()
            except BlockingIOError:
                return count
            count += 1

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()
        self.ftp.close()
        for thread in self.threads:
            thread.join(timeout=5)


def sends(data: bytes | Callable[[HostileServer, str], bytes]):
    def route(server: HostileServer, connection: socket.socket, target: str) -> None:
        connection.sendall(data(server, target) if callable(data) else data)
    return route


def corrupt_gzip() -> bytes:
    packed = bytearray(gzip.compress(page("Gzip abîmé", "Un corps corrompu.")))
    packed[30:60] = bytes(30)
    return bytes(packed)


def raw_deflate(body: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(body) + packer.flush()


ROUTES: dict[str, Callable[[HostileServer, socket.socket, str], None]] = {
    "/article": sends(answer(GOOD, "Content-Type: text/html; charset=utf-8")),
    "/echo": sends(lambda server, target: answer(
        page(f"Recherche {target}", f"La page demandée était {target}."), "Content-Type: text/html")),
    "/raw-deflate": sends(answer(raw_deflate(page("Deflate brut", "Un serveur qui envoie du deflate brut.")),
                                 "Content-Type: text/html", "Content-Encoding: deflate")),
    "/zlib-deflate": sends(answer(zlib.compress(page("Deflate zlib", "Un serveur qui suit la norme.")),
                                  "Content-Type: text/html", "Content-Encoding: deflate")),
    "/corrupt-gzip": sends(answer(corrupt_gzip(), "Content-Type: text/html", "Content-Encoding: gzip")),
    "/truncated-gzip": sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                             b"Connection: close\r\n\r\n" + gzip.compress(GOOD)[:200]),
    "/broken-chunked": sends(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n"
                             b"\r\n10\r\n<html><body><p>U\r\nzz-not-a-size\r\n" + GOOD),
    "/garbage-status": sends(b"GARBAGE\x1b[2J NOT HTTP AT ALL\r\n\r\n" + GOOD),
    "/http09": sends(GOOD),
    "/long-header": sends(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n" + GOOD),
    "/many-headers": sends(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-Header-%d: v\r\n" % n for n in range(101))
                           + b"Content-Type: text/html\r\n\r\n" + GOOD),
    "/truncated": sends(answer(GOOD, "Content-Type: text/html", length=len(GOOD) + 5000)),
    "/ftp-redirect": sends(lambda server, _: answer(
        b"", f"Location: ftp://127.0.0.1:{server.ftp.getsockname()[1]}/article", status="302 Found")),
    "/unknown-encoding": sends(answer(os.urandom(3000), "Content-Type: text/html", "Content-Encoding: br")),
    "/random-untyped": sends(answer(os.urandom(3000).replace(b"\x00", b"\x01"))),
    "/escape-in-reason": sends(answer(b"", status="404 \x1b]0;owned\x07\x1b[2JNot Found")),
    "/trickle-headers": lambda server, connection, _: server.trickle(
        connection, b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000),
    "/trickle-body": lambda server, connection, _: (
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n"),
        server.trickle(connection, GOOD * 100)),
}


@pytest.fixture
def server():
    hostile = HostileServer()
    yield hostile
    hostile.close()


def archive(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {name: value for name, value in os.environ.items() if "proxy" not in name.lower()}
    return subprocess.run([str(SCRIPT), "--home", str(home), *args], capture_output=True, text=True,
                          timeout=BOUND, env=env)


def errors(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


@pytest.mark.parametrize(("path", "reason"), [
    ("/corrupt-gzip", "a corrupt gzip body"),
    ("/truncated-gzip", "cut off: the gzip body stops before its end"),
    ("/broken-chunked", "cut off: the chunked body breaks before its end"),
    ("/garbage-status", "not a valid HTTP answer (no HTTP/1.x status line)"),
    ("/http09", "not a valid HTTP answer (no HTTP/1.x status line)"),
    ("/long-header", "not a valid HTTP answer (a line over 64 KiB)"),
    ("/many-headers", "not a valid HTTP answer (too many headers)"),
    ("/truncated", "cut off: the connection closed 5000 bytes before the end the server announced"),
    ("/ftp-redirect", "redirected to a ftp: URL, not followed"),
    ("/unknown-encoding", "an encoding we cannot read (Content-Encoding: br)"),
    ("/random-untyped", "not an article page: mostly control characters"),
])
def test_a_broken_answer_is_one_line_naming_its_url_and_the_rest_is_archived(server, tmp_path, path, reason):
    bad = server.url + path
    result = archive(tmp_path / "home", "add", bad, f"{server.url}/article", str(SEED))
    assert result.returncode == 1, result.stderr
    lines = errors(result)
    assert len(lines) == 1 and lines[0].startswith(f"archive: {bad}: {reason}"), lines
    assert result.stdout.strip().splitlines()[-1] == "2 added, 0 already archived, 1 failed"


def test_a_redirect_to_ftp_opens_no_connection_there(server, tmp_path):
    result = archive(tmp_path / "home", "add", f"{server.url}/ftp-redirect")
    assert result.returncode == 1
    assert server.ftp_connections() == 0


@pytest.mark.parametrize("path", ["/raw-deflate", "/zlib-deflate"])
def test_deflate_bodies_raw_or_zlib_wrapped_are_read(server, tmp_path, path):
    result = archive(tmp_path / "home", "add", server.url + path, "--json")
    assert result.returncode == 0, result.stderr
    [record] = json.loads(result.stdout)["inputs"]
    assert record["status"] == "added" and record["title"].startswith("Deflate")


@pytest.mark.parametrize("path", ["/trickle-headers", "/trickle-body"])
def test_a_server_sending_one_byte_at_a_time_cannot_hold_add_past_its_timeout(server, tmp_path, path):
    bad = server.url + path
    result = archive(tmp_path / "home", "add", bad, f"{server.url}/article", "--timeout", "1")
    assert result.returncode == 1
    assert errors(result) == [f"archive: {bad}: the answer did not complete within 1 s"]
    assert "1 added" in result.stdout


def test_urls_that_cannot_be_fetched_are_one_line_each_and_the_rest_goes_on(server, tmp_path):
    bad = ["http://[::1:bad/x", "http://127.0.0.1:99999/x", "http://127.0.0.1:port/x"]
    result = archive(tmp_path / "home", "add", *bad, f"{server.url}/article", str(SEED))
    assert result.returncode == 1
    assert errors(result) == [
        "archive: http://[::1:bad/x: not a valid URL (Invalid IPv6 URL)",
        "archive: http://127.0.0.1:99999/x: not a valid URL (Port out of range 0-65535)",
        "archive: http://127.0.0.1:port/x: not a valid URL (Port could not be cast to integer value "
        "as 'port')",
    ]
    assert "2 added" in result.stdout


def test_a_space_or_accents_in_a_query_are_sent_percent_encoded(server, tmp_path):
    urls = [f"{server.url}/echo?q=conseil communal", f"{server.url}/echo?q=élection"]
    result = archive(tmp_path / "home", "add", *urls, "--json")
    assert result.returncode == 0, result.stderr
    assert [r["status"] for r in json.loads(result.stdout)["inputs"]] == ["added", "added"]
    assert sorted(server.requests) == ["/echo?q=%C3%A9lection", "/echo?q=conseil%20communal"]


def test_a_reason_phrase_with_escape_sequences_never_reaches_the_terminal_raw(server, tmp_path):
    bad = f"{server.url}/escape-in-reason"
    result = archive(tmp_path / "home", "add", bad)
    assert result.returncode == 1
    [line] = errors(result)
    assert "\x1b" not in line and "\x07" not in line
    assert line.startswith(f"archive: {bad}: HTTP 404 \\x1b]0;owned\\x07")


def test_every_broken_server_at_once_fails_alone_and_the_rest_is_archived(server, tmp_path):
    bad = [server.url + path for path in ROUTES if path not in ("/article", "/echo", "/raw-deflate",
                                                                  "/zlib-deflate")]
    bad += ["http://[::1:bad/x", "http://127.0.0.1:99999/x"]
    result = archive(tmp_path / "home", "add", *bad, f"{server.url}/article", f"{server.url}/raw-deflate",
                     str(SEED), "--timeout", "2")
    assert result.returncode == 1
    lines = errors(result)
    assert len(lines) == len(bad), lines
    assert [line.split(": ", 2)[1] for line in lines] == bad
    assert result.stdout.strip().splitlines()[-1] == f"3 added, 0 already archived, {len(bad)} failed"
