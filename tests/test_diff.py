"""Versions and diffs through the real CLI: a local site edits an article between two
fetches, `add --refresh` says in one line whether the text changed, `diff` shows what
did by paragraph and by word, and `list --changed` finds the articles that changed."""

from __future__ import annotations

import json

import pytest

from archive.article import Article
from archive.diff import compare
from tests.newsroom import Newsroom

TITLE = "Le ministre de l'Intérieur défend sa gestion de la crise"
FIRST = [
    "Le ministre a défendu mardi devant les députés la gestion de la crise par ses services, "
    "qu'il juge « exemplaire » malgré les critiques de l'opposition.",
    "Selon lui, les forces de l'ordre ont été déployées dans les délais prévus et aucun "
    "incident grave n'a été signalé pendant la nuit de samedi à dimanche.",
    "L'opposition réclame une commission d'enquête et l'audition des préfets concernés, "
    "estimant que plusieurs alertes n'ont pas été transmises à temps.",
]
# The same article edited: a word in the first paragraph, the second paragraph removed,
# a paragraph added at the end, the title reworded.
SECOND = [
    FIRST[0].replace("mardi", "mercredi"),
    FIRST[2],
    "Le Premier ministre a apporté son soutien au ministre dans la soirée, sans répondre "
    "à la demande de commission d'enquête formulée par l'opposition.",
]


@pytest.fixture
def room():
    newsroom = Newsroom()
    yield newsroom
    newsroom.close()


def cli_json(run, *args: str, code: int = 0):
    result = run(*args, "--json")
    assert result.exit_code == code, result.output
    return json.loads(result.stdout)


@pytest.fixture
def edited(run, room) -> tuple[str, str]:
    """An article fetched, edited by its site, then fetched again with --refresh."""
    url = room.publish("/politique/crise", TITLE, FIRST)
    assert run("add", url).exit_code == 0
    room.publish("/politique/crise", TITLE.replace("défend", "justifie"), SECOND)
    refreshed = run("add", "--refresh", url)
    assert refreshed.exit_code == 0, refreshed.output
    return url, refreshed.stdout


def test_refresh_says_in_one_line_whether_the_text_changed(run, room, edited):
    url, output = edited
    article_id = cli_json(run, "list")[0]["id"]
    assert output.splitlines()[0] == (
        f"version  {article_id}  {TITLE.replace('défend', 'justifie')} (version 2)  "
        "(text changed: the title, 1 paragraph changed, 1 added, 1 removed)")
    same = run("add", "--refresh", url)
    assert same.stdout.splitlines()[0].endswith("(the same page)")
    room.pages["/politique/crise"] = room.pages["/politique/crise"].replace(
        b"Mentions l\xc3\xa9gales", b"Contact")  # the page changes, not the article
    around = cli_json(run, "add", "--refresh", url)["inputs"][0]
    assert (around["status"], around["text_change"]) == ("updated", "the same text")
    assert "already" in run("add", url).stdout  # without --refresh nothing is fetched


def test_diff_json_gives_each_changed_paragraph_with_both_originals(run, edited):
    article_id = cli_json(run, "list")[0]["id"]
    versions = cli_json(run, "show", article_id, "--versions")["versions"]
    diff = cli_json(run, "diff", article_id)
    assert set(diff) == {"id", "from", "to", "changes"}
    assert diff["id"] == article_id
    for side, version in ((diff["from"], versions[0]), (diff["to"], versions[1])):
        assert side == {"version": version["number"], "added_at": version["added_at"],
                        "sha256": version["sha256"]}
    assert diff["changes"] == [
        {"op": "replace", "paragraph": 0, "old": TITLE, "new": TITLE.replace("défend", "justifie")},
        {"op": "replace", "paragraph": 1, "old": FIRST[0], "new": SECOND[0]},
        {"op": "delete", "paragraph": 2, "old": FIRST[1], "new": None},
        {"op": "insert", "paragraph": 3, "old": None, "new": SECOND[2]},
    ]
    assert cli_json(run, "diff", article_id, "1", "2") == diff
    assert cli_json(run, "diff", article_id, "1") == diff
    backwards = cli_json(run, "diff", article_id, "2", "1")
    assert [c["op"] for c in backwards["changes"]] == ["replace", "replace", "insert", "delete"]
    assert cli_json(run, "diff", article_id, "2", "2")["changes"] == []


def test_diff_marks_removed_and_added_words_in_a_pipe_and_colours_them_on_a_terminal(run, edited):
    article_id = cli_json(run, "list")[0]["id"]
    piped = run("diff", article_id).stdout
    assert "text changed: the title, 1 paragraph changed, 1 added, 1 removed" in piped
    assert "title changed:\n  Le ministre de l'Intérieur [-défend-]{+justifie+} sa gestion" in piped
    assert "paragraph 1 changed:\n  Le ministre a défendu [-mardi-]{+mercredi+} devant" in piped
    assert "paragraph 2 removed (of version 1):\n- Selon lui" in piped
    assert "paragraph 3 added:\n+ Le Premier ministre" in piped
    coloured = run("--color", "always", "diff", article_id).stdout
    assert "\x1b[31m\x1b[9mmardi\x1b[0m" in coloured  # red, struck through
    assert "\x1b[32mmercredi\x1b[0m" in coloured  # green
    assert "[-" not in coloured


def test_diff_names_the_versions_an_article_has_when_asked_for_another(run, room, edited):
    article_id = cli_json(run, "list")[0]["id"]
    missing = run("diff", article_id, "1", "7")
    assert missing.exit_code == 1
    assert missing.stderr.strip() == (f"Error: article {article_id} has no version 7 (it has 1–2: "
                                      f"see `archive show {article_id} --versions`)")
    single = room.publish("/une", TITLE, FIRST[:1] + FIRST[2:])
    assert run("add", single).exit_code == 0
    once = run("diff", single)
    assert once.exit_code == 1 and "has only one version: nothing to compare" in once.stderr
    assert run("diff", "nothex").exit_code == 2


def test_list_changed_lists_only_articles_whose_text_changed(run, room, edited):
    edited_id = cli_json(run, "list")[0]["id"]
    steady = room.publish("/steady", "Un article que personne ne modifie", FIRST)
    assert run("add", steady).exit_code == 0
    room.pages["/steady"] = room.pages["/steady"].replace(b"Accueil", b"Accueil du site")
    assert cli_json(run, "add", "--refresh", steady)["updated"] == 1  # a new original, same text
    assert [a["id"] for a in cli_json(run, "list", "--changed")] == [edited_id]
    assert run("tag", edited_id, "corrections").exit_code == 0
    assert [a["id"] for a in cli_json(run, "list", "--changed", "--tag", "corrections")] == [edited_id]
    assert cli_json(run, "list", "--changed", "--tag", "autre") == []
    assert run("list", "--changed", "--duplicates").exit_code == 2


def test_a_paragraph_rewritten_beyond_recognition_is_a_removal_and_an_addition():
    old = Article(title="T", body=["Un premier paragraphe sur la réforme des retraites.",
                                   "Le texte sera voté la semaine prochaine à l'Assemblée."])
    new = Article(title="T", body=["Un premier paragraphe sur la réforme des retraites.",
                                   "Les syndicats appellent à manifester jeudi dans toute la France."])
    assert [(c.op, c.paragraph) for c in compare(old, new).changes] == [("delete", 2), ("insert", 2)]
    moved = Article(title="T", body=list(reversed(old.body)))
    assert compare(old, moved).summary() != "the same text"
    assert compare(old, old).changes == []
