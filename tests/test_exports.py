"""Exports other tools read, through the real CLI: a CSV table read back with the csv
module, bookmarks that `archive add --bookmarks` takes back, Markdown notes whose front
matter YAML reads, CSL-JSON checked against the CSL schema's rules; subsets, and the
choice of format by name and --format."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import assume, given
from hypothesis import strategies as st

from archive.exports.markdown import markdown_text, yaml_value
from cli.main import EXPORT_FORMATS, cli
from tests.conftest import FIXTURES
from tests.feedsite import FeedSite, sample_items


@pytest.fixture
def archived(run, seeded):
    assert run("add", str(FIXTURES / "articles")).exit_code == 0
    return run


def articles(run) -> dict[str, dict]:
    """Every article as `show --json` prints it, by id."""
    listed = json.loads(run("list", "--json").stdout)
    return {a["id"]: json.loads(run("show", a["id"], "--json").stdout) for a in listed}


def export(run, *args: str) -> dict:
    result = run("export", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_cli_offers_every_format_the_library_writes():
    from archive.exports import FORMATS

    assert EXPORT_FORMATS == FORMATS


# --- CSV --------------------------------------------------------------------------------

def test_a_csv_export_has_one_row_an_article_that_the_csv_module_reads_back(archived, tmp_path):
    (tmp_path / "tricky.txt").write_text('Un titre, avec "guillemets"\n\nPremier paragraphe, '
                                         "assez long pour être un article de presse.\n\nSecond "
                                         "paragraphe; avec un point-virgule.\n", encoding="utf-8")
    assert archived("add", str(tmp_path / "tricky.txt")).exit_code == 0
    report = export(archived, str(tmp_path / "all.csv"))
    kept = articles(archived)
    assert report == {"file": str(tmp_path / "all.csv"), "format": "csv", "articles": len(kept),
                      "versions": len(kept)}
    with open(tmp_path / "all.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(kept)
    for row in rows:
        article = kept[row["id"]]
        assert row["title"] == article["title"]
        assert row["text"].split("\n\n") == article["body"]
        for name in ("author", "published", "site", "url", "sha256", "added_at"):
            assert row[name] == (article[name] or "")
    assert any(row["title"] == 'Un titre, avec "guillemets"' for row in rows)


def test_a_csv_export_of_a_subset_by_query_site_and_dates(archived, tmp_path):
    def exported(*options: str) -> set[str]:
        export(archived, str(tmp_path / "part.csv"), *options)
        with open(tmp_path / "part.csv", newline="", encoding="utf-8") as handle:
            return {row["id"] for row in csv.DictReader(handle)}

    found = {h["id"] for h in json.loads(archived("search", "Irak", "--json", "-n", "50").stdout)["hits"]}
    assert exported("--query", "Irak") == found
    assert len(exported("--site", "lemonde.fr")) == 1
    january = exported("--since", "2020-01", "--until", "2020-01")
    kept = articles(archived)
    assert january and all(kept[i]["published"].startswith("2020-01") for i in january)


# --- bookmarks ----------------------------------------------------------------------------

def test_bookmarks_go_back_into_an_archive_with_add_bookmarks(run, tmp_path, seeded):
    site = FeedSite(sample_items())
    try:
        assert run("add", "--feed", f"{site.url}/feed.xml", "--tag", "Namur").exit_code == 0
        report = export(run, str(tmp_path / "marks.html"))
        assert report["format"] == "bookmarks" and report["articles"] == 3
        assert report["skipped"] == 1  # the seed article, a text copy without a URL
        text = (tmp_path / "marks.html").read_text(encoding="utf-8")
        assert text.startswith("<!DOCTYPE NETSCAPE-Bookmark-file-1>")
        assert re.search(r'<DT><A HREF="http://127\.0\.0\.1:\d+/article/crue" ADD_DATE="\d+" '
                         r'LAST_MODIFIED="\d+" TAGS="Namur">Crue de la Meuse à Namur</A>', text)
        other = tmp_path / "other"
        back = CliRunner().invoke(cli, ["--home", str(other), "add", "--bookmarks",
                                        str(tmp_path / "marks.html"), "--json"])
        assert back.exit_code == 0, back.output
        assert json.loads(back.stdout)["added"] == 3
        tags = CliRunner().invoke(cli, ["--home", str(other), "tags", "--json"]).stdout
        assert {"tag": "Namur", "articles": 3} in json.loads(tags)
    finally:
        site.close()

    def kept(home: Path) -> set[tuple[str, str]]:
        listed = CliRunner().invoke(cli, ["--home", str(home), "list", "--json"]).stdout
        shown = [json.loads(CliRunner().invoke(cli, ["--home", str(home), "show", a["id"], "--json"]).stdout)
                 for a in json.loads(listed)]
        return {(a["url"], a["title"]) for a in shown if a["url"]}

    assert kept(other) == kept(tmp_path / "home")


# --- Markdown -----------------------------------------------------------------------------

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n\n# (.*?)\n\n(.*)\Z", re.DOTALL)


def test_markdown_notes_carry_their_metadata_as_yaml_front_matter(archived, tmp_path):
    folder = tmp_path / "Presse"
    report = export(archived, f"{folder}/")
    kept = articles(archived)
    assert report["format"] == "markdown" and report["articles"] == len(kept)
    notes = sorted(folder.glob("*.md"))
    assert len(notes) == len(kept)
    for path in notes:
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        assert match, path.name
        meta = yaml.safe_load(match.group(1))
        article = kept[meta["id"]]
        assert path.name.endswith(f" - {article['id']}.md")
        assert meta["title"] == article["title"]
        for name in ("author", "site", "url", "lang", "sha256"):
            assert meta.get(name) == article[name]
        published = meta.get("published")
        shown = published.isoformat() if hasattr(published, "isoformat") else published
        assert shown == article["published"]
        body = [line for line in match.group(3).split("\n\n") if line.strip()]
        assert len(body) == len(article["body"])
    lemonde = next(p for p in notes if "Otan" in p.name)
    assert lemonde.name.startswith("2020-01-07 L'Otan suspend")


def test_a_second_markdown_export_into_the_same_folder_replaces_its_notes(archived, tmp_path):
    folder = tmp_path / "vault"
    export(archived, str(folder), "--format", "markdown")
    (folder / "mine.md").write_text("a note of my own\n", encoding="utf-8")
    first = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    export(archived, f"{folder}/")
    assert {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")} == first
    assert not list(folder.glob(".*"))  # no half-written note left behind


@given(st.text())
def test_any_text_survives_the_front_matter_as_a_yaml_string(text):
    assume(yaml_value(text).startswith('"'))  # not an ISO date, which YAML reads as a date
    assert yaml.safe_load(f"title: {yaml_value(text)}") == {"title": text}


def test_dates_and_numbers_are_yaml_dates_and_numbers():
    assert yaml.safe_load(f"v: {yaml_value(3)}") == {"v": 3}
    assert str(yaml.safe_load(f"d: {yaml_value('2020-01-05')}")["d"]) == "2020-01-05"
    moment = yaml.safe_load(f"d: {yaml_value('2020-01-05T14:32:00+01:00')}")["d"]
    assert moment.isoformat() == "2020-01-05T14:32:00+01:00"


@pytest.mark.parametrize("paragraph", ["# pas un titre", "- pas une liste", "1. pas une liste",
                                       "> pas une citation", "*pas* en _italique_ <b>ni</b> [lien](x)"])
def test_a_paragraph_that_looks_like_markdown_is_escaped_to_show_as_written(paragraph):
    escaped = markdown_text(paragraph)
    assert escaped != paragraph
    assert re.sub(r"\\(.)", r"\1", escaped) == paragraph


# --- CSL-JSON -----------------------------------------------------------------------------

# The rules of the CSL-JSON schema (citation-style-language/schema, csl-data.json) that
# our items use: the required id and type, the types of the variables we write.
CSL_TYPES = {"article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
             "broadcast", "chapter", "dataset", "document", "entry", "entry-dictionary",
             "entry-encyclopedia", "interview", "manuscript", "map", "motion_picture", "pamphlet",
             "paper-conference", "patent", "personal_communication", "post", "post-weblog", "report",
             "review", "song", "speech", "thesis", "treaty", "webpage"}
CSL_STRINGS = {"title", "container-title", "URL", "language", "abstract", "note", "keyword"}
CSL_DATES = {"issued", "accessed"}
CSL_NAMES = {"author"}


def assert_csl_item(item: dict) -> None:
    assert isinstance(item.get("id"), str | int) and item["type"] in CSL_TYPES, item
    assert set(item) <= {"id", "type"} | CSL_STRINGS | CSL_DATES | CSL_NAMES, set(item)
    for name in CSL_STRINGS & set(item):
        assert isinstance(item[name], str), (name, item[name])
    for name in CSL_DATES & set(item):
        parts = item[name]["date-parts"]
        assert set(item[name]) == {"date-parts"} and isinstance(parts, list) and 1 <= len(parts) <= 2
        for date in parts:
            assert 1 <= len(date) <= 3 and all(isinstance(p, int) for p in date), date
    for name in CSL_NAMES & set(item):
        assert isinstance(item[name], list) and item[name]
        for person in item[name]:
            assert set(person) <= {"family", "given", "literal", "suffix", "dropping-particle",
                                   "non-dropping-particle"}
            assert all(isinstance(v, str) and v for v in person.values())


def test_csl_json_items_follow_the_csl_schema_and_keep_the_metadata(archived, tmp_path):
    report = export(archived, str(tmp_path / "refs.json"), "--format", "csl")
    kept = articles(archived)
    assert report["format"] == "csl" and report["articles"] == len(kept)
    data = json.loads((tmp_path / "refs.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == len(kept)
    for item in data:
        assert_csl_item(item)
        article = kept[item["id"]]
        assert item["title"] == article["title"] and item["container-title"] == article["site"]
        if article["published"]:
            year, month, day = (int(p) for p in article["published"][:10].split("-"))
            assert item["issued"] == {"date-parts": [[year, month, day]]}
    otan = next(item for item in data if item["title"].startswith("L'Otan"))
    assert otan["author"] == [{"literal": "Claire Martin"}] and otan["URL"].startswith("https://www.lemonde.fr/")


def test_csl_json_goes_to_stdout_and_a_csl_json_name_says_the_format(archived, tmp_path):
    result = archived("export", "-", "--format", "csl", "--query", "Otan")
    assert result.exit_code == 0, result.output
    found = {h["id"] for h in json.loads(archived("search", "Otan", "--json").stdout)["hits"]}
    assert {item["id"] for item in json.loads(result.stdout)} == found
    assert export(archived, str(tmp_path / "refs.csl.json"))["format"] == "csl"


# --- choosing the format ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "options", "message"), [
    ("refs.json", (), "for CSL-JSON choose --format csl"),
    ("-", ("--format", "markdown"), "name the folder"),
    ("all.csv", ("--removed",), "--removed is for the exports"),
    ("notes.txt", (), "cannot tell the export format"),
])
def test_a_format_that_cannot_be_told_or_written_there_is_a_usage_error(archived, tmp_path, name,
                                                                       options, message):
    target = name if name == "-" else str(tmp_path / name)
    result = archived("export", target, *options)
    assert result.exit_code == 2 and message in result.stderr, result.stderr
    assert not (tmp_path / name).exists()


def test_a_markdown_export_onto_a_file_is_a_usage_error(archived, tmp_path):
    (tmp_path / "notes").write_text("", encoding="utf-8")
    result = archived("export", str(tmp_path / "notes"), "--format", "markdown")
    assert result.exit_code == 2 and "a Markdown export is a folder" in result.stderr


# --- tags and notes -------------------------------------------------------------------------

def test_every_format_carries_the_tags_and_tag_chooses_the_subset(archived, tmp_path):
    kept = articles(archived)
    otan = next(i for i, a in kept.items() if a["title"].startswith("L'Otan"))
    rtbf = next(i for i, a in kept.items() if a["url"] and "rtbf" in a["url"])
    assert archived("tag", otan, rtbf, "Irak 2020").exit_code == 0
    assert archived("tag", otan, "otan").exit_code == 0
    assert archived("note", otan, "À relire").exit_code == 0

    export(archived, str(tmp_path / "tagged.csv"), "--tag", "Irak 2020")
    with open(tmp_path / "tagged.csv", newline="", encoding="utf-8") as handle:
        rows = {row["id"]: row for row in csv.DictReader(handle)}
    assert set(rows) == {otan, rtbf}
    assert rows[otan]["tags"] == "Irak 2020, otan" and rows[otan]["note"] == "À relire"

    export(archived, f"{tmp_path / 'notes'}/", "--tag", "otan")
    [note] = (tmp_path / "notes").glob("*.md")
    meta = yaml.safe_load(FRONT_MATTER.match(note.read_text(encoding="utf-8")).group(1))
    assert meta["tags"] == ["Irak 2020", "otan"] and meta["note"] == "À relire"

    export(archived, str(tmp_path / "refs.csl.json"), "--tag", "otan")
    [item] = json.loads((tmp_path / "refs.csl.json").read_text(encoding="utf-8"))
    assert_csl_item(item)
    assert item["keyword"] == "Irak 2020, otan"

    export(archived, str(tmp_path / "marks.html"), "--tag", "Irak 2020")
    text = (tmp_path / "marks.html").read_text(encoding="utf-8")
    assert 'TAGS="Irak 2020,otan"' in text and text.count("<DT><A ") == 2
