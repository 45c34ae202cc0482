"""What the pages write, without a server: French counts and dates, the timeline's
window, marks cut as text, links only for web addresses."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="the web tests need the web extra: pip install '.[web]'")

from web.french import count, day, month  # noqa: E402
from web.text import language, pieces, web_link  # noqa: E402
from web.timeline import months_between, timeline  # noqa: E402


def test_counts_take_the_french_singular_for_zero_and_one_and_group_thousands():
    assert [count(n, "résultat") for n in (0, 1, 2)] == ["0 résultat", "1 résultat", "2 résultats"]
    assert count(12345, "article") == "12\u202f345 articles"
    assert count(3, "original", "originaux") == "3 originaux"


def test_dates_read_as_a_french_reader_writes_them():
    assert day("2020-01-01T09:00:00+01:00") == "1er janvier 2020"
    assert day("2016-03-10") == "10 mars 2016"
    assert day("hier soir") == "hier soir" and day(None) is None
    assert month("2020-08") == "août 2020"


def test_the_timeline_spans_at_least_twelve_months_and_every_month_between():
    bars = timeline([("2020-03", 4), ("2020-05", 1)])
    assert [bar.key for bar in bars.bars] == months_between("2019-06", "2020-05")
    assert {bar.key: bar.articles for bar in bars.bars if bar.articles} == {"2020-03": 4, "2020-05": 1}
    tallest = max(bars.bars, key=lambda bar: bar.height)
    assert tallest.key == "2020-03" and all(bar.height == 0 for bar in bars.bars if not bar.articles)
    assert len(timeline([("2018-01", 1), ("2020-12", 2)]).bars) == 36
    assert timeline([]) is None


def test_marks_are_pieces_of_text_and_spans_that_do_not_fit_are_dropped():
    assert pieces("Les soldats <b>", [(4, 11)]) == [("Les ", False), ("soldats", True), (" <b>", False)]
    assert pieces("court", [(2, 40), (3, 1)]) == [("court", False)]


def test_only_web_addresses_become_links():
    assert web_link("https://www.lesoir.be/x") == "https://www.lesoir.be/x"
    for address in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x",
                    "file:///etc/passwd", "//evil.example/x", "https:nohost", None):
        assert web_link(address) is None, address


def test_an_article_s_language_is_used_only_when_well_formed():
    assert language("fr") == "fr" and language("en-GB") == "en-gb"
    assert language('fr" onload="x') is None and language("") is None


def test_relaxed_results_are_said_so_and_each_hit_names_the_words_it_lacks():
    from web.app import link, templates

    result = {"query": "tempête Namur zeppelin", "total": 1, "suggestion": None, "relaxed": True,
              "hits": [{"id": "abc123abc123", "title": "Tempête à Namur", "site": "Le Soir",
                        "published": "2020-11-02", "url": None, "origin": None, "score": 1.0,
                        "snippets": [{"text": "La tempête a frappé Namur.", "highlights": [[3, 10]]}],
                        "also_in": [], "missing": ["zeppelin"]}]}
    html = templates().get_template("search.html").render(
        q=result["query"], result=result, page=1, pages=1, first=1, sort="relevance",
        sort_param=None, site=None, since=None, until=None, relaxed=True, complete=0, error=None,
        sites={"sites": []}, bars=None, undated=0, home_label="home",
        page_link=lambda n: link("/recherche", page=n), month_link=lambda key: key)
    assert "Aucun article ne contient tous les mots" in html
    assert "Sans : <s>zeppelin</s>" in html
    assert "La <mark>tempête</mark> a frappé Namur." in html


def test_a_relaxed_page_says_how_many_articles_hold_every_word():
    from web.app import link, templates

    result = {"query": "tempête Namur", "total": 3, "suggestion": None, "relaxed": True,
              "hits": []}
    template = templates().get_template("search.html")
    for complete, said in ((1, "Seul 1 article contient tous les mots"),
                           (2, "Seuls 2 articles contiennent tous les mots")):
        html = template.render(
            q=result["query"], result=result, page=1, pages=1, first=1, sort="relevance",
            sort_param=None, site=None, since=None, until=None, relaxed=True, complete=complete,
            error=None, sites={"sites": []}, bars=None, undated=0, home_label="home",
            page_link=lambda n: link("/recherche", page=n), month_link=lambda key: key)
        assert said in html and "Aucun article" not in html
