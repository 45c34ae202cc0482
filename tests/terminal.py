"""The installed `archive` script run on a real pseudo-terminal (the `pty` module's
openpty), for behaviour that depends on a terminal: width, pager, colours, prompts."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "archive"


@dataclass
class Screen:
    """What a run printed on the terminal (stdout and stderr, newlines as \\n), what went
    to stdout when it was piped, and the exit code."""

    returncode: int
    text: str
    piped: str = ""


def in_terminal(*args: str, home: Path, env: dict[str, str] | None = None, columns: int = 80,
                rows: int = 24, answer: tuple[str, str] | None = None, stdout_piped: bool = False,
                timeout: float = 60) -> Screen:
    """Run `archive --home HOME ARGS` with stdin, stderr (and stdout unless piped) on a
    terminal of this size; `answer` = (prompt, reply) types the reply once the prompt shows."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {**os.environ, "TERM": "xterm-256color", **(env or {})}
    environment.pop("COLUMNS", None)
    environment.pop("LINES", None)
    process = subprocess.Popen([str(SCRIPT), "--home", str(home), *args], stdin=slave,
                               stdout=subprocess.PIPE if stdout_piped else slave, stderr=slave,
                               env=environment, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    answered = answer is None
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.2)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:  # EIO: every holder of the terminal closed it
                    break
                if not data:
                    break
                chunks.append(data)
                if not answered and answer[0].encode() in b"".join(chunks):
                    os.write(master, answer[1].encode() + b"\n")
                    answered = True
            elif process.poll() is not None:
                break
        piped = process.stdout.read().decode() if stdout_piped else ""
        process.wait(timeout=max(deadline - time.monotonic(), 1))
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return Screen(process.returncode, text, piped)
