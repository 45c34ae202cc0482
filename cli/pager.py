"""Long output through a pager, as git and gh do: `less -R` unless $ARCHIVE_PAGER or
$PAGER says otherwise, only when stdout is a terminal and the text is taller than it."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from cli.output import terminal_rows

DEFAULT_PAGER = "less"
# less: -F quits when the text fits, -R passes colours, -X leaves the text on screen.
DEFAULT_LESS = "FRX"


def pager_command() -> str | None:
    """The pager to run ($ARCHIVE_PAGER, then $PAGER, then less), None for none ("" or cat)."""
    for name in ("ARCHIVE_PAGER", "PAGER"):
        if name in os.environ:
            command = os.environ[name].strip()
            return None if command in ("", "cat") else command
    return DEFAULT_PAGER


def show(text: str, paging: bool = True, styled: bool = False) -> None:
    """Print `text`, through the pager when paging, stdout is a terminal and the text
    is taller than it; `styled` keeps its escapes even on a pipe (--color always)."""
    command = pager_command() if paging else None
    if command is None or not _isatty() or text.count("\n") + 1 < terminal_rows():
        click.echo(text, color=True if styled else None)
        return
    env = {**os.environ}
    env.setdefault("LESS", DEFAULT_LESS)
    env.setdefault("LV", "-c")
    sys.stdout.flush()
    try:
        pager = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        click.echo(text, color=True if styled else None)
        return
    assert pager.stdin is not None  # stdin=PIPE
    try:
        pager.stdin.write((text + "\n").encode(sys.stdout.encoding or "utf-8", "replace"))
        pager.stdin.close()
    except BrokenPipeError:  # the reader quit the pager before the end: that is fine
        pass
    while True:
        try:
            pager.wait()
            return
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager (less ignores it)
            continue


def _isatty() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False
