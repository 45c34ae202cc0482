"""`archive serve`: open the archive, bind the socket, print where, serve until Ctrl-C."""

from __future__ import annotations

import asyncio
import socket
import webbrowser
from collections.abc import Callable
from pathlib import Path

import uvicorn

from index.home import ArchiveHome
from web.app import create_app
from web.guard import LOOPBACK_NAMES


def serve(home_path: Path, engine: str | None, host: str, port: int, open_browser: bool,
          say: Callable[[str], None], notice: Callable[[str], None]) -> None:
    """Serve the archive in `home_path` on host:port (0: a free port) until interrupted.
    `say` prints the address line on stdout, `notice` a warning or a notice on stderr."""
    last: list[str] = []

    def notify(message: str) -> None:  # an index caught up, once per distinct notice
        if not last or last[-1] != message:
            last[:] = [message]
            notice(f"archive: {message}")

    home = ArchiveHome(home_path, engine=engine, notify=notify)
    try:
        home.catch_up()  # a first index build happens before the address is printed
        listening = _bind(host, port)
        bound = listening.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{bound}/"
        if host not in LOOPBACK_NAMES:
            notice(f"archive: warning: serving on {host}: anyone who can reach this address "
                "can read the whole archive")
        say(f"archive: serving {home_path} on {url} (Ctrl-C to stop)")
        loopback = host in LOOPBACK_NAMES
        hosts = LOOPBACK_NAMES if loopback else (*LOOPBACK_NAMES, host, socket.gethostname(),
                                                 socket.getfqdn())
        app = create_app(home, str(home_path), hosts=hosts, any_address=not loopback)
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                                server_header=False, date_header=False)
        server = uvicorn.Server(config)
        if open_browser:
            webbrowser.open(url)
        try:
            asyncio.run(server.serve(sockets=[listening]))
        except KeyboardInterrupt:  # uvicorn shut down cleanly, then passed Ctrl-C on
            pass
        notice("archive: stopped")
    finally:
        home.close()


def _bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the address is printed (port 0: a free one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it each response's body waited for the headers' delayed ACK (40 ms).
    listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        raise OSError(error.errno, f"cannot listen on {host}:{port}: {error.strerror}") from None
    listening.listen(128)
    listening.set_inheritable(True)
    return listening

