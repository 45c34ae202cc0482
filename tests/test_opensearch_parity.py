"""The same French analysis on the cluster: its analyzers must give index/analysis.py's
terms at its positions. (Every probe and option of tests/test_search_probes.py finds the
same articles on every engine, the cluster's included: that file checks it.)"""

from __future__ import annotations

import re

import pytest

from archive.pages import read_page
from archive.store import Store
from index.analysis import french_analyzer, surface_analyzer
from index.engines.opensearch import OpenSearchEngine
from index.search import QueryError, search
from tests.test_search_probes import ARTICLES

RELEVANCE = ARTICLES.parent / "relevance"  # the fixtures of questions, variants and forms

# Words that exercise each step of the chain beyond what the fixture articles hold.
EDGE_CASES = ("3ème XXe siècle Ier 1ère 21er A320 4MATIC COVID-19 Époqu'Auto aujourd’hui "
              "Trump's Mer Dre prud’homme 5 000 2.5 présidées françaises suspendre "
              "c'est-à-dire jusqu’à l’Île-de-France 2019-2020 Œdipe 1.234,56 2 500,75 € "
              "Qu'est-ce sont-ils a-t-il Va-T-Elle grand-mère-t-elle celui-ci jour-là rendez-vous "
              "Jong-il votent créent moment président Laurent vient votaient voient jihadistes "
              "anti-jihadiste Daesh al-Qaeda XXIe Ire IIe Ve XXXIXe XLe Le De Me ils elles leurs")
GROUPED = re.compile(r"\d[\s.,]\d|^\d{4,}$")


@pytest.fixture(scope="module")
def cluster(opensearch_cluster, tmp_path_factory):
    """An empty archive's index on the session cluster, for its analyzers."""
    home = tmp_path_factory.mktemp("parity") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_OPENSEARCH_URL", opensearch_cluster.url)
        patch.setenv("ARCHIVE_OPENSEARCH_INDEX", "test-parity-analysis")
        patch.setenv("ARCHIVE_OPENSEARCH_REPLICAS", "0")
        engine = OpenSearchEngine.from_environment(home)
    with Store.open(home, create=True) as store:
        engine.rebuild(store)
    yield home, engine
    engine.client.indices.delete(index=engine.config.index)
    engine.close()


def test_a_query_of_stop_words_says_so_before_reaching_the_cluster(cluster):
    home, engine = cluster
    with Store.open(home) as store, pytest.raises(QueryError, match="stop words"):
        search(engine, store, "les des du")


def _lines() -> list[str]:
    lines = [EDGE_CASES]
    for path in sorted([*ARTICLES.iterdir(), *RELEVANCE.iterdir()]):
        article = read_page(path.read_bytes(), str(path), name_hint=str(path))
        lines += [article.title, article.author or "", article.site or "", *article.body]
    return [line for line in lines if line.strip()]


@pytest.mark.parametrize("analyzer, whoosh", [("french_archive", french_analyzer()),
                                              ("french_surface", surface_analyzer())])
def test_cluster_analyzers_give_whoosh_terms_at_whoosh_positions(cluster, analyzer, whoosh):
    cluster = cluster[1]
    differ = []
    for line in _lines():
        want = {(t.text, t.pos) for t in whoosh(line, positions=True)}
        tokens = cluster.client.indices.analyze(index=cluster.config.index,
                                                body={"analyzer": analyzer, "text": line})
        got = {(t["token"], t["position"]) for t in tokens["tokens"]}
        if analyzer == "french_surface":
            # Grouped numbers: Whoosh keeps "5 000" and "5.000" as typed, the cluster
            # joins them ("5000"); the vocabulary corrects words of letters only.
            want, got = ({(t, p) for t, p in s if not GROUPED.search(t)} for s in (want, got))
        if want != got:
            differ.append((line[:40], sorted(want - got)[:3], sorted(got - want)[:3]))
    assert differ == []
