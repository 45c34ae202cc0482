"""What `add` takes and says through the real CLI: gzipped pages (bounded by --max-size,
in folders too), a short page named as such, a site from the URL's domain when a page
names none; and how `search` counts and shows the copies of one story."""

from __future__ import annotations

import gzip
import json

from tests.conftest import FIXTURES

ARTICLE = FIXTURES / "articles" / "otan_lemonde.html"


def listing(run) -> list[dict]:
    return json.loads(run("list", "--json").stdout)


def test_html_gz_and_htm_gz_pages_are_decompressed_given_or_in_a_folder(run, tmp_path):
    page = tmp_path / "otan.html.gz"
    page.write_bytes(gzip.compress(ARTICLE.read_bytes()))
    result = run("add", str(page))
    assert result.exit_code == 0, result.output
    assert "L'Otan suspend sa mission de formation en Irak" in result.stdout
    folder = tmp_path / "saved"
    folder.mkdir()
    (folder / "coalition.htm.gz").write_bytes(
        gzip.compress((FIXTURES / "articles" / "coalition_lesoir.html").read_bytes()))
    assert "1 added" in run("add", str(folder)).stdout
    assert len(listing(run)) == 2
    shown = json.loads(run("show", str(page), "--json").stdout)
    assert shown["site"] == "Le Monde"


def test_a_gzipped_page_larger_than_max_size_once_decompressed_is_refused(run, tmp_path):
    bomb = tmp_path / "bomb.html.gz"
    bomb.write_bytes(gzip.compress(b"<html><body><p>" + b"a" * (3 * 1024 * 1024) + b"</p></body></html>"))
    assert bomb.stat().st_size < 1024 * 1024
    result = run("add", str(bomb), "--max-size", "1")
    assert result.exit_code == 1
    assert f"{bomb}: too large once decompressed (over the 1 MB cap)" in result.stderr
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"\x1f\x8b\x08\x00not gzip at all")
    assert "not a readable gzip file" in run("add", str(broken)).stderr


def test_a_page_with_a_handful_of_characters_is_called_short(run, tmp_path):
    tiny = tmp_path / "tiny.html"
    tiny.write_text("<html><head><title>Un titre</title></head><body><p>Trop peu.</p></body></html>",
                    encoding="utf-8")
    result = run("add", str(tiny))
    assert result.exit_code == 0
    assert "Un titre  (short: 9 characters)" in result.stdout
    assert result.stdout.strip().endswith("0 failed, 1 short (9 characters)")
    report = json.loads(run("add", str(ARTICLE), "--json").stdout)
    assert report["short"] == 0 and "note" not in report["inputs"][0]


def test_a_page_that_names_no_site_gets_the_domain_of_its_url(run, tmp_path):
    copy = tmp_path / "copy.txt"
    copy.write_text("Le port rouvre ses quais\n\nLe port de commerce rouvre ses quais aux ferries "
                    "après trois semaines de travaux, a annoncé la capitainerie ce lundi.\n\n"
                    "Source : https://www.ouest-france.fr/bretagne/brest/port-rouvre-123\n",
                    encoding="utf-8")
    page = tmp_path / "page.html"
    page.write_text("<html><head><title>Neige sur la ville</title><link rel='canonical' "
                    "href='https://edition.lesoir.be/neige/'></head><body><article><p>La neige est "
                    "tombée toute la nuit sur la ville et les écoles restent fermées ce matin.</p>"
                    "</article></body></html>", encoding="utf-8")
    assert run("add", str(copy), str(page)).exit_code == 0
    sites = {a["title"]: a["site"] for a in listing(run)}
    assert sites == {"Le port rouvre ses quais": "ouest-france.fr",
                     "Neige sur la ville": "edition.lesoir.be"}
    found = json.loads(run("search", "neige", "--site", "lesoir.be", "--json").stdout)
    assert [h["title"] for h in found["hits"]] == ["Neige sur la ville"]


STORY = ("Le gouvernement belge a approuvé vendredi un plan de relance de quatre milliards d'euros "
         "destiné à soutenir les entreprises touchées par la crise sanitaire, a annoncé le Premier "
         "ministre à l'issue du conseil des ministres. Le plan prévoit des prêts garantis par "
         "l'État, un report des cotisations sociales pour les indépendants et une enveloppe pour "
         "le secteur culturel, particulièrement frappé par la fermeture des salles depuis mars.")


def test_the_count_is_of_the_stories_shown_and_says_how_many_copies_were_folded(run, tmp_path):
    for number in range(3):  # one story, three copies
        (tmp_path / f"copy{number}.txt").write_text(
            f"Plan de relance\n\n{STORY}{' (Belga)' * number}\n", encoding="utf-8")
    (tmp_path / "other.txt").write_text("Un autre plan\n\nLe plan de mobilité de la ville prévoit "
                                        "des pistes cyclables et un tram d'ici trois ans.\n",
                                        encoding="utf-8")
    run("add", *(str(tmp_path / f"copy{n}.txt") for n in range(3)), str(tmp_path / "other.txt"))
    found = json.loads(run("search", "plan", "--json").stdout)
    assert (found["total"], found["folded"], len(found["hits"])) == (4, 2, 2)
    out = run("search", "plan").stdout
    assert out.startswith("2 results; 2 more copies of these stories folded in (--copies shows each)")
    assert "showing" not in out
    every = json.loads(run("search", "plan", "--copies", "--json").stdout)
    assert (every["total"], every["folded"], len(every["hits"])) == (4, 0, 4)


def test_the_hit_shown_for_a_story_is_its_most_complete_copy(run, tmp_path):
    bare = tmp_path / "bare.txt"
    bare.write_text(f"Plan de relance\n\n{STORY}\n", encoding="utf-8")
    full = tmp_path / "full.html"
    full.write_text("<html lang='fr'><head><title>Plan de relance - La Libre</title>"
                    "<meta property='og:site_name' content='La Libre'>"
                    "<meta property='article:published_time' content='2020-06-05T10:00:00+02:00'>"
                    "<link rel='canonical' href='https://www.lalibre.be/economie/plan-de-relance'>"
                    f"</head><body><article><h1>Plan de relance</h1><p>{STORY} (Belga)</p>"
                    "</article></body></html>", encoding="utf-8")
    assert run("add", str(bare)).exit_code == 0
    assert run("add", str(full)).exit_code == 0
    [hit] = json.loads(run("search", "relance", "--json").stdout)["hits"]
    assert (hit["site"], hit["url"]) == ("La Libre", "https://www.lalibre.be/economie/plan-de-relance")
    assert hit["published"].startswith("2020-06-05")
    assert [copy["site"] for copy in hit["also_in"]] == [None]
