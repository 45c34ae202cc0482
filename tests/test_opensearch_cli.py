"""`archive --engine opensearch` end to end: the real CLI on a real local cluster
(tests/conftest.py starts it), compared with the Whoosh engine on the same archive."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Store
from cli.main import cli
from index.engines.opensearch import OpenSearchEngine
from tests.conftest import ROOT, SEEDS

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture
def on(opensearch, home):
    """on(engine, *args): the real CLI on one archive home with the chosen engine."""

    def invoke(engine: str, *args: str):
        return CliRunner().invoke(cli, ["--home", str(home), "--engine", engine, *args],
                                  catch_exceptions=False)

    return invoke


def search_json(on, engine: str, *args: str) -> dict:
    result = on(engine, "search", *args, "--json")
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)
    assert result.exit_code == (0 if found["hits"] else 1), "a search exits 1 when it finds nothing"
    return found


def without_scores(data: dict) -> dict:
    """The JSON with scores left out: BM25 on the cluster and BM25F in Whoosh differ."""
    for hit in data["hits"]:
        hit.pop("score")
    return data


def test_search_on_the_cluster_answers_the_same_json_as_whoosh(on):
    assert on("opensearch", "add", str(SEEDS)).exit_code == 0
    cluster = search_json(on, "opensearch", "Soleimani")
    assert set(cluster["hits"][0]) == {"id", "title", "site", "published", "url", "origin",
                                       "score", "snippets", "also_in", "missing"}
    assert without_scores(cluster) == without_scores(search_json(on, "whoosh", "Soleimani"))
    snippets = cluster["hits"][0]["snippets"]
    assert {s["text"][a:b] for s in snippets for a, b in s["highlights"]} == {"Soleimani"}


@pytest.mark.parametrize("query", ["etat islamique", "soldats irakiens", "Irak -Otan",
                                   '"forces irakiennes"', "djihad*", "title:suspend"])
def test_fixture_searches_give_the_same_ids_and_highlights_on_both_engines(on, query):
    assert on("opensearch", "add", str(ARTICLES)).exit_code == 0
    cluster, whoosh = (search_json(on, engine, query, "--limit", "20") for engine in
                       ("opensearch", "whoosh"))
    assert cluster["total"] == whoosh["total"]
    assert sorted(h["id"] for h in cluster["hits"]) == sorted(h["id"] for h in whoosh["hits"])
    assert ({h["id"]: h["snippets"] for h in cluster["hits"]}
            == {h["id"]: h["snippets"] for h in whoosh["hits"]})


@pytest.mark.parametrize("typed, suggestion", [
    ("Soleimany", "Soleimani"), ("irakienes", "irakiennes"), ("Teheren", "Téhéran"),
])
def test_did_you_mean_from_the_cluster_vocabulary(on, typed, suggestion):
    assert on("opensearch", "add", str(ARTICLES)).exit_code == 0
    assert search_json(on, "opensearch", typed)["suggestion"] == suggestion
    assert search_json(on, "opensearch", "Irak")["suggestion"] is None


def test_sort_by_date_puts_the_newest_first(on):
    assert on("opensearch", "add", str(ARTICLES)).exit_code == 0
    cluster = search_json(on, "opensearch", "irakien", "--sort", "date")
    dates = [h["published"] for h in cluster["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert [h["id"] for h in cluster["hits"]] == \
        [h["id"] for h in search_json(on, "whoosh", "irakien", "--sort", "date")["hits"]]


def test_reindex_check_and_remove_keep_the_cluster_equal_to_the_store(on, home):
    assert on("opensearch", "add", str(ARTICLES)).exit_code == 0
    reindexed = on("opensearch", "reindex")
    assert reindexed.exit_code == 0 and reindexed.stdout.strip() == "indexed 12 articles"
    checked = json.loads(on("opensearch", "check", "--json").stdout)
    assert (checked["articles"], checked["indexed"], checked["ok"]) == (12, 12, True)
    gone = search_json(on, "opensearch", "Soleimani")["hits"][0]["id"]
    assert on("opensearch", "remove", gone).exit_code == 0
    assert search_json(on, "opensearch", "Soleimani")["total"] == 0
    checked = json.loads(on("opensearch", "check", "--json").stdout)
    assert (checked["articles"], checked["indexed"], checked["ok"]) == (11, 11, True)


def test_replaying_every_change_is_idempotent(on, home):
    assert on("opensearch", "add", str(ARTICLES)).exit_code == 0
    engine = OpenSearchEngine.from_environment(home)
    with Store.open(home) as store:
        engine.client.indices.put_mapping(index=engine.config.index, body={"_meta": {
            **engine._meta(), "seq": 0}})  # as if the seq was never recorded: replay it all
        assert engine.synced_seq() == 0
        assert engine.sync(store) == 12  # 409 version conflicts: already done, not errors
        assert engine.sync(store) == 0
        assert engine.synced_seq() == store.last_seq()
    assert set(engine.indexed_ids().values()) == {1} and engine.count() == 12
    engine.close()


def test_changes_the_cluster_missed_are_indexed_by_the_next_command(on):
    # Added with Whoosh only: the store moved on while the cluster saw nothing, as when
    # archive is killed between the store commit and the bulk request.
    assert on("whoosh", "add", str(ARTICLES)).exit_code == 0
    result = on("opensearch", "search", "Soleimani", "--json")
    assert result.exit_code == 0
    assert "the index was behind the archive; indexed 12 missing articles" in result.stderr
    assert json.loads(result.stdout)["total"] == 1


def test_an_index_of_other_settings_is_rebuilt(on, home):
    assert on("opensearch", "add", str(SEEDS)).exit_code == 0
    engine = OpenSearchEngine.from_environment(home)
    engine.client.indices.put_mapping(index=engine.config.index, body={"_meta": {
        **engine._meta(), "format": "older"}})
    engine.close()
    result = on("opensearch", "search", "Soleimani", "--json")
    assert "built by another version of archive; rebuilding it" in result.stderr
    assert json.loads(result.stdout)["total"] == 1


def run_script(*args: str, **env: str) -> subprocess.CompletedProcess:
    """`python -m cli.main`, a real process with its own environment."""
    return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, text=True,
                          capture_output=True, env={**os.environ, **env}, timeout=180)


def test_a_subprocess_adds_and_searches_on_the_cluster(opensearch, tmp_path):
    home = str(tmp_path / "home")
    added = run_script("--home", home, "--engine", "opensearch", "add", str(SEEDS))
    assert added.returncode == 0, added.stderr
    found = run_script("--home", home, "search", "Soleimani", "--json", ARCHIVE_ENGINE="opensearch")
    assert found.returncode == 0, found.stderr
    assert [h["title"][:17] for h in json.loads(found.stdout)["hits"]] == ["Mort de Soleimani"]


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9", "cannot reach the OpenSearch cluster at http://127.0.0.1:9 "
                           "([Errno 111] Connection refused)"),
    ("", "the opensearch engine needs ARCHIVE_OPENSEARCH_URL"),
    ("127.0.0.1 9200", "ARCHIVE_OPENSEARCH_URL: '127.0.0.1 9200' is not a URL"),
])
def test_a_missing_or_unreachable_cluster_is_one_line_and_exit_1(tmp_path, url, message):
    home = str(tmp_path / "home")
    assert run_script("--home", home, "add", str(SEEDS)).returncode == 0
    for command in (["search", "Soleimani"], ["add", str(SEEDS)], ["check"], ["reindex"]):
        done = run_script("--home", home, "--engine", "opensearch", *command,
                          ARCHIVE_OPENSEARCH_URL=url)
        assert done.returncode == 1, (command, done.stderr)
        assert "Traceback" not in done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0], \
            (command, done.stderr)


def test_without_opensearch_py_the_engine_says_how_to_install_it(tmp_path):
    # sys.modules[name] = None makes `import opensearchpy` fail, as when it is not installed.
    code = ("import sys; sys.modules['opensearchpy'] = None; from cli.main import cli; "
            "cli(sys.argv[1:], prog_name='archive')")
    done = subprocess.run([sys.executable, "-c", code, "--home", str(tmp_path / "home"),
                           "--engine", "opensearch", "add", str(SEEDS)],
                          cwd=ROOT, text=True, capture_output=True, timeout=120,
                          env={**os.environ, "ARCHIVE_OPENSEARCH_URL": "http://127.0.0.1:9"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == ("Error: the opensearch engine needs opensearch-py: "
                                   "pip install '.[opensearch]'")
