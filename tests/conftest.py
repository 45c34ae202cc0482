"""Shared fixtures: a fresh archive home, the seed article, a CLI runner."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from cli.main import cli

# Properties are about behaviour, never time: a shared machine makes any deadline flaky.
settings.register_profile("archive", deadline=None)
settings.load_profile("archive")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_192eed5866ea1362.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


SCRIPT = Path(sys.executable).parent / "archive"
DROP_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search",
                 "--inh-caps", "-dac_override,-dac_read_search"]


def run_without_override(home: Path, *args: str) -> subprocess.CompletedProcess:
    """Run the CLI so that file permissions apply: root drops its power to bypass them."""
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        pytest.skip("root bypasses file permissions and setpriv is not there to drop that")
    prefix = DROP_OVERRIDE if os.geteuid() == 0 else []
    env = {**os.environ, "ARCHIVE_HOME": str(home)}
    return subprocess.run([*prefix, str(SCRIPT), *args], capture_output=True, text=True, env=env,
                          timeout=120)


@pytest.fixture(autouse=True)
def _isolated_home(monkeypatch, tmp_path_factory):
    """No test may touch the user's real archive: ARCHIVE_HOME points at a temp folder."""
    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path_factory.mktemp("default-home")))
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def run(home: Path):
    """Invoke the real CLI on `home`; returns click's Result (stdout and stderr apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: bytes | str | None = None):
        return runner.invoke(cli, ["--home", str(home), *args], input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def seeded(run):
    """An archive holding the seed article; returns its id."""
    result = run("add", str(SEEDS))
    assert result.exit_code == 0, result.output
    return json.loads(run("list", "--json").stdout)[0]["id"]


# --- a real OpenSearch cluster, once per session (engines/opensearch/cluster) ----------

CLUSTER_SCRIPT = ROOT / "engines" / "opensearch" / "cluster"


def _free_port_pair() -> int:
    """A port p with p and p+1 free on 127.0.0.1 (a node's HTTP or transport port each)."""
    import random
    import socket

    for _ in range(200):
        base = random.randrange(20000, 29000)
        try:
            with socket.socket() as a, socket.socket() as b:
                a.bind(("127.0.0.1", base))
                b.bind(("127.0.0.1", base + 1))
        except OSError:
            continue
        return base
    raise RuntimeError("no two free ports in 20000-29000")


class LocalCluster:
    """The session's cluster: its URL, and the script's controls for the node tests."""

    def __init__(self, url: str, env: dict[str, str]):
        self.url = url
        self.env = env

    def script(self, *args: str, timeout: float = 300) -> str:
        import subprocess

        done = subprocess.run([str(CLUSTER_SCRIPT), *args], env=self.env, capture_output=True,
                              text=True, timeout=timeout)
        assert done.returncode == 0, f"cluster {' '.join(args)}: {done.stderr[-2000:]}"
        return done.stdout

    def pid(self, node: str) -> int:
        pids = Path(self.env["ARCHIVE_CLUSTER_STATE"], "pids").read_text().split("\n")
        return next(int(line.split()[1]) for line in pids if line.startswith(node + " "))


@pytest.fixture(scope="session")
def opensearch_cluster(tmp_path_factory):
    """Two OpenSearch nodes on free local ports for the whole session, stopped at the end;
    skipped (with the reason printed) only when java or mvn is missing."""
    import os
    import shutil
    import subprocess

    missing = [tool for tool in ("java", "mvn") if shutil.which(tool) is None]
    if missing:
        pytest.skip(f"the OpenSearch tests need {' and '.join(missing)} (Java 17 and Maven) "
                    "to start a local cluster; not found on PATH")
    env = {**os.environ, "ARCHIVE_CLUSTER_STATE": str(tmp_path_factory.mktemp("cluster")),
           "ARCHIVE_CLUSTER_HTTP_PORT": str(_free_port_pair()),
           "ARCHIVE_CLUSTER_TRANSPORT_PORT": str(_free_port_pair()),
           "ARCHIVE_CLUSTER_JAVA_OPTS": "-XX:TieredStopAtLevel=1"}  # starts faster; not for benchmarks
    started = subprocess.run([str(CLUSTER_SCRIPT), "start", "2"], env=env, capture_output=True,
                             text=True, timeout=600)
    try:
        assert started.returncode == 0, f"cluster start failed:\n{started.stderr[-3000:]}"
        url = started.stdout.strip().splitlines()[-1].split("=", 1)[1]
        yield LocalCluster(url, env)
    finally:
        subprocess.run([str(CLUSTER_SCRIPT), "stop"], env=env, capture_output=True, timeout=120)


@pytest.fixture
def opensearch(opensearch_cluster, monkeypatch, request):
    """ARCHIVE_OPENSEARCH_* pointing at the session cluster, with an index of this test's
    own (deleted afterwards); yields the cluster."""
    import re

    index = "test-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower())[:80].strip("-")
    monkeypatch.setenv("ARCHIVE_OPENSEARCH_URL", opensearch_cluster.url)
    monkeypatch.setenv("ARCHIVE_OPENSEARCH_INDEX", index)
    monkeypatch.setenv("ARCHIVE_OPENSEARCH_REPLICAS", "0")  # green on one node too
    yield opensearch_cluster
    from opensearchpy import OpenSearch

    client = OpenSearch(opensearch_cluster.url.split(","))
    client.indices.delete(index=index, ignore_unavailable=True)
    client.close()


# --- one behaviour on every engine ------------------------------------------------------

@pytest.fixture(params=["tantivy", "whoosh", "opensearch"])
def engine(request, monkeypatch) -> str:
    """Each engine in turn, chosen the way a user chooses it ($ARCHIVE_ENGINE); the
    cluster's with an index of this test's own."""
    if request.param == "opensearch":
        request.getfixturevalue("opensearch")
    monkeypatch.setenv("ARCHIVE_ENGINE", request.param)
    return request.param


@pytest.fixture(params=["tantivy", "whoosh"])
def file_engine(request, monkeypatch) -> str:
    """Each engine that keeps its index in the archive home."""
    monkeypatch.setenv("ARCHIVE_ENGINE", request.param)
    return request.param
