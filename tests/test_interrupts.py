"""Ctrl-C as a terminal sends it, to the whole process group: one line, exit 130, no
traceback from the command or its workers, nothing committed lost; the next command
says a rebuild was interrupted and finishes it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import SCRIPT
from tests.test_crash_safety import make_pages


def start(home: Path, *args: str, engine: str = "tantivy", batch: str = "20") -> subprocess.Popen:
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_ENGINE": engine,
           "ARCHIVE_BATCH_SIZE": batch}
    return subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env, start_new_session=True)


def interrupt_group(process: subprocess.Popen) -> tuple[str, str]:
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=120)
    return out, err


def wait_for(condition, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never came")
        time.sleep(0.01)


def run(home: Path, *args: str, engine: str = "tantivy") -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_ENGINE": engine}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=300)


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
@pytest.mark.parametrize("after", [1, 150])
def test_ctrl_c_of_the_process_group_during_add_is_one_line_and_130(tmp_path, engine, after):
    folder = tmp_path / "pages"
    words = make_pages(folder, 400)
    home = tmp_path / "home"
    process = start(home, "add", str(folder), engine=engine)
    seen = 0
    for line in process.stdout:
        seen += line.startswith("added")
        if seen >= after:
            break
    _, err = interrupt_group(process)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["archive: interrupted; everything reported before was kept"]
    again = run(home, "add", str(folder), engine=engine)
    assert again.returncode == 0, again.stderr
    checked = json.loads(run(home, "check", "--json", engine=engine).stdout)
    assert checked["ok"] and checked["articles"] == len(words) == checked["indexed"]


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_ctrl_c_during_reindex_then_the_next_command_finishes_the_rebuild(tmp_path, engine):
    folder = tmp_path / "pages"
    make_pages(folder, 1500)
    home = tmp_path / "home"
    assert run(home, "add", str(folder), engine=engine).returncode == 0
    process = start(home, "reindex", engine=engine)
    building = home / ("tantivy.new" if engine == "tantivy" else "index.new")
    wait_for(lambda: building.exists() or process.poll() is not None)
    _, err = interrupt_group(process)
    if process.returncode == 0:
        pytest.skip("the reindex finished before the interrupt arrived")
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["archive: interrupted; everything reported before was kept"]
    found = run(home, "search", "conseil", "--json", engine=engine)
    assert found.returncode == 0, found.stderr
    assert "interrupted" in found.stderr and "another version" not in found.stderr
    assert json.loads(found.stdout)["total"] == 1500
    assert not building.exists()
