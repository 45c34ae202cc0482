"""`export` and `import` through the real CLI: the list first in a .tar.gz, one pass over
any export (a pipe will do, old exports too), stdout with `-`, usage errors for unknown
formats, subsets, removed articles, progress bars, and a quick second import."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tarfile
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.store import Store
from cli.main import cli
from tests.conftest import FIXTURES, SEED
from tests.terminal import SCRIPT, in_terminal


def other(tmp_path: Path, name: str = "other"):
    home = tmp_path / name

    def invoke(*args: str, input=None):
        return CliRunner().invoke(cli, ["--home", str(home), *args], input=input)

    return invoke


def ids(run) -> set[str]:
    return {a["id"] for a in json.loads(run("list", "--json").stdout)}


@pytest.fixture
def archived(run, seeded):
    assert run("add", str(FIXTURES / "articles")).exit_code == 0
    return run


def test_export_dash_writes_json_lines_to_stdout_not_a_file(archived, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = archived("export", "-")
    assert result.exit_code == 0
    lines = result.stdout_bytes.decode().splitlines()
    assert json.loads(lines[0]) == {"format": "archive-export/1"}
    assert len(lines) == 1 + len(ids(archived))
    assert not (tmp_path / "-").exists()
    back = other(tmp_path)
    assert back("import", "-", input=result.stdout_bytes).exit_code == 0
    assert ids(back) == ids(archived)


@pytest.mark.parametrize("name", ["backup.zip", "backup.json", "backup"])
def test_an_unknown_export_extension_is_a_usage_error(archived, tmp_path, name):
    result = archived("export", str(tmp_path / name))
    assert result.exit_code == 2
    assert "name it .jsonl or .tar.gz" in result.stderr
    assert not (tmp_path / name).exists()
    assert archived("export", str(tmp_path / name), "--format", "jsonl").exit_code == 0


def test_importing_a_page_is_one_line(run, tmp_path):
    page = FIXTURES / "articles" / "otan_lemonde.html"
    result = run("import", str(page))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"Error: {page} is not an `archive export` file (it does not start with the export's "
        "format line)"]


def test_a_tar_export_holds_its_list_first_then_each_original_in_order(archived, tmp_path):
    exported = tmp_path / "all.tar.gz"
    assert archived("export", str(exported)).exit_code == 0
    with tarfile.open(exported, "r|gz") as tar:
        names = [member.name for member in tar]
    assert names[0] == "articles.jsonl"
    assert len(names) == 1 + len(ids(archived))
    assert all(name.startswith("originals/") for name in names[1:])


def old_export(store_home: Path, path: Path) -> None:
    """A .tar.gz as exports were written before the list came first: originals, then the list."""
    with Store.open(store_home) as store:
        lines = [json.dumps({"format": "archive-export/1"})]
        originals = {}
        for article in store.iter_articles():
            for version in store.version_articles(article.id):
                lines.append(json.dumps({name: getattr(version, name) for name in (
                    "id", "version", "sha256", "title", "body", "author", "published", "site",
                    "url", "lang", "origin", "added_at", "updated_at")}, ensure_ascii=False))
                originals[version.sha256] = store.original_bytes(version.sha256)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in [*((f"originals/{sha}", data) for sha, data in originals.items()),
                           ("articles.jsonl", ("\n".join(lines) + "\n").encode())]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.mark.parametrize("kind", ["new.tar.gz", "old.tar.gz", "all.jsonl"])
def test_any_export_imports_in_one_pass_from_a_pipe_that_cannot_seek(archived, home, tmp_path, kind):
    exported = tmp_path / kind
    if kind.startswith("old"):
        old_export(home, exported)
    else:
        assert archived("export", str(exported)).exit_code == 0
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(exported.read_bytes()), daemon=True)
    writer.start()
    result = subprocess.run([str(SCRIPT), "--home", str(tmp_path / "other"), "import", str(fifo)],
                            capture_output=True, text=True, timeout=120)
    writer.join(timeout=30)
    assert result.returncode == 0, result.stderr
    assert ids(other(tmp_path)) == ids(archived)
    assert f"imported {len(ids(archived))} versions" in result.stdout


def test_a_second_import_of_the_same_file_passes_over_what_it_has(archived, tmp_path):
    exported = tmp_path / "all.jsonl"
    archived("export", str(exported))
    back = other(tmp_path)
    assert back("import", str(exported)).exit_code == 0
    # The same versions with their originals spoiled: had they been decoded, each would be
    # refused; passed over unread, the second import changes nothing and finds no problem.
    lines = exported.read_text(encoding="utf-8").splitlines()
    spoiled = [lines[0]] + [json.dumps({**json.loads(line), "original_base64": "!!"})
                            for line in lines[1:]]
    exported.write_text("\n".join(spoiled) + "\n", encoding="utf-8")
    again = back("import", str(exported), "--json")
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["imported"] == 0 and report["problems"] == []
    assert report["already_archived"] == len(ids(archived))


def exported_ids(run, tmp_path, *options: str) -> set[str]:
    path = tmp_path / "subset.jsonl"
    result = run("export", str(path), *options)
    assert result.exit_code == 0, result.output
    return {json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()[1:]}


def test_export_of_a_subset_by_query_site_and_dates(archived, tmp_path):
    found = {h["id"] for h in json.loads(archived("search", "Irak", "--json", "-n", "50").stdout)["hits"]}
    assert exported_ids(archived, tmp_path, "--query", "Irak") == found
    le_monde = exported_ids(archived, tmp_path, "--site", "lemonde.fr")
    assert le_monde == exported_ids(archived, tmp_path, "--site", "Le Monde") and len(le_monde) == 1
    january = exported_ids(archived, tmp_path, "--since", "2020-01", "--until", "2020-01")
    titles = {a["id"]: a["published"] for a in json.loads(archived("list", "--json").stdout)}
    assert january and all(titles[i].startswith("2020-01") for i in january)
    assert exported_ids(archived, tmp_path, "--query", "Irak", "--since", "2020") < found


def test_export_removed_includes_removed_articles_and_import_keeps_them_removed(archived, tmp_path,
                                                                               seeded):
    assert archived("remove", seeded).exit_code == 0
    assert seeded not in exported_ids(archived, tmp_path)
    assert seeded in exported_ids(archived, tmp_path, "--removed")
    back = other(tmp_path)
    assert back("import", str(tmp_path / "subset.jsonl")).exit_code == 0
    assert seeded not in ids(back)
    with Store.open(tmp_path / "other") as store:
        assert [v.number for v in store.versions(seeded)] == [1]
    assert back("add", str(SEED)).exit_code == 0  # re-adding brings it back, as at home
    assert seeded in ids(back)


def test_export_and_import_json_and_progress_bars_on_a_terminal(run, home, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for number in range(30):  # 30 pages of 60 distinct paragraphs: over 1 MB exported
        paragraphs = [f"Le conseil communal {number} a voté le budget {k} après un long débat sur "
                      f"les écoles, la voirie et le port, séance {k * 7 + number}. " * 6
                      for k in range(60)]
        (folder / f"p{number}.txt").write_text(f"Conseil communal {number}\n\n"
                                               + "\n\n".join(paragraphs), encoding="utf-8")
    assert run("add", str(folder)).exit_code == 0
    exported = tmp_path / "all.jsonl"
    screen = in_terminal("export", str(exported), "--json", home=home, stdout_piped=True)
    assert screen.returncode == 0 and "Exporting" in screen.text
    assert json.loads(screen.piped) == {"file": str(exported), "format": "jsonl", "articles": 30,
                                        "versions": 30}
    assert exported.stat().st_size > 1024 * 1024
    imported = in_terminal("import", str(exported), home=tmp_path / "other", stdout_piped=True)
    assert imported.returncode == 0 and "Importing" in imported.text
    assert imported.piped.strip() == "imported 30 versions"

