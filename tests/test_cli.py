"""The `archive` command through click's CliRunner, on a real store and index on disk."""

from __future__ import annotations

import json
import shutil

import pytest

from cli.main import cli
from tests.conftest import FIXTURES, SEED, SEEDS

SEED_TITLE = (
    "Mort de Soleimani: la coalition internationale antidjihadiste «suspend» le combat "
    "contre le groupe Etat islamique"
)


def search_json(run, *query: str) -> dict:
    result = run("search", *query, "--json")
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)
    assert result.exit_code == (0 if found["hits"] else 1), "a search exits 1 when it finds nothing"
    return found


# --- the seed, end to end ---------------------------------------------------------------

def test_seed_is_the_first_hit_for_soleimani_with_highlights_on_the_name(run, seeded):
    found = search_json(run, "Soleimani")
    assert found["query"] == "Soleimani"
    assert found["total"] == 1
    hit = found["hits"][0]
    assert hit["id"] == seeded
    assert hit["title"] == SEED_TITLE
    assert hit["site"] == "Le Soir"
    assert hit["origin"].endswith("000_192eed5866ea1362.txt")
    assert 1 <= len(hit["snippets"]) <= 3
    for snippet in hit["snippets"]:
        assert snippet["highlights"]
        for start, end in snippet["highlights"]:
            assert snippet["text"][start:end] == "Soleimani"


def test_show_json_has_exact_title_body_and_no_boilerplate(run, seeded):
    result = run("show", seeded, "--json")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert set(shown) == {"id", "title", "body", "author", "published", "site", "url", "lang",
                          "origin", "sha256", "added_at"}
    assert shown["title"] == SEED_TITLE
    assert shown["body"][0].startswith("La coalition antidjihadistes emmenée par les Etats-Unis")
    assert "5.000 soldats visés" in shown["body"]
    assert shown["sha256"].startswith(shown["id"])
    dump = json.dumps(shown, ensure_ascii=False)
    for phrase in ("PhotoNews", "À découvrir sur Le Soir +", "Vos réactions", "Règles de bonne conduite",
                   "Alertez-nous"):
        assert phrase not in dump


def test_show_prints_title_metadata_and_paragraphs(run, seeded):
    result = run("show", seeded[:6])
    assert result.exit_code == 0
    assert result.stdout.startswith(SEED_TITLE + "\n")
    assert "\n\n5.000 soldats visés\n\n" in result.stdout


def test_search_output_marks_matched_words_when_piped(run, seeded):
    result = run("search", "Soleimani")
    assert result.exit_code == 0
    assert "1. " + SEED_TITLE in result.stdout
    assert "**Soleimani**" in result.stdout
    assert "\x1b[" not in result.stdout  # no escape codes when stdout is not a terminal
    assert seeded in result.stdout


@pytest.mark.parametrize(("query", "word"), [
    ("etat", "Etat"),                 # case and accent folding
    ("État", "Etat"),
    ("soldat", "soldats"),            # stemming
    ("irakien", "irakiennes"),
    ("l'iran", "Iran"),               # elision
    ("l’Iran", "Iran"),
    ("Soléimani", "Soleimani"),       # accents the article does not have
])
def test_french_analysis_finds_and_highlights_other_word_forms(run, seeded, query, word):
    found = search_json(run, query)
    assert [hit["id"] for hit in found["hits"]] == [seeded]
    words = {s["text"][a:b] for s in found["hits"][0]["snippets"] for a, b in s["highlights"]}
    assert word in words


def test_words_only_in_boilerplate_find_nothing(run, seeded):
    for query in ("PhotoNews", "Alertez-nous", "réactions", "découvrir"):
        assert search_json(run, query)["total"] == 0, query


def test_all_words_are_required_first(run, seeded):
    assert search_json(run, "Soleimani", "Téhéran")["relaxed"] is False
    relaxed = search_json(run, "Soleimani", "Bruxelles")
    assert relaxed["relaxed"] is True and relaxed["hits"][0]["missing"] == ["Bruxelles"]
    assert search_json(run, "Soleimani", "Bruxelles", "--strict")["total"] == 0


# --- add ----------------------------------------------------------------------------------

def test_add_prints_one_line_per_article_and_a_summary(run):
    result = run("add", str(SEEDS), str(FIXTURES / "textcopies"))
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len([line for line in lines if line.startswith("added")]) == 4
    assert SEED_TITLE in result.stdout
    assert lines[-1] == "4 added, 0 already archived, 0 failed"


def test_adding_the_same_bytes_again_changes_nothing(run, seeded):
    again = run("add", str(SEED))
    assert again.exit_code == 0
    assert f"already  {seeded}" in again.stdout
    assert again.stdout.strip().endswith("0 added, 1 already archived, 0 failed")
    assert len(json.loads(run("list", "--json").stdout)) == 1


def test_add_reads_a_page_from_stdin(run):
    result = run("add", "-", input=SEED.read_bytes())
    assert result.exit_code == 0
    listed = json.loads(run("list", "--json").stdout)
    assert listed[0]["origin"] == "-" and listed[0]["title"] == SEED_TITLE


def test_add_expands_globs(run, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    shutil.copy(FIXTURES / "textcopies" / "liberation_festival.txt", folder / "b.txt")
    result = run("add", str(folder / "*.txt"))
    assert result.exit_code == 0
    assert "2 added" in result.stdout


def test_add_json_reports_each_input(run, tmp_path):
    missing = tmp_path / "missing.html"
    result = run("add", str(SEED), str(missing), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["added"], report["failed"]) == (1, 1)
    assert report["inputs"][0]["status"] == "added"
    assert report["inputs"][1] == {"origin": str(missing), "status": "failed",
                                   "error": "no such file or folder"}


def test_add_reads_html_pages(run, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html lang='fr'><head><title>Grève à la SNCB - Le Soir</title>"
        "<meta property='og:site_name' content='Le Soir'>"
        "<meta property='article:published_time' content='2020-01-05T14:32:00+01:00'>"
        "<meta name='author' content='Jean Dupont'></head><body>"
        "<nav><a href='/'>Accueil</a> <a href='/belgique'>Belgique</a></nav>"
        "<article><h1>Grève à la SNCB</h1>"
        "<p>Les cheminots ont cessé le travail ce lundi matin dans tout le pays, à l'appel des syndicats.</p>"
        "<p>La direction parle d'un mouvement injustifié et promet de maintenir un service minimum.</p>"
        "<div class='share-bar'>Partager sur Facebook</div>"
        "</article><footer>© Le Soir 2020</footer></body></html>",
        encoding="utf-8",
    )
    assert run("add", str(page)).exit_code == 0
    shown = json.loads(run("show", json.loads(run("list", "--json").stdout)[0]["id"], "--json").stdout)
    assert shown["title"] == "Grève à la SNCB"
    assert shown["body"] == [
        "Les cheminots ont cessé le travail ce lundi matin dans tout le pays, à l'appel des syndicats.",
        "La direction parle d'un mouvement injustifié et promet de maintenir un service minimum.",
    ]
    assert (shown["author"], shown["site"], shown["lang"]) == ("Jean Dupont", "Le Soir", "fr")
    assert shown["published"] == "2020-01-05T14:32:00+01:00"


# --- bad input: one line naming the input, exit 1, the rest goes on -----------------------

@pytest.mark.parametrize(("name", "content", "reason"), [
    ("empty.txt", b"", "empty file"),
    ("image.png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG image"),
    ("doc.html", b"%PDF-1.7\n" + b"\x00\x01" * 100, "PDF document"),
    ("blank.html", b"<html><body><nav>Menu</nav></body></html>", "no article text"),
])
def test_a_bad_file_is_named_on_one_line_and_the_rest_is_archived(run, tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    result = run("add", str(bad), str(SEED))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1
    assert str(bad) in errors[0] and reason in errors[0]
    assert "Traceback" not in result.output
    assert "1 added, 0 already archived, 1 failed" in result.stdout
    assert search_json(run, "Soleimani")["total"] == 1


def test_a_missing_path_and_an_empty_folder_are_named(run, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("add", str(tmp_path / "nope.html"), str(empty))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope.html'}: no such file or folder" in result.stderr
    assert f"{empty}: no article pages in this folder" in result.stderr


def test_usage_errors_exit_2(run, seeded):
    assert run("add").exit_code == 2
    assert run("search", "  ").exit_code == 2
    assert run("search", "Soleimani", "--limit", "0").exit_code == 2
    stop_words = run("search", "les", "des")
    assert stop_words.exit_code == 2
    assert "only common words" in stop_words.stderr


def test_search_without_an_archive_says_to_add_first(run):
    result = run("search", "Soleimani")
    assert result.exit_code == 1
    assert "run `archive add` first" in result.stderr
    assert "Traceback" not in result.output


def test_show_an_unknown_id_is_one_clear_line(run, seeded):
    result = run("show", "ffffffffffff")
    assert result.exit_code == 1
    assert "no article with id 'ffffffffffff'" in result.stderr


# --- list, version, help ------------------------------------------------------------------

def test_list_json_newest_first(run, seeded):
    run("add", str(FIXTURES / "textcopies" / "lemonde_retraites.txt"))
    listed = json.loads(run("list", "--json").stdout)
    assert [set(item) for item in listed] == [{"id", "title", "site", "published", "added_at", "origin"}] * 2
    assert listed[0]["title"].startswith("Réforme des retraites")
    assert listed[1]["id"] == seeded


def test_version_and_help_on_every_command(run):
    assert run("--version").stdout.startswith("archive, version ")
    for command in ([], ["add"], ["search"], ["show"], ["list"], ["reindex"]):
        result = run(*command, "--help")
        assert result.exit_code == 0
        assert "Usage: " in result.stdout and len(result.stdout.splitlines()) > 4


def test_home_comes_from_the_environment_when_not_given(monkeypatch, tmp_path):
    from click.testing import CliRunner

    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path / "from-env"))
    result = CliRunner().invoke(cli, ["add", str(SEED)])
    assert result.exit_code == 0
    assert (tmp_path / "from-env" / "archive.db").exists()


def test_unknown_engine_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    runner = CliRunner()
    result = runner.invoke(cli, ["--home", str(tmp_path), "--engine", "lucene", "search", "x"])
    assert result.exit_code == 2
    assert "lucene" in result.output
    result = runner.invoke(cli, ["--home", str(tmp_path), "search", "x"], env={"ARCHIVE_ENGINE": "solr"})
    assert result.exit_code == 2
    assert "solr" in result.output and "Traceback" not in result.output
