"""Nothing lost, nothing duplicated: versions, remove, reextract, export/import, stats, check."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile

import pytest

from archive.migrations import compress_body
from archive.store import Store
from tests.conftest import FIXTURES, SEED

PAGE = """<html lang="fr"><head><title>{title} - Le Soir</title>
<link rel="canonical" href="{url}"></head><body><article><h1>{title}</h1>
<p>{text} Les négociations reprendront lundi à Bruxelles, selon la présidence.</p>
<p>Les syndicats ont prévenu qu'ils maintiendraient la pression jusqu'au vote du texte.</p>
</article></body></html>"""


def write_page(folder, name, title, url, text):
    path = folder / name
    path.write_text(PAGE.format(title=title, url=url, text=text), encoding="utf-8")
    return path


def listing(run) -> list[dict]:
    return json.loads(run("list", "--json").stdout)


def test_another_url_form_of_the_same_article_becomes_a_version_and_keeps_both(run, tmp_path):
    first = write_page(tmp_path, "a.html", "Accord sur le budget", "http://www.lesoir.be/1/budget/",
                       "Les ministres ont trouvé un accord.")
    second = write_page(tmp_path, "b.html", "Accord sur le budget européen",
                        "https://lesoir.be/1/budget?utm_source=twitter&fbclid=abc#top",
                        "Les ministres ont trouvé un accord définitif.")
    assert run("add", str(first)).exit_code == 0
    result = run("add", str(second))
    assert result.exit_code == 0
    assert "version" in result.stdout and "1 new versions" in result.stdout
    [article] = listing(run)
    assert article["title"] == "Accord sur le budget européen"
    versions = json.loads(run("show", article["id"], "--versions", "--json").stdout)
    assert versions["current"] == 2
    assert [v["number"] for v in versions["versions"]] == [1, 2]
    assert versions["versions"][0]["sha256"] != versions["versions"][1]["sha256"]
    found = json.loads(run("search", "définitif", "--json").stdout)
    assert found["total"] == 1  # the latest version is what is indexed, once
    assert json.loads(run("search", "budget", "--json").stdout)["total"] == 1


def test_remove_takes_an_article_out_of_search_and_readding_restores_it(run, seeded):
    result = run("remove", seeded)
    assert result.exit_code == 0 and f"removed  {seeded}" in result.stdout
    assert json.loads(run("search", "Soleimani", "--json").stdout)["total"] == 0
    assert listing(run) == []
    again = run("add", str(SEED))
    assert "added" in again.stdout
    assert listing(run)[0]["id"] == seeded
    assert json.loads(run("search", "Soleimani", "--json").stdout)["total"] == 1


def test_remove_purge_deletes_the_originals(run, home, seeded):
    assert run("remove", seeded, "--purge").exit_code == 0
    db = sqlite3.connect(home / "archive.db")
    assert db.execute("SELECT count(*) FROM originals").fetchone()[0] == 0


def test_remove_an_unknown_id_exits_1_and_names_it(run, seeded):
    result = run("remove", "abcdef123456")
    assert result.exit_code == 1
    assert "no article with id 'abcdef123456'" in result.stderr


def test_reextract_keeps_the_old_text_as_a_version_when_the_cleaner_changes(run, home, seeded):
    with Store.open(home) as store:  # an article cleaned by an older, worse cleaner
        store.db.execute("UPDATE articles SET body = ? WHERE id = ?",
                         (compress_body(["PhotoNews", "Vos réactions"]), seeded))
    result = run("reextract", "--all")
    assert result.exit_code == 0
    assert result.stdout.strip() == "1 changed, 0 unchanged, 0 failed"
    shown = json.loads(run("show", seeded, "--json").stdout)
    assert shown["body"][3] == "5.000 soldats visés"
    assert len(json.loads(run("show", seeded, "--versions", "--json").stdout)["versions"]) == 2
    assert run("reextract", seeded).stdout.strip() == "0 changed, 1 unchanged, 0 failed"


def test_reextract_needs_ids_or_all(run, seeded):
    assert run("reextract").exit_code == 2


@pytest.mark.parametrize("name", ["export.jsonl", "export.tar.gz"])
def test_export_then_import_gives_an_identical_archive(run, home, tmp_path, name, monkeypatch):
    run("add", str(SEED), str(FIXTURES / "textcopies"))
    update = write_page(tmp_path, "v1.html", "Un titre", "https://example.org/x", "Premier état.")
    update2 = write_page(tmp_path, "v2.html", "Un titre", "https://example.org/x/", "Second état.")
    run("add", str(update))
    run("add", str(update2))
    exported = tmp_path / name
    assert run("export", str(exported)).exit_code == 0

    other = tmp_path / "other"
    from click.testing import CliRunner

    from cli.main import cli
    result = CliRunner().invoke(cli, ["--home", str(other), "import", str(exported)])
    assert result.exit_code == 0, result.output
    assert "imported 6 versions" in result.stdout

    def snapshot(folder):
        db = sqlite3.connect(folder / "archive.db")
        # every column but `num`, the row number each archive gives its articles
        return ([row[1:] for row in db.execute("SELECT * FROM articles ORDER BY id")],
                db.execute("SELECT * FROM versions ORDER BY article_id, version").fetchall(),
                db.execute("SELECT sha256, size FROM originals ORDER BY sha256").fetchall())

    assert snapshot(home) == snapshot(other)
    with Store.open(home) as a, Store.open(other) as b:
        assert dict(a.iter_originals()) == dict(b.iter_originals())
    found = CliRunner().invoke(cli, ["--home", str(other), "search", "Soleimani", "--json"])
    assert json.loads(found.stdout)["total"] == 1


def test_a_malicious_export_writes_nothing_outside_the_home(run, home, tmp_path, seeded, monkeypatch):
    import hashlib

    from archive import transfer

    monkeypatch.setattr(transfer, "MAX_BYTES", 1000)
    huge = b"h" * 2000
    huge_sha = hashlib.sha256(huge).hexdigest()
    record = {"id": huge_sha[:12], "sha256": huge_sha, "version": 1, "title": "T", "body": ["b"]}
    listing_lines = (b'{"id": "../../x", "sha256": "00", "version": 1}\n' b"not json\n"
                     + json.dumps(record).encode() + b"\n")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        for name, data in [("../../escaped.txt", b"x"), ("/tmp/absolute-escape.txt", b"y"),
                           (f"originals/{huge_sha}", huge), ("articles.jsonl", listing_lines)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("originals/link")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    outside = lambda: sorted(str(p) for p in tmp_path.rglob("*") if home not in p.parents)  # noqa: E731
    before = outside()
    result = run("import", str(evil))
    assert result.exit_code == 1
    assert "line 1: its original is missing or too large" in result.stderr
    assert "line 2: not JSON" in result.stderr
    assert "line 3: its original is missing or too large" in result.stderr
    assert outside() == before
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not (tmp_path.parent.parent / "escaped.txt").exists()
    assert len(listing(run)) == 1


def test_importing_something_that_is_not_an_export_is_one_clear_line(run, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    with tarfile.open(junk, "w:gz") as tar:
        info = tarfile.TarInfo("readme.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    result = run("import", str(junk))
    assert result.exit_code == 1
    assert "is not an `archive export` file (a tar file without articles.jsonl)" in result.stderr


def test_stats_counts_sites_and_dates(run, seeded):
    run("add", str(FIXTURES / "textcopies"))
    figures = json.loads(run("stats", "--json").stdout)
    assert figures["articles"] == 4 and figures["versions"] == 4 and figures["originals"] == 4
    assert {"site": "Le Soir", "articles": 1} in figures["sites"]
    assert figures["published"] == {"first": "2020-01-11T19:41:00", "last": "2022-07-07T06:30:00"}
    assert figures["originals_bytes"] > figures["originals_stored_bytes"] > 0
    assert figures["index_bytes"] > 0
    assert "articles   4" in run("stats").stdout


def test_check_passes_on_a_healthy_archive(run, seeded):
    result = run("check", "--json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["ok"] and report["articles"] == report["indexed"] == 1


def test_check_finds_a_damaged_original(run, home, seeded):
    import zlib
    with Store.open(home) as store:
        store.db.execute("UPDATE originals SET data = ?", (zlib.compress(b"tampered"),))
    result = run("check")
    assert result.exit_code == 1
    assert "1 originals whose bytes do not match their sha256" in result.stdout


AGENCY_STORY = [
    "Le gouvernement belge a approuvé vendredi un plan de relance de quatre milliards d'euros "
    "destiné à soutenir les entreprises touchées par la crise sanitaire, a annoncé le Premier "
    "ministre à l'issue du conseil des ministres.",
    "Le plan prévoit des prêts garantis par l'État, un report des cotisations sociales pour les "
    "indépendants et une enveloppe spécifique pour le secteur culturel, particulièrement frappé "
    "par la fermeture des salles depuis le mois de mars.",
    "L'opposition a dénoncé un plan insuffisant et réclamé un débat au Parlement dès la semaine "
    "prochaine, tandis que les fédérations patronales ont salué des mesures rapides.",
]


def copy_of_story(folder, name, site, tweak=""):
    path = folder / name
    body = "\n\n".join(AGENCY_STORY[:2] + [AGENCY_STORY[2] + tweak])
    path.write_text(f"Plan de relance de quatre milliards - {site}\n\n{body}\n", encoding="utf-8")
    return path


def test_an_agency_story_on_several_sites_is_grouped_as_near_duplicates(run, tmp_path, seeded):
    copy_of_story(tmp_path, "soir.txt", "Le Soir")
    copy_of_story(tmp_path, "libre.txt", "La Libre", " (Belga)")
    copy_of_story(tmp_path, "rtbf.txt", "RTBF", " Le texte sera publié au Moniteur lundi.")
    assert run("add", str(tmp_path / "soir.txt"), str(tmp_path / "libre.txt"),
               str(tmp_path / "rtbf.txt")).exit_code == 0
    groups = json.loads(run("list", "--duplicates", "--json").stdout)
    assert len(groups) == 1
    assert sorted(a["site"] for a in groups[0]["articles"]) == ["La Libre", "Le Soir", "RTBF"]
    assert seeded not in {a["id"] for a in groups[0]["articles"]}
    assert "3 copies of the same story" in run("list", "--duplicates").stdout


def test_different_stories_are_not_grouped(run, tmp_path):
    run("add", str(SEED), str(FIXTURES / "textcopies"))
    assert json.loads(run("list", "--duplicates", "--json").stdout) == []


def test_an_export_line_over_the_cap_is_skipped_and_named(run, home, tmp_path, monkeypatch):
    from archive import transfer

    run("add", str(SEED))
    exported = tmp_path / "export.jsonl"
    run("export", str(exported))
    lines = exported.read_text(encoding="utf-8").splitlines()
    monkeypatch.setattr(transfer, "MAX_LINE", max(len(line.encode()) for line in lines) + 10)
    exported.write_text("\n".join([lines[0], "x" * 10_000, *lines[1:]]) + "\n", encoding="utf-8")
    from click.testing import CliRunner

    from cli.main import cli
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "other"), "import", str(exported)])
    assert result.exit_code == 1
    assert "line 2: too large, skipped" in result.stderr
    assert "imported 1 version" in result.stdout


def test_search_folds_copies_of_a_story_into_one_hit_and_all_shows_each(run, tmp_path):
    for name, site in (("soir.txt", "Le Soir"), ("libre.txt", "La Libre"), ("rtbf.txt", "RTBF")):
        copy_of_story(tmp_path, name, site)
    run("add", str(tmp_path / "soir.txt"), str(tmp_path / "libre.txt"), str(tmp_path / "rtbf.txt"))
    folded = json.loads(run("search", "plan de relance", "--json").stdout)
    assert len(folded["hits"]) == 1
    assert sorted(copy["site"] for copy in folded["hits"][0]["also_in"]) == sorted(
        {"Le Soir", "La Libre", "RTBF"} - {folded["hits"][0]["site"]})
    assert "also in: " in run("search", "plan de relance").stdout
    every = json.loads(run("search", "plan de relance", "--copies", "--json").stdout)
    assert len(every["hits"]) == 3
    assert all(hit["also_in"] == [] for hit in every["hits"])
