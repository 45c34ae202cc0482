"""The engine contract: every engine (tantivy, Whoosh, OpenSearch) through the same
behaviour, by the real CLI on a real archive. The French search probes run on all of them
in tests/test_search_probes.py; here: sync, catch-up, rebuild, damage, check and repair,
remove, versions, date sort, facets, did-you-mean, relaxation, questions and pasted text,
a restored store, the writer lock."""

from __future__ import annotations

import json
import shutil
import sqlite3

import pytest

from archive.article import Article
from archive.store import Store
from tests.conftest import FIXTURES, SEED
from tests.engines import damage, index_folder, write_behind_the_store, writer_held


def search_json(run, *query: str) -> dict:
    result = run("search", *query, "--json")
    assert result.exit_code in (0, 1), result.output
    found = json.loads(result.stdout)
    assert result.exit_code == (0 if found["hits"] else 1), "a search exits 1 when it finds nothing"
    return found


def keep(home, *articles: Article) -> None:
    """Articles committed to the store and never indexed, as after a kill."""
    with Store.open(home, create=True) as store:
        store.add_many([(a, f"{a.title}|{a.body}".encode()) for a in articles])


def drop_index(home, engine: str) -> None:
    if engine == "opensearch":
        from index.engines import open_engine

        cluster = open_engine(home, "opensearch")
        cluster.client.indices.delete(index=cluster.config.index)
        cluster.close()
    else:
        shutil.rmtree(index_folder(home, engine))


def test_reindex_after_dropping_the_index_gives_identical_results(run, home, engine, seeded):
    run("add", str(FIXTURES / "textcopies"))
    queries = [("Soleimani",), ("soldats",), ("retraites",), ("Liège", "Meuse"), ("festival",)]
    before = [search_json(run, *q) for q in queries]
    drop_index(home, engine)
    result = run("reindex")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "indexed 4 articles"
    assert [search_json(run, *q) for q in queries] == before


def test_an_index_behind_the_store_is_caught_up_by_the_next_command(run, home, engine, seeded):
    keep(home, Article(title="Séisme au Japon", body=["Un séisme de magnitude 7 a frappé le Japon."]))
    result = run("search", "séisme", "--json")
    assert result.exit_code == 0, result.output
    assert "indexed 1 missing article" in result.stderr
    assert json.loads(result.stdout)["hits"][0]["title"] == "Séisme au Japon"


def test_a_dropped_index_is_rebuilt_by_the_next_command(run, home, engine, seeded):
    drop_index(home, engine)
    found = search_json(run, "Soleimani")
    assert found["total"] == 1 and found["hits"][0]["id"] == seeded


def test_a_damaged_index_is_rebuilt_automatically(run, home, file_engine, seeded):
    damage(home, file_engine)
    result = run("search", "Soleimani", "--json")
    assert result.exit_code == 0, result.output
    assert "rebuilding it from the archive" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert run("check").exit_code == 0


def test_an_index_from_another_version_is_rebuilt_by_the_next_command(run, home, file_engine, seeded):
    state = index_folder(home, file_engine) / "synced.json"
    data = json.loads(state.read_text())
    state.write_text(json.dumps({**data, "format": 0}))
    result = run("search", "Soleimani", "--json")
    assert result.exit_code == 0, result.output
    assert "built by another version of archive; rebuilding it" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert json.loads(state.read_text())["format"] > 0


def test_an_archive_restored_from_a_backup_is_indexed_again(run, home, file_engine, tmp_path, seeded):
    backup = tmp_path / "backup.db"
    with sqlite3.connect(home / "archive.db") as live, sqlite3.connect(backup) as copy:
        live.backup(copy)  # the archive as it was with the seed only
    run("add", str(FIXTURES / "textcopies"))  # the index moves on past the backup
    (home / "archive.db").unlink()
    for leftover in home.glob("archive.db-*"):
        leftover.unlink()
    shutil.copy(backup, home / "archive.db")
    # new articles after the restore take change numbers the index has already seen
    keep(home, Article(title="Après la restauration", body=["Une dépêche sur le barrage de Ryjnik."]))
    result = run("search", "Ryjnik", "--json")
    assert result.exit_code == 0, result.output
    assert "restored from a backup" in result.stderr
    assert json.loads(result.stdout)["total"] == 1
    assert search_json(run, "retraites")["total"] == 0  # only what the restored archive holds
    assert json.loads(run("check", "--json").stdout)["ok"]


def test_a_held_index_does_not_stop_add_and_is_caught_up_later(run, home, file_engine, seeded,
                                                                monkeypatch):
    from index.engines import files

    monkeypatch.setattr(files, "LOCK_WAIT", 0.3)
    with writer_held(home, file_engine):  # another archive process writing the index
        result = run("add", str(FIXTURES / "textcopies" / "lemonde_retraites.txt"))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout
    [line] = result.stderr.strip().splitlines()
    assert "another archive process" in line and "next command will index" in line
    assert search_json(run, "retraites")["total"] == 1


def test_check_finds_stray_entries_and_repair_fixes_the_index(run, home, engine, seeded):
    stray = [Article(title="Fantôme", body=["Orphelin."], id="0123456789ab")]
    if engine != "opensearch":  # the cluster keys documents by id: it cannot hold one twice
        stray.append(Article(title="Double", body=["Double."], id=seeded))
    write_behind_the_store(home, engine, stray)
    report = json.loads(run("check", "--json").stdout)
    assert report["orphans_in_index"] == ["0123456789ab"]
    assert report["duplicated_in_index"] == ([seeded] if engine != "opensearch" else [])
    assert not report["ok"]
    repaired = run("check", "--repair", "--json")
    assert repaired.exit_code == 0
    fixed = json.loads(repaired.stdout)
    assert fixed["ok"] and fixed["repaired"] == 1 and fixed["indexed"] == 1


def test_removed_articles_leave_the_index(run, home, engine, seeded):
    assert run("remove", seeded).exit_code == 0
    assert search_json(run, "Soleimani")["total"] == 0
    assert json.loads(run("check", "--json").stdout)["indexed"] == 0


def test_a_new_version_replaces_the_old_text_in_the_index(run, home, engine, tmp_path):
    page = tmp_path / "page.html"
    url = "https://www.lesoir.be/1/article/barrage"
    page.write_text(f'<html><head><link rel="canonical" href="{url}"><title>Le barrage cède</title>'
                    "</head><body><article><h1>Le barrage cède</h1><p>Le barrage de Ryjnik a cédé "
                    "dans la nuit, inondant la vallée en aval.</p></article></body></html>")
    assert run("add", str(page)).exit_code == 0
    page.write_text(page.read_text().replace("Ryjnik", "Zolnik").replace("cède<", "cède enfin<"))
    assert "version" in run("add", str(page)).stdout
    assert search_json(run, "Ryjnik")["total"] == 0
    assert search_json(run, "Zolnik")["total"] == 1


def test_tags_and_notes_are_searched_alike_and_follow_every_change(run, home, engine, tmp_path):
    run("add", str(FIXTURES / "textcopies"))
    ids = {a["title"]: a["id"] for a in json.loads(run("list", "--json").stdout)}
    flood, festival = (next(i for t, i in ids.items() if word in t.lower())
                       for word in ("inond", "festival"))
    assert run("tag", flood, festival, "Été 2021").exit_code == 0
    assert run("tag", flood, "Benalla").exit_code == 0
    assert run("note", festival, "Les témoins ont été entendus par les enquêteurs").exit_code == 0

    def found(*query: str) -> set[str]:
        return {hit["id"] for hit in search_json(run, *query)["hits"]}

    assert found('tag:"ete 2021"') == {flood, festival}
    assert found("tag:benalla") == found("tag:BENALLA") == {flood}
    assert found("tag:benal") == set()  # a whole tag name, never a part of one
    assert found("tag:benalla", "OR", "note:témoin") == {flood, festival}
    assert found("note:témoins") == found("note:temoin") == {festival}
    assert found("-tag:benalla", 'tag:"été 2021"') == {festival}
    assert found("enquêteurs") == set()  # a note is its own field, not the article's text
    assert found("Meuse", "OR", "festival", "--tag", "été 2021") == {flood, festival}
    assert found("Meuse", "OR", "festival", "--tag", "été 2021", "--tag", "benalla") == {flood}
    assert run("untag", flood, "benalla").exit_code == 0
    assert run("note", festival, "--clear").exit_code == 0
    assert found("tag:benalla") == found("note:témoin") == set()
    assert run("reextract", "--all").exit_code == 0
    drop_index(home, engine)
    assert found('tag:"été 2021"') == {flood, festival}
    assert json.loads(run("check", "--json").stdout)["ok"]


def dated(title: str, published: str | None, site: str, body: str) -> Article:
    return Article(title=title, body=[body], published=published, site=site)


@pytest.fixture
def dated_archive(home):
    keep(home,
         dated("Crue de la Meuse à Liège", "2020-01-10T08:00:00", "Le Soir",
               "La crue de la Meuse inonde les quais de Liège."),
         dated("La Meuse déborde encore", "2021-03-02T12:00:00", "RTBF",
               "La Meuse déborde à nouveau, les quais sont fermés."),
         dated("Les quais de la Meuse", None, "RTBF", "Une promenade sur les quais de la Meuse."),
         dated("Meuse : le bilan de la crue", "2020-01-20T09:30:00", "Le Soir",
               "Le bilan de la crue de la Meuse est lourd."))
    return home


def test_date_sort_puts_the_newest_first_and_the_undated_last_with_relevance_scores(
        run, engine, dated_archive):
    by_date = search_json(run, "Meuse", "--sort", "date")
    published = [hit["published"] for hit in by_date["hits"]]
    assert published == ["2021-03-02T12:00:00", "2020-01-20T09:30:00", "2020-01-10T08:00:00", None]
    by_relevance = {hit["id"]: hit["score"] for hit in search_json(run, "Meuse")["hits"]}
    assert {hit["id"]: hit["score"] for hit in by_date["hits"]} == pytest.approx(by_relevance)


def test_facets_count_every_match_by_site_and_month(engine, dated_archive):
    from index.home import ArchiveHome

    with ArchiveHome(dated_archive, engine=engine) as archive:
        facets = archive.facets("Meuse").to_json()
        narrowed = archive.facets("Meuse", site="Le Soir").to_json()
        crue = archive.facets("crue").to_json()
    assert facets == {"total": 4, "sites": [{"site": "Le Soir", "articles": 2},
                                            {"site": "RTBF", "articles": 2}],
                      "months": [{"month": "2020-01", "articles": 2},
                                 {"month": "2021-03", "articles": 1}], "undated": 1}
    assert narrowed["total"] == 2 and narrowed["sites"] == [{"site": "Le Soir", "articles": 2}]
    assert crue["total"] == 2 and crue["months"] == [{"month": "2020-01", "articles": 2}]


def test_did_you_mean_comes_from_the_archive_words(run, engine, seeded):
    found = search_json(run, "Soleimany")
    assert found["total"] == 0
    assert found["suggestion"] == "Soleimani"
    assert search_json(run, "irakienes")["suggestion"] == "irakiennes"


def test_relaxation_questions_and_pasted_text_answer_alike(run, engine):
    assert run("add", str(FIXTURES / "articles"), str(FIXTURES / "relevance")).exit_code == 0
    relaxed = search_json(run, "Soleimani", "Zelensky")
    assert relaxed["relaxed"] is True and relaxed["total"] == 2
    assert sorted(hit["missing"] for hit in relaxed["hits"]) == [["Soleimani"], ["Zelensky"]]
    assert search_json(run, "Soleimani", "Zelensky", "--strict")["total"] == 0
    question = search_json(run, "Pourquoi les gardiens de prison sont-ils en grève ?")
    first = question["hits"][0]
    assert first["title"].startswith("Les surveillants bloquent") and first["missing"] == []
    pasted = run("search", "Isaac:Rebirth", "Iwata", "--json")
    assert pasted.exit_code == 0 and "unknown field isaac:" in pasted.stderr
    assert json.loads(pasted.stdout)["hits"][0]["title"].startswith("The Binding of Isaac")
    deep = run("search", "--", "(" * 330)
    assert deep.exit_code == 2 and "nests" in deep.stderr and "Traceback" not in deep.output


def test_an_existing_archive_gets_the_default_index_built_on_first_use(run, home, monkeypatch):
    monkeypatch.setenv("ARCHIVE_ENGINE", "whoosh")
    assert run("add", str(SEED)).exit_code == 0
    monkeypatch.delenv("ARCHIVE_ENGINE")
    result = run("search", "Soleimani", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["total"] == 1
    [line] = result.stderr.strip().splitlines()
    assert "tantivy" in line and "1 article" in line


def test_a_read_only_home_can_be_listed_and_searched(run, home, file_engine, seeded):
    from tests.conftest import run_without_override

    for path in [home, *home.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        listed = run_without_override(home, "list", "--json")
        found = run_without_override(home, "search", "Soleimani", "--json")
    finally:
        for path in [home, *home.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    assert listed.returncode == 0, listed.stderr
    assert [a["id"] for a in json.loads(listed.stdout)] == [seeded]
    assert found.returncode == 0, found.stderr
    assert json.loads(found.stdout)["total"] == 1 and found.stderr == ""
