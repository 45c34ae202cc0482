"""Distributed behaviour on the session's 2-node cluster: 2 primaries and 1 replica go
green; a node killed with SIGKILL loses no article, searches go on, adds go on (or say
clearly that the next command indexes them); the node comes back green."""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from index.engines.opensearch import OpenSearchEngine
from tests.conftest import SEEDS

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


def invoke(home: Path, *args: str):
    return CliRunner().invoke(cli, ["--home", str(home), "--engine", "opensearch", *args],
                              catch_exceptions=False)


def every_article(home: Path) -> int:
    """How many articles a search for everything ("-word" alone) finds through the CLI."""
    result = invoke(home, "search", "-Zalando", "--copies", "--json", "--limit", "100")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["total"]


def green(client, index: str, seconds: float = 120) -> dict:
    """The index health once green (the client library cannot pass the server-side
    `timeout`: it takes it for its own, so the wait is a loop of 30 s waits)."""
    deadline = time.monotonic() + seconds
    while True:
        health = client.cluster.health(index=index, wait_for_status="green", request_timeout=40)
        if health["status"] == "green" or time.monotonic() > deadline:
            return health


def wait_until_gone(pid: int) -> None:
    deadline = time.monotonic() + 30
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # the kernel reaps it; the script that started it is not waiting
    assert not Path(f"/proc/{pid}/cmdline").exists() or not Path(f"/proc/{pid}/cmdline").read_bytes()


def test_a_killed_node_loses_no_article_and_comes_back_green(opensearch, monkeypatch, home):
    monkeypatch.setenv("ARCHIVE_OPENSEARCH_SHARDS", "2")
    monkeypatch.setenv("ARCHIVE_OPENSEARCH_REPLICAS", "1")
    assert invoke(home, "add", str(ARTICLES)).exit_code == 0
    engine = OpenSearchEngine.from_environment(home)
    client, index = engine.client, engine.config.index
    health = green(client, index)
    assert (health["status"], health["number_of_nodes"], health["active_primary_shards"],
            health["active_shards"]) == ("green", 2, 2, 4)

    # With 2 nodes only the elected manager votes: killing it would stop writes
    # (engines/opensearch/README.md), so the node killed is the other one.
    manager = client.cat.cluster_manager(format="json")[0]["node"]
    victim = "node-2" if manager == "node-1" else "node-1"
    pid = opensearch.pid(victim)
    os.kill(pid, signal.SIGKILL)
    wait_until_gone(pid)

    assert every_article(home) == 12
    added = invoke(home, "add", str(SEEDS))
    assert added.exit_code == 0, added.output
    print(f"add during the outage: {added.stderr.strip() or 'indexed at once'}")
    if "the next command will index them" in added.stderr:  # the add could not index: retry
        assert invoke(home, "check").exit_code == 0
    assert every_article(home) == 13

    opensearch.script("restart-node", victim.split("-")[1])
    health = green(client, index)
    assert (health["status"], health["number_of_nodes"], health["unassigned_shards"]) == \
        ("green", 2, 0)
    checked = json.loads(invoke(home, "check", "--json").stdout)
    assert (checked["articles"], checked["indexed"], checked["ok"]) == (13, 13, True)
    assert engine.count() == 13
    engine.close()


def test_a_cluster_that_stops_answering_is_a_timeout_in_one_line(opensearch, home):
    """Both nodes frozen (SIGSTOP): the client gives up after ARCHIVE_OPENSEARCH_TIMEOUT
    per try and the CLI says so in one line; thawed, the cluster serves again."""
    assert invoke(home, "add", str(SEEDS)).exit_code == 0
    pids = [opensearch.pid(node) for node in ("node-1", "node-2")]
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        result = CliRunner().invoke(cli, ["--home", str(home), "--engine", "opensearch",
                                          "search", "Soleimani"],
                                    env={"ARCHIVE_OPENSEARCH_TIMEOUT": "1"})
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: the OpenSearch cluster at {opensearch.url} did not answer within 1 s"]
    engine = OpenSearchEngine.from_environment(home)
    assert green(engine.client, engine.config.index)["status"] == "green"
    assert every_article(home) == 1
    engine.close()
