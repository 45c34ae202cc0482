"""Dossiers: tags and notes on articles through the real CLI, kept in the archive of
record, followed by the index, carried by exports and bookmark files."""

from __future__ import annotations

import json

import pytest

from archive.store import Store
from tests.conftest import FIXTURES
from tests.newsroom import Newsroom

PARAGRAPHS = ["Le préfet a réuni lundi les élus du département pour préparer la saison des "
              "crues, après les inondations de l'hiver dernier qui avaient coupé trois routes.",
              "Les communes riveraines recevront des sacs de sable et un plan d'évacuation "
              "révisé avant la fin du mois, a précisé la préfecture dans un communiqué."]


def cli_json(run, *args: str, code: int = 0):
    result = run(*args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


@pytest.fixture
def three(run) -> dict[str, str]:
    """The three text copies of the fixtures, by a word of their title."""
    assert run("add", str(FIXTURES / "textcopies")).exit_code == 0
    titles = {a["title"].lower(): a["id"] for a in cli_json(run, "list")}
    return {word: next(i for t, i in titles.items() if word in t)
            for word in ("inondations", "festival", "retraites")}


def hits(run, *query: str) -> set[str]:
    result = run("search", *query, "--json")
    assert result.exit_code in (0, 1), result.output
    return {hit["id"] for hit in json.loads(result.stdout)["hits"]}


def test_tags_count_their_articles_and_one_spelling_is_kept_whatever_the_case_or_accents(run, three):
    report = cli_json(run, "tag", three["inondations"], three["festival"], "Été 2021")
    assert report == {"tag": "Été 2021", "changed": [three["inondations"], three["festival"]],
                      "unchanged": [], "unknown": []}
    again = run("tag", three["festival"], three["retraites"], "ete  2021")
    assert again.exit_code == 0
    assert f"already    {three['festival']}  Été 2021" in again.stdout
    assert f"tagged     {three['retraites']}  Été 2021" in again.stdout
    assert run("tag", three["retraites"], "Réforme").exit_code == 0
    assert cli_json(run, "tags") == [{"tag": "Été 2021", "articles": 3},
                                     {"tag": "Réforme", "articles": 1}]  # by name, accents aside
    assert run("tags").stdout == "      3  Été 2021\n      1  Réforme\n"
    assert cli_json(run, "untag", three["festival"], "ÉTÉ 2021")["changed"] == [three["festival"]]
    assert cli_json(run, "show", three["festival"]).get("tags") is None
    assert cli_json(run, "show", three["retraites"])["tags"] == ["Été 2021", "Réforme"]
    assert "tags:      Été 2021, Réforme" in run("show", three["retraites"]).stdout


def test_a_bad_tag_name_is_a_usage_error_and_an_unknown_id_fails_alone(run, three):
    comma = run("tag", three["festival"], "Avignon, 2022")
    assert comma.exit_code == 2 and "a tag name has no comma" in comma.stderr
    assert "Traceback" not in comma.output
    assert run("tag", three["festival"], "   ").exit_code == 2
    assert run("tag", three["festival"]).exit_code == 2  # no name
    partly = run("tag", three["festival"], "ffffffffffff", "avignon")
    assert partly.exit_code == 1
    assert partly.stderr.strip() == "archive: no article with id 'ffffffffffff'"
    assert hits(run, "tag:avignon") == {three["festival"]}


def test_add_with_tag_tags_new_and_already_archived_articles(run, three, tmp_path):
    page = tmp_path / "crues.txt"
    page.write_text("Crues : le préfet prépare l'hiver\n\n" + "\n\n".join(PARAGRAPHS), encoding="utf-8")
    added = run("add", str(page), str(FIXTURES / "textcopies" / "rtbf_inondations.txt"),
                "--tag", "Crues", "--tag", "Belgique")
    assert added.exit_code == 0, added.output
    tagged = hits(run, "tag:crues")
    assert three["inondations"] in tagged and len(tagged) == 2
    assert hits(run, "tag:crues", "tag:belgique") == tagged
    assert cli_json(run, "list", "--tag", "crues") == cli_json(run, "list", "--tag", "Belgique")
    assert {a["id"] for a in cli_json(run, "list", "--tag", "CRUES")} == tagged
    assert run("list", "--tag", "nothing-like-it").stdout == ""


def test_a_tag_and_a_note_stay_through_reextract_and_a_new_version(run, tmp_path):
    page = tmp_path / "barrage.html"
    url = "https://www.lesoir.be/1/article/barrage"
    page.write_text(f'<html><head><link rel="canonical" href="{url}"><title>Le barrage cède</title>'
                    "</head><body><article><h1>Le barrage cède</h1><p>Le barrage de Ryjnik a cédé "
                    "dans la nuit, inondant la vallée en aval.</p></article></body></html>")
    article_id = cli_json(run, "add", str(page))["inputs"][0]["id"]
    assert run("tag", article_id, "barrages").exit_code == 0
    assert run("note", article_id, "Vérifier le nom du barrage").exit_code == 0
    page.write_text(page.read_text().replace("Ryjnik", "Zolnik"))
    assert cli_json(run, "add", str(page))["updated"] == 1
    assert run("reextract", "--all").exit_code == 0
    shown = cli_json(run, "show", article_id)
    assert (shown["tags"], shown["note"]) == (["barrages"], "Vérifier le nom du barrage")
    assert hits(run, "Zolnik", "tag:barrages") == {article_id}
    assert hits(run, "note:nom", "tag:barrages") == {article_id}


def test_a_note_is_written_shown_searched_replaced_and_cleared(run, three):
    festival = three["festival"]
    assert run("note", festival, "Entretien avec la directrice\nà relire").stdout == f"noted {festival}\n"
    assert run("note", festival).stdout == "Entretien avec la directrice\nà relire\n"
    shown = run("show", festival).stdout
    assert "note:\n  Entretien avec la directrice\n  à relire\n" in shown
    assert hits(run, "note:directrices") == {festival}
    assert run("note", festival, "Interview de la directrice").exit_code == 0
    assert hits(run, "note:entretien") == set()
    assert cli_json(run, "note", festival) == {"id": festival, "note": "Interview de la directrice",
                                               "changed": False}
    assert run("note", festival, "-", input="Depuis un fichier\n").exit_code == 0
    assert run("note", festival).stdout == "Depuis un fichier\n"
    assert run("note", festival, "--clear").stdout == f"cleared the note of {festival}\n"
    assert cli_json(run, "show", festival).get("note") is None
    assert hits(run, "note:fichier") == set()
    assert run("note", festival, "x", "--clear").exit_code == 2


def test_a_tag_written_to_the_store_alone_reaches_the_index_through_its_change_log(run, home, three):
    assert hits(run, "tag:avignon") == set()
    with Store.open(home) as store:  # another process tagging, or a kill before indexing
        store.tag({three["festival"]: ["Avignon"]})
    result = run("search", "tag:avignon", "--json")
    assert "indexed 1 missing article" in result.stderr
    assert {h["id"] for h in json.loads(result.stdout)["hits"]} == {three["festival"]}
    assert cli_json(run, "check")["ok"]


@pytest.mark.parametrize("name", ["dossier.jsonl", "dossier.tar.gz"])
def test_tags_and_notes_go_out_in_an_export_and_come_back_on_import(run, three, tmp_path, name):
    assert run("tag", three["inondations"], three["festival"], "Été 2021").exit_code == 0
    assert run("tag", three["festival"], "Avignon").exit_code == 0
    assert run("note", three["festival"], "À citer dans le papier").exit_code == 0
    exported = tmp_path / name
    assert cli_json(run, "export", str(exported), "--tag", "été 2021")["articles"] == 2
    other = tmp_path / "other"
    imported = cli_json(run, "--home", str(other), "import", str(exported))
    assert (imported["imported"], imported["labelled"]) == (2, 2)
    again = cli_json(run, "--home", str(other), "import", str(exported))
    assert (again["imported"], again["labelled"]) == (0, 0)
    for article_id in (three["inondations"], three["festival"]):
        assert cli_json(run, "--home", str(other), "show", article_id) == \
            cli_json(run, "show", article_id)
    assert cli_json(run, "--home", str(other), "tags") == [{"tag": "Avignon", "articles": 1},
                                                           {"tag": "Été 2021", "articles": 2}]
    found = run("--home", str(other), "search", "note:citer", "--json")
    assert {h["id"] for h in json.loads(found.stdout)["hits"]} == {three["festival"]}


def test_an_import_adds_tags_but_never_overwrites_the_archive_own_note(run, three, tmp_path):
    exported = tmp_path / "all.jsonl"
    assert run("tag", three["festival"], "Avignon").exit_code == 0
    assert run("note", three["festival"], "la note exportée").exit_code == 0
    assert run("export", str(exported)).exit_code == 0
    assert run("untag", three["festival"], "avignon").exit_code == 0
    assert run("tag", three["festival"], "Théâtre").exit_code == 0
    assert run("note", three["festival"], "la note d'ici").exit_code == 0
    assert cli_json(run, "import", str(exported))["labelled"] == 1
    shown = cli_json(run, "show", three["festival"])
    assert (shown["tags"], shown["note"]) == (["Avignon", "Théâtre"], "la note d'ici")


def test_bad_tags_in_an_export_are_one_problem_each_and_the_rest_is_imported(run, three, tmp_path):
    exported = tmp_path / "all.jsonl"
    assert run("tag", three["festival"], "Avignon").exit_code == 0
    assert run("export", str(exported)).exit_code == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for record in records[1:]:
        if record["id"] == three["retraites"]:
            record["tags"] = ["a,b"]
        if record["id"] == three["inondations"]:
            record["note"] = {"not": "text"}
    exported.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                        encoding="utf-8")
    other = tmp_path / "other"
    result = run("--home", str(other), "import", str(exported), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["imported"] == 3 and report["labelled"] == 1
    assert sorted(p.split(": ", 1)[1] for p in report["problems"]) == [
        "a tag name has no comma (commas separate tags): 'a,b'", "the note is not text"]
    assert cli_json(run, "--home", str(other), "tags") == [{"tag": "Avignon", "articles": 1}]


def test_bookmarks_keep_their_tags_and_their_folders_as_tags(run, tmp_path):
    room = Newsroom()
    try:
        crue = room.publish("/crue", "Crues : le préfet prépare l'hiver", PARAGRAPHS)
        vote = room.publish("/vote", "Le conseil vote le budget des digues",
                            [p.replace("préfet", "conseil") for p in PARAGRAPHS])
        exported = tmp_path / "bookmarks.html"
        exported.write_text(
            "<!DOCTYPE NETSCAPE-Bookmark-file-1>\n<TITLE>Bookmarks</TITLE>\n<H1>Bookmarks</H1>\n"
            "<DL><p>\n"
            '<DT><H3 PERSONAL_TOOLBAR_FOLDER="true">Barre personnelle</H3>\n<DL><p>\n'
            "<DT><H3>Enquête crues</H3>\n<DL><p>\n"
            f'<DT><A HREF="{crue}" ADD_DATE="1578225600" TAGS="préfecture,Hiver, hiver">Crue</A>\n'
            "</DL><p>\n"
            f'<DT><A HREF="{vote}" TAGS="budget">Vote</A>\n'
            "</DL><p>\n</DL><p>\n", encoding="utf-8")
        added = cli_json(run, "add", "--bookmarks", str(exported))
    finally:
        room.close()
    ids = {item["origin"]: item["id"] for item in added["inputs"]}
    assert cli_json(run, "show", ids[crue])["tags"] == ["Enquête crues", "Hiver", "préfecture"]
    assert cli_json(run, "show", ids[vote])["tags"] == ["budget"]  # the toolbar is no topic
    assert hits(run, 'tag:"enquete crues"') == {ids[crue]}


def test_a_relaxed_search_keeps_its_tag_required(run, three):
    assert run("tag", three["festival"], "Avignon").exit_code == 0
    for query in (["Meuse", "festival", "tag:avignon"], ["Meuse", "festival", "--tag", "avignon"]):
        found = cli_json(run, "search", *query)
        assert found["relaxed"] is True  # no article has both words
        assert [(h["id"], h["missing"]) for h in found["hits"]] == [(three["festival"], ["Meuse"])]
