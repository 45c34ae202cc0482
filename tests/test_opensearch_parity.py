"""The same French search on both engines: the probes of tests/test_search_probes.py
run against Whoosh and the cluster on one archive must find the same articles, and
the cluster's analyzers must give Whoosh's terms at Whoosh's positions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.pages import read_page
from archive.store import Store
from cli.main import cli
from index.analysis import french_analyzer, surface_analyzer
from index.indexer import ArchiveIndex
from index.opensearch import OpenSearchEngine
from index.search import QueryError, search
from tests.test_search_probes import ARTICLES, PROBES

# Words that exercise each step of the chain beyond what the fixture articles hold.
EDGE_CASES = ("3ème XXe siècle Ier 1ère 21er A320 4MATIC COVID-19 Époqu'Auto aujourd’hui "
              "Trump's Mer Dre prud’homme 5 000 2.5 présidées françaises suspendre "
              "c'est-à-dire jusqu’à l’Île-de-France 2019-2020 Œdipe 1.234,56 2 500,75 €")
GROUPED = re.compile(r"\d[\s.,]\d|^\d{4,}$")


@pytest.fixture(scope="module")
def engines(opensearch_cluster, tmp_path_factory):
    """One archive of the fixture articles (added through the CLI), indexed by Whoosh
    and by the cluster; yields (home, whoosh, cluster)."""
    home = tmp_path_factory.mktemp("parity") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_OPENSEARCH_URL", opensearch_cluster.url)
        patch.setenv("ARCHIVE_OPENSEARCH_INDEX", "test-parity-probes")
        patch.setenv("ARCHIVE_OPENSEARCH_REPLICAS", "0")
        result = CliRunner().invoke(cli, ["--home", str(home), "add", str(ARTICLES)],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
        cluster = OpenSearchEngine.from_environment(home)
    whoosh = ArchiveIndex(home)
    with Store.open(home) as store:
        cluster.rebuild(store)
    yield home, whoosh, cluster
    whoosh.close()
    cluster.client.indices.delete(index=cluster.config.index)
    cluster.close()


def found(engines, engine, query: str, **options) -> set[str]:
    home = engines[0]
    with Store.open(home) as store:
        result = search(engine, store, query, limit=50, **options)
    return {Path(hit.article.origin).stem for hit in result.hits}


@pytest.mark.parametrize("query, must, must_not", PROBES, ids=[p[0] for p in PROBES])
def test_probe_finds_the_same_articles_on_both_engines(engines, query, must, must_not):
    _, whoosh, cluster = engines
    on_cluster = found(engines, cluster, query)
    assert on_cluster == found(engines, whoosh, query)
    assert must <= on_cluster and not (must_not & on_cluster)


@pytest.mark.parametrize("query, options", [
    ("Irak", {"site": "Le Monde"}), ("Irak", {"site": "le soir"}),
    ("irakien", {"since": "2020"}), ("irakien", {"until": "2019-12-31"}),
    ("irakien", {"since": "2020-01-06", "until": "2020-01"}),
    ("irakien", {"sort": "date"}), ("Irak", {"collapse": False}),
])
def test_filters_and_options_find_the_same_articles(engines, query, options):
    _, whoosh, cluster = engines
    assert found(engines, cluster, query, **options) == found(engines, whoosh, query, **options)


def test_a_query_of_stop_words_says_so_before_reaching_the_cluster(engines):
    with pytest.raises(QueryError, match="stop words"):
        found(engines, engines[2], "les des du")


def test_the_title_ranks_above_the_body_on_the_cluster_too(engines):
    with Store.open(engines[0]) as store:
        result = search(engines[2], store, "Ramadi OR Zelensky OR Otan")
    assert {Path(h.article.origin).stem for h in result.hits[:3]} == {
        "soldat_sudouest", "presidentielle_rtbf", "otan_lemonde"}


def _lines() -> list[str]:
    lines = [EDGE_CASES]
    for path in sorted(ARTICLES.iterdir()):
        article = read_page(path.read_bytes(), str(path), name_hint=str(path))
        lines += [article.title, article.author or "", article.site or "", *article.body]
    return [line for line in lines if line.strip()]


@pytest.mark.parametrize("analyzer, whoosh", [("french_archive", french_analyzer()),
                                              ("french_surface", surface_analyzer())])
def test_cluster_analyzers_give_whoosh_terms_at_whoosh_positions(engines, analyzer, whoosh):
    cluster = engines[2]
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
