"""Processes at once on one archive: two first adds into an empty home, searches during a
reindex, an index deleted while searches run. Nothing hangs (every process is bounded),
nothing is lost or indexed twice, no lock error reaches the user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading

import pytest

from tests.conftest import SCRIPT
from tests.engines import index_folder
from tests.test_crash_safety import make_pages


def run(home, *args, engine="tantivy", timeout=300) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_ENGINE": engine,
           "ARCHIVE_BATCH_SIZE": "20"}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def start(home, *args, engine="tantivy") -> subprocess.Popen:
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_ENGINE": engine,
           "ARCHIVE_BATCH_SIZE": "20"}
    return subprocess.Popen([str(SCRIPT), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)


def assert_whole(home, engine: str, count: int) -> None:
    report = json.loads(run(home, "check", "--json", engine=engine).stdout)
    assert report["ok"], report
    assert report["articles"] == report["indexed"] == count


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_two_first_adds_into_an_empty_home_index_each_article_once(tmp_path, engine):
    first, second = tmp_path / "a", tmp_path / "b"
    make_pages(first, 200)
    make_pages(second, 200, start=200)
    home = tmp_path / "home"  # does not exist yet: both create it
    adds = [start(home, "add", str(folder), engine=engine) for folder in (first, second)]
    outputs = [p.communicate(timeout=600) for p in adds]
    for process, (_out, err) in zip(adds, outputs, strict=True):
        assert process.returncode == 0, err
        assert "Traceback" not in err and "busy" not in err
    assert_whole(home, engine, 400)


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_searches_during_a_reindex_answer_from_the_index_as_it_was(tmp_path, engine):
    folder = tmp_path / "pages"
    words = make_pages(folder, 1200)
    home = tmp_path / "home"
    assert run(home, "add", str(folder), engine=engine).returncode == 0
    reindex = start(home, "reindex", engine=engine)
    answers: list[subprocess.CompletedProcess] = []
    while reindex.poll() is None:
        answers.append(run(home, "search", words[len(answers) % len(words)], "--json",
                           engine=engine, timeout=120))
    out, err = reindex.communicate(timeout=600)
    assert reindex.returncode == 0, err
    assert out.strip() == "indexed 1200 articles"
    assert answers, "the reindex ended before any search started"
    for answer in answers:
        assert answer.returncode == 0, answer.stderr
        assert json.loads(answer.stdout)["total"] == 1
        assert "another version" not in answer.stderr and "Traceback" not in answer.stderr
    assert_whole(home, engine, 1200)


@pytest.mark.parametrize("engine", ["tantivy", "whoosh"])
def test_deleting_the_index_while_searches_run_never_hangs_them(tmp_path, engine):
    folder = tmp_path / "pages"
    words = make_pages(folder, 300)
    home = tmp_path / "home"
    assert run(home, "add", str(folder), engine=engine).returncode == 0
    stop = threading.Event()

    def delete_again_and_again() -> None:
        while not stop.is_set():
            shutil.rmtree(index_folder(home, engine), ignore_errors=True)
            stop.wait(0.2)

    deleter = threading.Thread(target=delete_again_and_again)
    deleter.start()
    try:
        answers = [run(home, "search", words[n], "--json", engine=engine, timeout=120)
                   for n in range(12)]
    finally:
        stop.set()
        deleter.join()
    for answer in answers:
        assert "Traceback" not in answer.stderr and "internal error" not in answer.stderr, answer.stderr
        if answer.returncode == 0:
            assert json.loads(answer.stdout)["total"] == 1
        else:  # the index vanished under it mid-search: one error line, and the next one works
            lines = answer.stderr.strip().splitlines()
            errors = [line for line in lines if line.startswith("Error: ")]
            notices = [line for line in lines if line.startswith("archive: ")]  # "rebuilding…"
            assert answer.returncode == 1 and len(errors) == 1, answer.stderr
            assert len(errors) + len(notices) == len(lines), answer.stderr
    after = run(home, "search", words[0], "--json", engine=engine)  # once the deleting stops
    assert after.returncode == 0, after.stderr
    assert json.loads(after.stdout)["total"] == 1
    assert_whole(home, engine, 300)
