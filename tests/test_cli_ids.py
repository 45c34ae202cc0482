"""Ids, `show` and `remove` through the real CLI: an id is hex digits or an error, an
ambiguous prefix lists its articles (as git does), `show` finds an article by id, URL or
file and prints old versions and originals, `remove` names what it removes and asks."""

from __future__ import annotations

import json
import shutil

import pytest

from archive.store import Store
from tests.conftest import FIXTURES, SEED
from tests.terminal import in_terminal

PAGE = """<html lang="fr"><head><title>{title} - Le Soir</title>
<link rel="canonical" href="{url}"></head><body><article><h1>{title}</h1>
<p>{text} Les négociations reprendront lundi à Bruxelles, selon la présidence du Conseil.</p>
<p>Les syndicats ont prévenu qu'ils maintiendraient la pression jusqu'au vote du texte.</p>
</article></body></html>"""


def listing(run) -> list[dict]:
    return json.loads(run("list", "--json").stdout)


def test_an_id_with_a_character_that_is_not_hex_is_an_error_and_removes_nothing(run, seeded):
    removed = run("remove", seeded + "x")
    assert removed.exit_code == 2
    assert f"'{seeded}x' is not an article id" in removed.stderr
    assert [a["id"] for a in listing(run)] == [seeded]
    shown = run("show", "acda-0c.zzz")
    assert shown.exit_code == 2 and "is not an article id" in shown.stderr
    assert "Traceback" not in shown.output


def test_an_ambiguous_prefix_lists_the_articles_it_names(run, home, seeded):
    run("add", str(FIXTURES / "articles"))
    with Store.open(home) as store:
        ids = sorted(a.id for a in store.iter_articles())
    prefix, sharing = next((p, [i for i in ids if i.startswith(p)]) for p in "0123456789abcdef"
                           if sum(i.startswith(p) for i in ids) >= 2)
    result = run("show", prefix)
    assert result.exit_code == 2
    assert f"ambiguous id '{prefix}': {len(sharing)} articles start with {prefix}" in result.stderr
    for article_id in sharing:
        assert article_id in result.stderr
    assert run("remove", prefix).exit_code == 2
    assert len(listing(run)) == len(ids)


def test_show_versions_labels_the_sha256_so_it_is_not_taken_for_an_id(run, seeded):
    out = run("show", seeded, "--versions").stdout
    assert f"versions of {seeded}" in out
    sha = json.loads(run("show", seeded, "--json").stdout)["sha256"]
    assert f"sha256:{sha[:16]}" in out


def two_versions(run, tmp_path) -> str:
    for name, text in (("v1.html", "Premier état du texte."), ("v2.html", "Second état du texte.")):
        (tmp_path / name).write_text(PAGE.format(title="Accord sur le budget", text=text,
                                                 url="https://www.lesoir.be/1/budget"),
                                     encoding="utf-8")
        assert run("add", str(tmp_path / name)).exit_code == 0
    return listing(run)[0]["id"]


def test_show_version_n_prints_an_older_version_and_original_its_bytes(run, tmp_path):
    article_id = two_versions(run, tmp_path)
    old = run("show", article_id, "--version", "1")
    assert old.exit_code == 0 and "Premier état du texte." in old.stdout
    assert "Second état" not in old.stdout
    assert json.loads(run("show", article_id, "--version", "1", "--json").stdout)["body"][0].startswith(
        "Premier état")
    assert run("show", article_id, "--original").stdout_bytes == (tmp_path / "v2.html").read_bytes()
    first = run("show", article_id, "--version", "1", "--original")
    assert first.stdout_bytes == (tmp_path / "v1.html").read_bytes()
    missing = run("show", article_id, "--version", "7")
    assert missing.exit_code == 1 and "has no version 7" in missing.stderr


def test_show_finds_an_article_by_its_url_in_any_form(run, tmp_path):
    article_id = two_versions(run, tmp_path)
    for url in ("https://www.lesoir.be/1/budget", "http://lesoir.be/1/budget/?utm_source=x"):
        result = run("show", url, "--json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["id"] == article_id
    unknown = run("show", "https://www.lesoir.be/2/autre")
    assert unknown.exit_code == 1 and "no article archived from" in unknown.stderr


def test_show_finds_an_article_by_the_file_it_came_from_even_moved(run, tmp_path, seeded):
    assert json.loads(run("show", str(SEED), "--json").stdout)["id"] == seeded
    moved = tmp_path / "renamed.txt"
    shutil.copy(SEED, moved)  # the same bytes under another name: "do I have this?"
    assert json.loads(run("show", str(moved), "--json").stdout)["id"] == seeded
    other = tmp_path / "other.txt"
    other.write_text("Un autre texte.", encoding="utf-8")
    result = run("show", str(other))
    assert result.exit_code == 1 and "no article from the file" in result.stderr


def test_remove_prints_each_title_and_dry_run_removes_nothing(run, seeded):
    title = listing(run)[0]["title"]
    dry = run("remove", seeded, "--dry-run")
    assert dry.exit_code == 0
    assert dry.stdout.strip() == f"would remove  {seeded}  {title}"
    assert len(listing(run)) == 1
    done = run("remove", seeded)
    assert done.stdout.strip() == f"removed  {seeded}  {title}"
    assert listing(run) == []


@pytest.mark.parametrize("reply, kept", [("n", 1), ("y", 0)])
def test_remove_asks_for_confirmation_on_a_terminal(run, home, seeded, reply, kept):
    screen = in_terminal("remove", seeded, home=home, answer=("Remove 1 article?", reply))
    assert f"{seeded}  Mort de Soleimani" in screen.text
    assert "Remove 1 article? [y/N]" in screen.text
    assert screen.returncode == (1 if reply == "n" else 0)
    assert len(listing(run)) == kept


def test_remove_yes_does_not_ask_on_a_terminal(run, home, seeded):
    screen = in_terminal("remove", seeded, "--yes", home=home)
    assert screen.returncode == 0 and "[y/N]" not in screen.text
    assert listing(run) == []
