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
    assert set(data) == {"query", "total", "folded", "hits", "suggestion"}
    assert data["query"] == "Soleimani" and data["total"] == 1 and data["suggestion"] is None
    assert data["folded"] == 0
    hit = data["hits"][0]
    assert set(hit) == {"id", "title", "site", "published", "url", "origin", "score", "snippets", "also_in"}
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
    (['"État islamique'], "unbalanced quote"),
    (["(Irak"], "unbalanced parenthesis"),
    (["foo:bar"], "unknown field"),
    (["published:2020-13"], "bad date"),
    (["les", "des"], "stop words"),
    (["Irak", "--since", "hier"], "bad date"),
    (["Irak", "--sort", "alphabet"], "alphabet"),
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
