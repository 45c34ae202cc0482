"""Crafted and damaged exports: every entry an import cannot take is one line, the other
entries are still imported, and no entry changes an article it does not prove (an id is
the start of the sha256 of the article's first original). Each command runs as an
`archive` process with a timeout, so an import that hangs fails its test."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import SCRIPT, SEED

BOUND = 120  # seconds any command here may take; each takes about one

PAGE = ('<html lang="fr"><head><meta charset="utf-8"><title>{title}</title>'
        '<link rel="canonical" href="{url}"></head><body><article><h1>{title}</h1><p>{text} Les '
        "habitants ont été invités à suivre les consignes des autorités locales.</p><p>Une réunion "
        "se tiendra mardi matin à l'hôtel de ville, a précisé le bourgmestre.</p></article></body></html>")


def page(title: str, text: str, url: str = "https://www.lesoir.be/1/crue") -> bytes:
    return PAGE.format(title=title, text=text, url=url).encode()


def record(original: bytes, **fields) -> dict:
    sha = hashlib.sha256(original).hexdigest()
    entry = {"id": sha[:12], "version": 1, "sha256": sha, "title": "Un titre", "body": ["Un texte."],
             "url": None, "origin": "crafted.html", "added_at": "2020-01-05T12:00:00+00:00",
             "updated_at": "2020-01-05T12:00:00+00:00",
             "original_base64": base64.b64encode(original).decode("ascii")}
    entry.update(fields)
    return entry


def jsonl(path: Path, *lines: dict | str) -> Path:
    text = [json.dumps({"format": "archive-export/1"})]
    text += [line if isinstance(line, str) else json.dumps(line) for line in lines]
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    return path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


def archive_in(home: Path):
    """Run the real `archive` script on `home`, bounded by BOUND seconds."""
    def invoke(*args: str) -> Result:
        done = subprocess.run([str(SCRIPT), "--home", str(home), *args], capture_output=True,
                              text=True, timeout=BOUND)
        assert "Traceback" not in done.stderr, done.stderr
        return Result(done.returncode, done.stdout, done.stderr)
    return invoke


@pytest.fixture
def run(home: Path):
    return archive_in(home)


def other_home(tmp_path: Path):
    return archive_in(tmp_path / "other")


def problems(result, export: Path) -> list[str]:
    """The lines about the export (a first import also says that it builds the index)."""
    return [line for line in result.stderr.splitlines() if line.startswith(f"archive: {export}")]


GOOD = page("Grève à la SNCB", "Les cheminots ont cessé le travail ce lundi.", "https://www.rtbf.be/greve")


@pytest.mark.parametrize(("entry", "reason"), [
    (record(page("A", "Version énorme."), version=10**30), "bad version number"),
    (record(page("B", "Version booléenne."), version=True), "bad version number"),
    ("[" * 100_000 + "]" * 100_000, "not JSON we read (nested too deeply)"),
    (record(page("D", "Texte illisible."), title="\ud800"), "not valid Unicode"),
    (record(page("E", "Id quelconque."), id="abcdef123456"), "nothing proves this is article abcdef123456"),
])
def test_a_bad_entry_is_one_line_and_the_rest_of_the_import_goes_on(run, tmp_path, entry, reason):
    export = jsonl(tmp_path / "crafted.jsonl", entry, record(GOOD, title="Grève à la SNCB"))
    result = run("import", str(export))
    assert result.exit_code == 1
    [line] = problems(result, export)  # line 1 is the format line
    assert line.startswith(f"archive: {export}: line 2: ") and reason in line, line
    assert "imported 1 version, 1 entries skipped" in result.stdout
    assert [a["title"] for a in json.loads(run("list", "--json").stdout)] == ["Grève à la SNCB"]


def existing_article(run, tmp_path) -> dict:
    saved = tmp_path / "crue.html"
    saved.write_bytes(page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche."))
    assert run("add", str(saved)).exit_code == 0
    [article] = json.loads(run("list", "--json").stdout)
    return json.loads(run("show", article["id"], "--json").stdout)


def test_a_crafted_higher_version_of_an_existing_article_does_not_replace_its_text(run, tmp_path):
    article = existing_article(run, tmp_path)
    forged = page("Crue de la Meuse à Namur", "Tout ceci est faux.")
    export = jsonl(tmp_path / "crafted.jsonl",
                   record(forged, id=article["id"], version=99, title="Faux titre", body=["Tout est faux."]),
                   record(GOOD, title="Grève à la SNCB"))
    result = run("import", str(export))
    assert result.exit_code == 1
    [line] = problems(result, export)
    assert f"line 2: nothing proves this is article {article['id']}" in line
    assert json.loads(run("show", article["id"], "--json").stdout) == article
    assert "imported 1 version" in result.stdout  # the other, valid article


def test_the_same_id_and_version_from_other_bytes_is_reported_not_dropped(run, tmp_path):
    first = page("Crue de la Meuse à Namur", "La Meuse a débordé.")
    export = jsonl(tmp_path / "twice.jsonl", record(first),
                   record(page("Autre", "Autre texte."), id=record(first)["id"]))
    result = run("import", str(export))
    assert result.exit_code == 1
    [line] = problems(result, export)
    assert f"line 3: version 1 of {record(first)['id']} is already kept from other bytes" in line
    assert "imported 1 version" in result.stdout


def test_an_existing_version_from_other_bytes_is_reported_and_the_archive_keeps_its_own(run, tmp_path):
    article = existing_article(run, tmp_path)
    export = jsonl(tmp_path / "clash.jsonl", record(page("Autre", "Autre texte."), id=article["id"]))
    result = run("import", str(export))
    assert result.exit_code == 1
    assert "already kept from other bytes" in problems(result, export)[0]
    assert json.loads(run("show", article["id"], "--json").stdout) == article


def test_an_entry_claiming_the_url_of_another_article_does_not_hide_it(run, tmp_path):
    article = existing_article(run, tmp_path)
    other = page("Une autre crue", "Un autre texte, la même adresse.")
    export = jsonl(tmp_path / "same-url.jsonl", record(other, url="https://www.lesoir.be/1/crue"))
    result = run("import", str(export))
    assert result.exit_code == 0, result.output
    ids = {a["id"] for a in json.loads(run("list", "--json").stdout)}
    assert ids == {article["id"], record(other)["id"]}


def test_control_characters_in_an_imported_title_never_reach_the_terminal(run, tmp_path):
    export = jsonl(tmp_path / "escape.jsonl", record(GOOD, title="Grève\x1b]0;owned\x07\x1b[2J à la SNCB",
                                                      origin="a\x1b[2Jb.html"))
    assert run("import", str(export)).exit_code == 0
    listed = run("list").stdout
    assert "\x1b" not in listed and "Grève]0;owned[2J à la SNCB" in listed
    [article] = json.loads(run("list", "--json").stdout)
    assert article["origin"] == "a\\x1b[2Jb.html"


def exported_tar(run, tmp_path) -> Path:
    """An export of six articles whose originals weigh more than their list (random words)."""
    import random

    letters = random.Random(6)
    for number in range(6):
        filler = " ".join("".join(letters.choices("abcdefghij", k=8)) for _ in range(3000))
        saved = tmp_path / f"page{number}.html"
        saved.write_bytes(page(f"Article {number} sur le budget", f"Le texte numéro {number}.",
                               f"https://www.lesoir.be/{number}/budget") + f"<!-- {filler} -->".encode())
        assert run("add", str(saved)).exit_code == 0
    exported = tmp_path / "export.tar.gz"
    assert run("export", str(exported)).exit_code == 0
    return exported


def test_a_tar_gz_cut_off_in_transit_imports_what_arrived_and_says_so_in_one_line(run, tmp_path):
    exported = exported_tar(run, tmp_path)
    data = exported.read_bytes()
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(data[: len(data) * 2 // 3])
    result = other_home(tmp_path)("import", str(cut))
    assert result.exit_code == 1
    [line] = problems(result, cut)
    assert line.startswith(f"archive: {cut}: the file is cut off or damaged") and "not imported" in line
    imported = int(result.stdout.split()[1])
    assert 1 <= imported < 6


def test_an_old_layout_tar_gz_cut_before_its_list_is_one_line(run, tmp_path):
    old = tmp_path / "old.tar.gz"
    with tarfile.open(old, "w:gz") as tar:
        for number in range(3):
            data = page(f"Article {number}", "Un texte.") + bytes(range(256)) * 40
            info = tarfile.TarInfo(f"originals/{hashlib.sha256(data).hexdigest()}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        listing = b'{"format": "archive-export/1"}\n'
        info = tarfile.TarInfo("articles.jsonl")
        info.size = len(listing)
        tar.addfile(info, io.BytesIO(listing))
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(old.read_bytes()[: old.stat().st_size // 2])
    result = run("import", str(cut))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: {cut}: the file is cut off or damaged") and "nothing to import" in line


def test_a_whole_export_still_imports_as_an_identical_archive(run, tmp_path):
    exported = exported_tar(run, tmp_path)
    result = other_home(tmp_path)("import", str(exported))
    assert result.exit_code == 0, result.output
    assert "imported 6 versions" in result.stdout
    with tarfile.open(exported) as tar:
        assert tar.getnames()[0] == "articles.jsonl"  # first: a cut export keeps its list


def test_importing_an_export_into_its_own_archive_reports_nothing(run, tmp_path):
    # The proofs must not take an archive's own versions for other bytes.
    assert run("add", str(SEED)).exit_code == 0
    exported = tmp_path / "export.jsonl"
    assert run("export", str(exported)).exit_code == 0
    again = run("import", str(exported))
    assert again.exit_code == 0 and "imported 0 versions" in again.stdout


def test_a_newer_export_brings_the_later_versions_of_an_article_the_copy_has(run, tmp_path):
    saved = tmp_path / "crue.html"
    saved.write_bytes(page("Crue de la Meuse à Namur", "La Meuse a débordé dans la nuit de dimanche."))
    assert run("add", str(saved)).exit_code == 0
    first = tmp_path / "first.jsonl"
    assert run("export", str(first)).exit_code == 0
    copy = other_home(tmp_path)
    assert copy("import", str(first)).exit_code == 0
    saved.write_bytes(page("Crue de la Meuse : la décrue commence", "L'eau baisse enfin à Namur."))
    assert run("add", str(saved)).exit_code == 0
    newer = tmp_path / "newer.jsonl"
    assert run("export", str(newer)).exit_code == 0
    result = copy("import", str(newer))
    assert result.exit_code == 0, result.output
    assert "imported 1 version, 1 already archived" in result.stdout
    [article] = json.loads(copy("list", "--json").stdout)
    assert article["title"] == "Crue de la Meuse : la décrue commence"


def test_a_later_version_whose_original_comes_before_its_first_still_imports(run, tmp_path):
    # Two articles share one original (the second's later version is the first's page):
    # the export names it first for the first article, before the second's own original.
    shared, own = page("Page commune", "Un texte commun."), page("Page propre", "Un texte propre.")
    second = record(own)
    lines = [record(shared, title="Commune"), {**second, "title": "Propre"},
             {**record(shared, title="Reprise"), "id": second["id"], "version": 2}]
    listing = "\n".join(json.dumps({k: v for k, v in line.items() if k != "original_base64"})
                        for line in [{"format": "archive-export/1"}, *lines]).encode() + b"\n"
    export = tmp_path / "shared.tar.gz"
    with tarfile.open(export, "w:gz") as tar:
        for name, data in [("articles.jsonl", listing),
                           (f"originals/{hashlib.sha256(shared).hexdigest()}", shared),
                           (f"originals/{hashlib.sha256(own).hexdigest()}", own)]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    result = run("import", str(export))
    assert result.exit_code == 0, result.output
    assert "imported 3 versions" in result.stdout
    titles = {a["id"]: a["title"] for a in json.loads(run("list", "--json").stdout)}
    assert titles == {record(shared)["id"]: "Commune", second["id"]: "Reprise"}


def test_a_crafted_entry_cannot_tag_or_annotate_an_article_it_does_not_prove(run, tmp_path):
    article = existing_article(run, tmp_path)
    forged = page("Crue de la Meuse à Namur", "Tout ceci est faux.")
    export = jsonl(tmp_path / "labels.jsonl",
                   record(forged, id=article["id"], version=2, tags=["Piège"], note="Faux."),
                   record(GOOD, title="Grève à la SNCB", tags=["Social"]))
    result = run("import", str(export))
    assert result.exit_code == 1
    lines = problems(result, export)
    assert len(lines) == 2, lines
    assert f"line 2: nothing proves this is article {article['id']}" in lines[0]
    assert f"the tags and note of article {article['id']} are skipped" in lines[1]
    assert json.loads(run("show", article["id"], "--json").stdout) == article  # no tags, no note
    assert "imported 1 version" in result.stdout
    assert run("search", "tag:social", "--json").exit_code == 0  # the proven one is tagged


def test_a_second_import_adds_the_tags_of_articles_the_archive_has(run, tmp_path):
    article = existing_article(run, tmp_path)
    exported = tmp_path / "export.jsonl"
    assert run("export", str(exported)).exit_code == 0
    lines = exported.read_text(encoding="utf-8").splitlines()
    tagged = [lines[0], json.dumps({**json.loads(lines[1]), "tags": ["Inondations"]})]
    exported.write_text("\n".join(tagged) + "\n", encoding="utf-8")
    result = run("import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert json.loads(run("show", article["id"], "--json").stdout)["tags"] == ["Inondations"]
