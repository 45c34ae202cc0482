"""Probes: queries over an archive of hand-written French articles (tests/fixtures/articles
and tests/fixtures/relevance), each with the articles it must find and those it must not,
then how they rank: questions, pasted text, exact forms first, word forms and press
spellings, words close together, relaxation. The archive is built the way a user builds
one: `archive add` into a real SQLite store, indexed by every engine."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from unidecode import unidecode

from archive.store import Store
from cli.main import cli
from index.analysis import FRENCH_STOP_WORDS, analyze
from index.engines import open_engine
from index.search import QueryError, search
from tests.engines import cluster_environment

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"
RELEVANCE = Path(__file__).resolve().parent / "fixtures" / "relevance"


class ProbeArchive:
    """One home holding every fixture article (added through the real CLI), indexed by
    every engine: each probe must find the same articles on all of them."""

    def __init__(self, home: Path, engines: list[str]):
        self.home = home
        self.engines = {name: open_engine(home, name) for name in engines}
        self.store = Store.open(home)
        for engine in self.engines.values():
            engine.sync(self.store)

    def found_on(self, engine: str, query: str, **options) -> set[str]:
        result = search(self.engines[engine], self.store, query, limit=50, **options)
        return {Path(hit.article.origin).stem for hit in result.hits}

    def ranked_on(self, engine: str, query: str, **options) -> list[str]:
        result = search(self.engines[engine], self.store, query, **options)
        return [Path(hit.article.origin).stem for hit in result.hits]

    def search_on(self, engine: str, query: str, **options):
        return search(self.engines[engine], self.store, query, **options)

    def close(self) -> None:
        for engine in self.engines.values():
            engine.close()
        self.store.close()


@pytest.fixture(scope="module")
def probes(tmp_path_factory, request):
    home = tmp_path_factory.mktemp("probes") / "home"
    result = CliRunner().invoke(cli, ["--home", str(home), "add", str(ARTICLES), str(RELEVANCE)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with cluster_environment(request, "test-probes") as cluster:
        engines = ["tantivy", "whoosh"] + (["opensearch"] if cluster else [])
        archive = ProbeArchive(home, engines)
        yield archive
        archive.close()


@pytest.fixture(scope="module")
def archive(probes) -> Path:
    return probes.home


def found(probes: ProbeArchive, query: str, strict: bool = True, **options) -> set[str]:
    """The fixture names (file stems) of the articles the query finds, the same on every
    engine (else the test fails, naming the engines that differ). Strict by default: what
    the words match, without the articles relaxation adds to fill a page."""
    answers = {name: probes.found_on(name, query, strict=strict, **options)
               for name in probes.engines}
    first = answers["tantivy"]
    differ = {name: sorted(got ^ first) for name, got in answers.items() if got != first}
    assert not differ, f"{query!r} {options}: engines disagree with tantivy: {differ}"
    return first


COALITION, OTAN, LUTTE = "coalition_lesoir", "otan_lemonde", "lutte_rtbf"
SOLDAT, EUROPE, TEHERAN = "soldat_sudouest", "europe_lacroix", "teheran_nfd"
HISTOIRE, PARIS19, INDUSTRIE = "histoire_liberation", "paris19_lefigaro", "industrie_lesechos"
ELECTION, ELISIONS, COVID = "presidentielle_rtbf", "elisions_lalibre", "covid_franceinfo"
IRAQ_WAR = {COALITION, OTAN, SOLDAT}

# (query, articles that must be found, articles that must not be found)
PROBES = [
    # accents, case, Unicode forms
    ("Soleimani", {COALITION}, {OTAN, TEHERAN}),
    ("soleimani", {COALITION}, {OTAN}),
    ("Téhéran", {TEHERAN}, {COALITION}),
    ("teheran", {TEHERAN}, {COALITION}),
    (unicodedata.normalize("NFD", "Téhéran représailles"), {TEHERAN}, set()),
    ("TEHERAN REPRESAILLES", {TEHERAN}, set()),
    ("Élysée", {ELISIONS}, set()),
    ("elysee", {ELISIONS}, set()),
    ("cœur", {HISTOIRE}, set()),
    ("coeur de l'europe", {HISTOIRE}, {EUROPE}),
    ("oeuvre", {HISTOIRE}, set()),
    ("Œuvre", {HISTOIRE}, set()),
    # elisions, with ' ’ and ʼ
    ("l'Etat islamique", {COALITION}, {TEHERAN}),
    ("Emmanuel", {ELISIONS}, set()),
    ("Angela", {ELISIONS}, set()),
    ("Airbus", {ELISIONS}, set()),
    ("l’opposition", {ELISIONS}, set()),
    ("opposition", {ELISIONS}, set()),
    ("oublie", {ELISIONS}, set()),
    ("interroge", {ELISIONS}, set()),
    ("aujourd'hui", {INDUSTRIE}, set()),
    ("aujourd’hui", {INDUSTRIE}, set()),
    ("hui", set(), {INDUSTRIE}),
    # stemming
    ("soldat", {COALITION, SOLDAT}, {OTAN, EUROPE}),
    ("soldats", {COALITION, SOLDAT}, {OTAN, EUROPE}),
    ("irakien", IRAQ_WAR, {EUROPE, TEHERAN}),
    ("irakiennes", IRAQ_WAR, {EUROPE, TEHERAN}),
    ("suspendre", IRAQ_WAR, {EUROPE, LUTTE}),
    ("suspend", IRAQ_WAR, {EUROPE, LUTTE}),
    ("election presidentielle", {ELECTION}, {EUROPE}),
    ("élections présidentielles", {ELECTION}, {EUROPE}),
    # compounds and prefixes
    ("anti-djihadiste", {COALITION, OTAN, LUTTE}, {COVID, SOLDAT}),
    ("antidjihadiste", {COALITION, OTAN, LUTTE}, {COVID, SOLDAT}),
    ("anti djihadiste", {COALITION, OTAN, LUTTE}, {COVID, SOLDAT}),
    ("Etats-Unis", {COALITION, OTAN, LUTTE}, {EUROPE}),
    ("États-Unis", {COALITION, OTAN, LUTTE}, {EUROPE}),
    ("Etats Unis", {COALITION, OTAN, LUTTE}, {EUROPE}),
    ("al-Mouhandis", {COALITION}, set()),
    ("Mouhandis", {COALITION}, set()),
    ("Abou Mehdi al-Mouhandis", {COALITION}, set()),
    ("covid19", {COVID}, set()),
    ("COVID-19", {COVID}, set()),
    ("pro-européens", {COVID}, set()),
    # numbers
    ("5000", {COALITION, OTAN, INDUSTRIE}, {COVID}),
    ("5.000", {COALITION, OTAN, INDUSTRIE}, {COVID}),
    ("5 000", {COALITION, OTAN, INDUSTRIE}, {COVID}),
    ("5\u00a0000", {COALITION, OTAN, INDUSTRIE}, {COVID}),
    ("5,000", {COALITION, OTAN, INDUSTRIE}, {COVID}),
    ("2 500 lits", {COVID}, {INDUSTRIE}),
    ("1918", {HISTOIRE}, {PARIS19}),
    ("1er", {ELECTION, INDUSTRIE}, {HISTOIRE}),
    ("XXe siècle", {HISTOIRE}, {PARIS19}),
    ("XIXe siecle", {PARIS19}, {HISTOIRE}),
    ("2,5 %", {INDUSTRIE}, {ELECTION}),
    ("2.5", {INDUSTRIE}, {ELECTION}),
    # operators, phrases, prefixes
    ("Zelensky OR Stoltenberg", {ELECTION, OTAN}, {COALITION}),
    ("Irak -Otan", {COALITION}, {OTAN}),
    ("Irak NOT Otan", {COALITION}, {OTAN}),
    ("(Zelensky OR Haussmann) -Porochenko", {PARIS19}, {ELECTION}),
    ('"État islamique"', {COALITION}, {EUROPE}),
    ('"l’etat islamique"', {COALITION}, {EUROPE}),
    ('"forces irakiennes"', {COALITION}, {SOLDAT, OTAN}),
    ('"lutte anti-djihadiste"', {LUTTE}, {COALITION}),
    ('"coalition anti-djihadiste"', {COALITION, OTAN}, {LUTTE}),  # hyphen finds glued
    ('"coalition antidjihadiste"', {COALITION, OTAN}, {LUTTE}),  # glued finds hyphen
    ('"coalition anti djihadiste"', {COALITION, OTAN}, {LUTTE}),  # spaced finds both
    ('"lutte antidjihadiste"', {LUTTE}, {COALITION, OTAN}),  # glued finds spaced
    ('"coalition djihadiste"', set(), {COALITION, OTAN, LUTTE}),  # a part is not the word
    ("djihad*", {COALITION, LUTTE}, {COVID}),  # "antidjihadiste" does not start with it
    ("confin*", {COVID}, {INDUSTRIE}),
    ("soldats*", {COALITION, SOLDAT}, {OTAN}),
    # fields
    ("title:suspend", {COALITION, OTAN}, {SOLDAT}),
    ("title:(Ramadi OR Zelensky)", {SOLDAT, ELECTION}, {COALITION}),
    ("author:Dupont", {COALITION}, {OTAN}),
    ("author:helene", {ELISIONS}, set()),
    ('author:"Claire Martin"', {OTAN}, {COALITION}),
    ('site:"Le Monde" Irak', {OTAN}, {COALITION}),
    ("site:rtbf", {ELECTION, LUTTE}, {COALITION}),
    # a domain names a site too, from the article's URL (and its parent domains)
    ("site:lemonde.fr Irak", {OTAN}, {COALITION}),
    ("site:www.lemonde.fr", {OTAN}, {COALITION, LUTTE}),
    ("site:rtbf.be", {LUTTE}, {ELECTION, OTAN}),
    ("site:fr", set(), {OTAN}),
    # url: matches a run of the words of the URL, in order
    ("url:lemonde.fr/international", {OTAN}, {LUTTE}),
    ("url:https://www.lemonde.fr/international/article/", {OTAN}, {LUTTE}),
    ('url:"rtbf.be/info"', {LUTTE}, {OTAN}),
    ("url:international/lemonde", set(), {OTAN}),
    ("Irak published:2020-01", {COALITION, OTAN}, {SOLDAT}),
    ("Irak published:2020-01-06..2020-01-31", {OTAN}, {COALITION, SOLDAT}),
    ("irakien published:..2019", {SOLDAT}, {COALITION, OTAN}),
    ("(Zelensky OR production) published:2019-04..2019-06", {ELECTION}, {INDUSTRIE}),
    # words that only occur in page furniture find nothing
    ("alertez", set(), {COALITION, OTAN}),
    ('"bonne conduite"', set(), {COALITION}),
    ("commentaire abusif", set(), {COALITION, TEHERAN}),
    ("Zalando", set(), {COALITION}),
    ("newsletter", set(), {COALITION}),
    ("podcasts", set(), {OTAN}),
    ("cookies", set(), {EUROPE}),
    ("partager facebook", set(), {LUTTE}),
]


@pytest.mark.parametrize("query, must, must_not", PROBES, ids=[p[0] for p in PROBES])
def test_probe(probes, query, must, must_not):
    hits = found(probes, query)
    assert must <= hits, f"{query!r} missed {must - hits}"
    assert not (must_not & hits), f"{query!r} wrongly found {must_not & hits}"


def test_there_are_at_least_forty_probes():
    assert len(PROBES) >= 40


@pytest.mark.parametrize("query", ["les des du", "le la", "l'un des", "À"])
def test_a_query_of_stop_words_only_says_so(probes, query):
    with pytest.raises(QueryError, match="stop words"):
        found(probes, query)


def test_site_option_filters_by_site(probes):
    assert found(probes, "Irak", site="Le Monde") == {OTAN}
    assert found(probes, "Irak", site="le soir") == {COALITION}


def test_site_option_takes_a_domain_on_every_engine(probes):
    assert found(probes, "Irak", site="lemonde.fr") == {OTAN}
    assert found(probes, "djihadiste", site="www.rtbf.be") == {LUTTE}


def test_since_and_until_options_filter_by_date(probes):
    assert found(probes, "irakien", since="2020") == {COALITION, OTAN}
    assert found(probes, "irakien", until="2019-12-31") == {SOLDAT}
    assert found(probes, "irakien", since="2020-01-06", until="2020-01") == {OTAN}


def test_a_bad_date_is_a_query_error(probes):
    with pytest.raises(QueryError, match="bad date"):
        found(probes, "Irak", since="2020-13")


@pytest.mark.parametrize("engine", ["tantivy", "whoosh", "opensearch"])
def test_the_title_ranks_above_the_body(probes, engine):
    if engine not in probes.engines:
        pytest.skip("no cluster could start here")
    result = probes.search_on(engine, "Ramadi OR Zelensky OR Otan")
    # Each appears in its own title; a body-only mention must not outrank them.
    assert {Path(h.article.origin).stem for h in result.hits[:3]} == {SOLDAT, ELECTION, OTAN}


def _article_words() -> list[tuple[str, str]]:
    """(fixture, word) for every word of every fixture article's body (apostrophes
    included: "aujourd'hui", "l'État") that is not a stop word, for the property below."""
    from archive.pages import read_page

    pairs = []
    for path in sorted(ARTICLES.iterdir()):
        article = read_page(path.read_bytes(), str(path), name_hint=str(path))
        for word in set(re.findall(r"(?<!\w)[^\W\d_]+(?:['’ʼ][^\W\d_]+)*(?!\w)", " ".join(article.body))):
            if word.lower() not in FRENCH_STOP_WORDS and analyze(word):
                pairs.append((path.stem, word))
    return sorted(pairs)


@given(pair=st.sampled_from(_article_words()), strip_accents=st.booleans())
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_word_of_an_article_with_or_without_accents_finds_it(probes, pair, strip_accents):
    name, word = pair
    query = unidecode(word) if strip_accents else word
    assert name in found(probes, query)


# --- questions, pasted text, exact forms, word forms, proximity, relaxation ------------

PRISON, CETA, GOUVERNANTE, GOUVERNEMENT = ("prison_greve", "ceta_deputes", "gouvernante_palais",
                                           "gouvernement_budget")
HOLLAND, HOLLANDE, VOTENT, SAHEL = "holland_acteur", "hollande_livre", "senat_votent", "jihadistes_sahel"
SIECLE, ISAAC, REDUITES = "siecle_ville", "isaac_rebirth", "inegalites_reduites"
ISLAMISME, RAQQA = "islamisme_essai", "etat_islamique_raqqa"

NEW_PROBES = [
    # questions: question words, inversions and est-ce que never make a page empty
    ("Pourquoi les gardiens de prison sont-ils en grève ?", {PRISON}, {TEHERAN}),
    ("Qu'est-ce que le CETA ?", {CETA}, set()),
    ("Qu’est-ce qui a été ratifié par les députés ?", {CETA}, set()),
    ("Quand les sénateurs votent-ils ?", {VOTENT}, set()),
    ("Combien de soldats américains sont déployés en Irak", {COALITION}, set()),
    ("Les inégalités sont-elles réduites ?", {REDUITES}, set()),
    # pasted text that is not valid syntax is searched as its words
    ("Isaac:Rebirth Iwata", {ISAAC}, set()),
    ("sont)elles réduites", {REDUITES}, set()),
    ('"Isaac: Rebirth', {ISAAC}, set()),
    # word forms and press spellings
    ("vote", {VOTENT}, set()),
    ("votent", {VOTENT}, set()),
    ("manifestation", {VOTENT}, set()),
    ("jihadiste", {SAHEL, COALITION, LUTTE}, {COVID}),
    ("djihadistes", {SAHEL, COALITION, LUTTE}, {COVID}),
    ("Daech", {SAHEL}, {COALITION}),
    ("al-Qaïda", {SAHEL}, set()),
    ("21e siècle", {SIECLE}, {HISTOIRE, PARIS19}),
    ("XXIe siecle", {SIECLE}, {HISTOIRE, PARIS19}),
    ("gouvernement", {GOUVERNEMENT, LUTTE, GOUVERNANTE}, set()),
    ("Holland", {HOLLAND, HOLLANDE}, set()),
]


@pytest.mark.parametrize("query, must, must_not", NEW_PROBES, ids=[p[0] for p in NEW_PROBES])
def test_what_people_type_finds_the_article(probes, query, must, must_not):
    hits = found(probes, query, strict=False)
    assert must <= hits, f"{query!r} missed {must - hits}"
    assert not (must_not & found(probes, query)), f"{query!r} wrongly found {must_not & hits}"


ENGINES = ["tantivy", "whoosh", "opensearch"]


def ranked(probes, engine: str, query: str, **options) -> list[str]:
    if engine not in probes.engines:
        pytest.skip("no cluster could start here")
    return probes.ranked_on(engine, query, **options)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_question_quoted_in_the_issue_finds_its_article_first(probes, engine):
    assert ranked(probes, engine, "Pourquoi les gardiens de prison sont-ils en grève ?")[0] == PRISON


@pytest.mark.parametrize("engine", ENGINES)
def test_a_word_found_as_typed_ranks_above_its_stem_only(probes, engine):
    order = ranked(probes, engine, "gouvernement", limit=20)
    assert order.index(GOUVERNANTE) == len(order) - 1  # every article writing "gouvernement" first
    assert ranked(probes, engine, "Holland")[0] == HOLLAND
    assert ranked(probes, engine, "Hollande")[0] == HOLLANDE


@pytest.mark.parametrize("engine", ENGINES)
def test_words_typed_together_rank_above_the_same_words_apart(probes, engine):
    order = ranked(probes, engine, "Etat islamique", limit=20)
    assert order[0] == RAQQA and ISLAMISME in order  # "islamisme" in its title, words apart


@pytest.mark.parametrize("engine", ENGINES)
def test_a_relaxed_page_ranks_by_how_many_words_an_article_holds(probes, engine):
    if engine not in probes.engines:
        pytest.skip("no cluster could start here")
    result = probes.search_on(engine, "soldats Ramadi Soleimani Zelensky")
    assert result.relaxed and result.complete == 0
    held = [4 - len(hit.missing) for hit in result.hits]
    assert held == sorted(held, reverse=True) and held[0] == 2
    assert {Path(h.article.origin).stem: h.missing for h in result.hits[:2]} == {
        SOLDAT: ["Soleimani", "Zelensky"], COALITION: ["Ramadi", "Zelensky"]}
    strict = probes.search_on(engine, "soldats Ramadi Soleimani Zelensky", strict=True)
    assert strict.total == 0 and not strict.relaxed


@pytest.mark.parametrize("engine", ENGINES)
def test_a_phrase_snippet_shows_the_phrase_first(probes, engine):
    if engine not in probes.engines:
        pytest.skip("no cluster could start here")
    [hit] = [h for h in probes.search_on(engine, '"État islamique"', limit=20).hits
             if Path(h.article.origin).stem == ISLAMISME] or [None]
    assert hit is None  # "l'État" and "République islamique" apart are not the phrase
    raqqa = next(h for h in probes.search_on(engine, '"État islamique"', limit=20).hits
                 if Path(h.article.origin).stem == RAQQA)
    first = raqqa.snippets[0]
    assert [first.text[a:b] for a, b in first.highlights][:2] == ["État", "islamique"]
