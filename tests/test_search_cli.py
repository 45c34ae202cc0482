"""`archive search` through the real CLI: JSON shape, options, did-you-mean, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent / "fixtures" / "articles"


@pytest.fixture
def archived(run):
    result = run("add", str(ARTICLES))
    assert result.exit_code == 0, result.output
    return run


def search_json(run, *args: str) -> dict:
    result = run("search", *args, "--json")
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)
    assert result.exit_code == (0 if found["hits"] else 1), "a search exits 1 when it finds nothing"
    return found


def stems(data: dict) -> list[str]:
    return [Path(hit["origin"]).stem for hit in data["hits"]]


def test_json_keeps_the_documented_shape_and_adds_suggestion(archived):
    data = search_json(archived, "Soleimani")
    assert set(data) == {"query", "total", "folded", "hits", "suggestion", "relaxed", "literal"}
    assert data["query"] == "Soleimani" and data["total"] == 1 and data["suggestion"] is None
    assert data["folded"] == 0 and data["relaxed"] is False and data["literal"] is None
    hit = data["hits"][0]
    assert set(hit) == {"id", "title", "site", "published", "url", "origin", "score", "snippets",
                        "also_in", "missing"}
    assert hit["missing"] == []
    for snippet in hit["snippets"]:
        assert [snippet["text"][a:b] for a, b in snippet["highlights"]] == ["Soleimani"]


def test_highlights_point_at_each_matched_form_as_written(archived):
    data = search_json(archived, "etat islamique")
    words = {s["text"][a:b] for h in data["hits"] for s in h["snippets"] for a, b in s["highlights"]}
    assert {"État", "islamique"} <= words


@pytest.mark.parametrize("typed, suggestion", [
    ("Soleimany", "Soleimani"), ("irakienes", "irakiennes"), ("Teheren", "Téhéran"),
])
def test_did_you_mean_comes_from_the_archive_vocabulary(archived, typed, suggestion):
    assert search_json(archived, typed)["suggestion"] == suggestion
    assert f"Did you mean: {suggestion}?" in archived("search", typed).stdout


def test_no_suggestion_for_a_known_word(archived):
    assert search_json(archived, "Irak")["suggestion"] is None


def test_plain_output_marks_matches_when_piped(archived):
    out = archived("search", "Soleimani").stdout
    assert "**Soleimani**" in out and "1 result" in out


def test_sort_by_date_puts_the_newest_first(archived):
    assert stems(search_json(archived, "irakien", "--sort", "date")) == [
        "otan_lemonde", "coalition_lesoir", "soldat_sudouest"]


def test_limit_and_offset_page_through_the_results(archived):
    everything = stems(search_json(archived, "irakien", "--limit", "10"))
    page = search_json(archived, "irakien", "--limit", "1", "--offset", "1")
    assert page["total"] == 3 and stems(page) == everything[1:2]
    assert "showing 2–2" in archived("search", "irakien", "-n", "1", "--offset", "1").stdout


def test_site_since_and_until_options(archived):
    assert stems(search_json(archived, "Irak", "--site", "Le Monde")) == ["otan_lemonde"]
    assert stems(search_json(archived, "irakien", "--since", "2020-01-06", "--until", "2020-01")) == [
        "otan_lemonde"]


@pytest.mark.parametrize("args, message", [
    (["published:2020-13"], "bad date"),
    (["les", "des"], "stop words"),
    (["Irak", "--since", "hier"], "bad date"),
    (["Irak", "--since", "2021", "--until", "2020"], "is after"),
    (["Irak", "--sort", "alphabet"], "alphabet"),
    (["--", "-" * 300 + "Irak"], "nests"),
    (["(" * 330], "nests"),
    (["(" * 330 + "Irak"], "nests"),
])
def test_bad_queries_exit_2_with_one_clear_line(archived, args, message):
    result = archived("search", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert len([line for line in result.stderr.splitlines() if line.startswith("Error")]) == 1


def test_long_articles_get_snippets_from_their_end(run, tmp_path):
    paragraph = "<p>" + "Le conseil municipal a débattu du budget de la commune. " * 30 + "</p>\n"
    page = ("<html lang='fr'><head><meta charset='utf-8'><title>Un très long compte rendu</title>"
            "</head><body><article><h1>Un très long compte rendu</h1>" + paragraph * 30
            + "<p>Enfin, le port de Zanzibar rouvre ses quais aux ferries.</p></article></body></html>")
    assert len(page.encode()) > 32 * 1024
    (tmp_path / "long.html").write_text(page, encoding="utf-8")
    assert run("add", str(tmp_path / "long.html")).exit_code == 0
    data = search_json(run, "Zanzibar")
    [snippet] = data["hits"][0]["snippets"]
    assert [snippet["text"][a:b] for a, b in snippet["highlights"]] == ["Zanzibar"]


def test_a_dash_word_on_the_command_line_excludes_it(archived):
    data = json.loads(archived("search", "Irak", "-Otan", "--json").stdout)
    assert stems(data) == ["coalition_lesoir"]
    assert archived("search", "Irak", "--bogus").exit_code == 2


@pytest.mark.parametrize("typed, reason", [
    ("Isaac:Rebirth Iwata", "unknown field isaac:"), ("sont)elles réduites", "unbalanced parenthesis"),
    ('"Otan Irak', "unbalanced quote"),
])
def test_pasted_text_that_is_not_valid_syntax_is_searched_as_its_words(archived, typed, reason):
    result = archived("search", typed, "--json")
    assert result.exit_code == (0 if json.loads(result.stdout)["hits"] else 1), result.output
    [line] = result.stderr.splitlines()
    assert reason in line and "searched for the words" in line
    literal = json.loads(result.stdout)["literal"]
    assert reason in literal["reason"] and literal["query"] == typed.replace(":", " ").replace(
        ")", " ").replace('"', "")


def test_a_query_no_article_holds_whole_shows_the_closest_and_says_which_words_they_lack(archived):
    out = archived("search", "Soleimani", "Zelensky").stdout
    assert out.splitlines()[0] == (
        "aucun article ne contient tous les mots ; les plus proches, sans : Soleimani, Zelensky")
    assert "coalition_lesoir" not in out and "Soleimani" in out and "Zelensky" in out


def test_a_relaxed_page_says_so_in_json_with_the_words_each_hit_lacks(archived):
    data = search_json(archived, "Soleimani", "Zelensky")
    assert data["relaxed"] is True and data["total"] == 2
    assert {stems_ for stems_ in stems(data)} == {"coalition_lesoir", "presidentielle_rtbf"}
    missing = {Path(h["origin"]).stem: h["missing"] for h in data["hits"]}
    assert missing == {"coalition_lesoir": ["Zelensky"], "presidentielle_rtbf": ["Soleimani"]}


def test_articles_with_every_word_come_before_the_relaxed_ones(archived):
    data = search_json(archived, "soldats", "Ramadi", "--limit", "5")
    assert data["relaxed"] is True
    assert stems(data)[0] == "soldat_sudouest" and data["hits"][0]["missing"] == []
    assert all(hit["missing"] == ["Ramadi"] for hit in data["hits"][1:])
    first = archived("search", "soldats", "Ramadi", "--limit", "5").stdout.splitlines()[0]
    assert first == "seul 1 article contient tous les mots ; les suivants, sans : Ramadi"


def test_strict_keeps_every_word_required(archived):
    data = search_json(archived, "Soleimani", "Zelensky", "--strict")
    assert data["relaxed"] is False and data["total"] == 0 and data["hits"] == []
    assert "No results" in archived("search", "Soleimani", "Zelensky", "--strict").stdout


def test_a_full_page_of_articles_with_every_word_is_not_relaxed(archived):
    data = search_json(archived, "irakien", "soldats", "--limit", "1")
    assert data["relaxed"] is False and data["total"] == 2


def test_phrases_and_fields_stay_required_when_relaxed(archived):
    for query in (['"État islamique"', "Zelensky"], ["title:Irak", "Zelensky"]):
        data = search_json(archived, *query)
        assert data["relaxed"] is True and "presidentielle_rtbf" not in stems(data), query


def test_excluded_words_stay_excluded_when_relaxed(archived):
    data = search_json(archived, "Irak", "-Otan", "Zelensky")
    assert data["relaxed"] is True
    assert set(stems(data)) == {"coalition_lesoir", "presidentielle_rtbf"}


def test_search_help_describes_relaxation_and_strict(run):
    out = run("search", "--help").stdout
    assert "--strict" in out and "the page goes on with" in out


def test_a_relaxed_page_sorted_by_date_puts_every_word_first_then_newest_first(archived):
    data = search_json(archived, "soldats", "Ramadi", "--sort", "date")
    assert data["relaxed"] is True and stems(data)[0] == "soldat_sudouest"
    rest = [hit["published"] for hit in data["hits"][1:]]
    assert rest == sorted(rest, reverse=True) and all(hit["missing"] for hit in data["hits"][1:])
