"""Every kind of bad input gets one clear line naming it, exit 1, and the rest goes on.

Each test adds the bad input together with the seed page: the seed must still be
archived and found, and no traceback may reach the user.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import SEED, run_without_override

SCRIPT = Path(sys.executable).parent / "archive"


def add_with_seed(run, *inputs: str, extra: tuple[str, ...] = ()):
    result = run("add", *inputs, str(SEED), *extra)
    assert "Traceback" not in result.output
    return result


def assert_one_failure_named(result, name: str, reason: str) -> None:
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1, errors
    assert name in errors[0] and reason in errors[0], errors[0]
    assert "1 added" in result.stdout


def assert_seed_found(run) -> None:
    assert json.loads(run("search", "Soleimani", "--json").stdout)["total"] == 1


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", "Un texte.")
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("photo.png", b"\x89PNG\r\n\x1a\n" + os.urandom(2000), "PNG image"),
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + os.urandom(2000), "PDF document"),
    ("pages.zip", zip_bytes(), "zip archive"),
    ("noise.html", os.urandom(5000).replace(b"\x00", b"") + b"\x00" * 200, "binary file"),
    ("empty.txt", b"", "empty file"),
    ("spaces.txt", b" \n\t\r\n\xc2\xa0\n", "no article text"),
    ("nav-only.html", b"<html><body><nav><a href='/'>Accueil</a></nav><footer>(c)</footer></body></html>",
     "no article text"),
    ("script-only.html", b"<html><head><script>var a = 1;</script></head><body></body></html>",
     "no article text"),
])
def test_unreadable_pages_are_named_and_the_rest_goes_on(run, tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    assert_one_failure_named(add_with_seed(run, str(bad)), str(bad), reason)
    assert_seed_found(run)


def test_a_file_over_the_size_cap_is_refused_without_reading_it(run, tmp_path):
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"mot " * 600_000 + b"</p>")  # 2.4 MB
    result = add_with_seed(run, str(big), extra=("--max-size", "1"))
    assert_one_failure_named(result, str(big), "too large")


def test_truncated_html_keeps_what_arrived(run, tmp_path):
    page = tmp_path / "cut.html"
    page.write_text("<html><head><title>Coupure de courant à Namur</title></head><body><article>"
                    "<h1>Coupure de courant à Namur</h1><p>Plus de dix mille foyers ont été privés "
                    "d'électricité dimanche soir après un incident sur le réseau haute tension.</p>"
                    "<p>Le gestionnaire du réseau promet un retour à la normale dans la nu", encoding="utf-8")
    result = run("add", str(page))
    assert result.exit_code == 0, result.output
    found = json.loads(run("search", "électricité", "--json").stdout)
    assert found["hits"][0]["title"] == "Coupure de courant à Namur"


def test_mixed_and_invalid_encodings_are_read_not_crashed(run, tmp_path):
    page = tmp_path / "mixed.txt"
    page.write_bytes("Élections communales à Liège\n\n".encode() + b"Le scrutin s'est d\xe9roul\xe9 "
                     b"dans le calme, selon les observateurs pr\xe9sents dans les bureaux de vote "
                     b"\x81\x8d de la ville.\n")
    result = run("add", str(page))
    assert result.exit_code == 0, result.output
    assert json.loads(run("search", "scrutin", "--json").stdout)["total"] == 1


def test_nul_bytes_inside_a_text_page_are_dropped(run, tmp_path):
    page = tmp_path / "nul.txt"
    page.write_bytes(SEED.read_bytes().replace(b"Soleimani, T", b"Soleimani\x00, T"))
    assert run("add", str(page)).exit_code == 0
    article = json.loads(run("list", "--json").stdout)[0]
    body = json.loads(run("show", article["id"], "--json").stdout)["body"]
    assert all("\x00" not in paragraph for paragraph in body)


def test_a_single_10_mb_line_is_archived_with_a_short_title(run, tmp_path):
    page = tmp_path / "oneline.txt"
    page.write_bytes(b"Le conseil communal a vote le budget " * 280_000)
    assert page.stat().st_size > 10_000_000
    result = run("add", str(page))
    assert result.exit_code == 0, result.output
    [article] = json.loads(run("list", "--json").stdout)
    assert article["title"].startswith("Le conseil communal") and len(article["title"]) < 110


def test_html_nested_20000_levels_deep_does_not_crash(run, tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 20_000 + "<p>Un texte très profondément imbriqué "
                    "dans la page, qui raconte la séance du conseil communal de lundi soir.</p>"
                    + "</div>" * 20_000 + "</body></html>", encoding="utf-8")
    result = add_with_seed(run, str(page))
    assert result.exit_code in (0, 1)
    if result.exit_code == 1:
        assert_one_failure_named(result, str(page), "")
    assert_seed_found(run)


def test_symlink_loops_in_a_folder_are_not_followed_forever(run, tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "sub" / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "self").symlink_to(folder / "self")  # a link to itself: unreadable
    result = run("add", str(folder))
    assert result.exit_code == 0, result.output
    assert "1 added" in result.stdout


def test_a_fifo_is_refused_instead_of_blocking(run, tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert_one_failure_named(add_with_seed(run, str(fifo)), str(fifo), "not a regular file")


def test_a_fifo_inside_a_folder_is_refused_too(run, tmp_path):
    folder = tmp_path / "pages"
    folder.mkdir()
    os.mkfifo(folder / "pipe.html")
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    result = run("add", str(folder))
    assert result.exit_code == 1
    assert "pipe.html: not a regular file" in result.stderr


@pytest.mark.parametrize("name", [b"avec des espaces.txt", b"ligne\nsuivante.txt", b"caf\xe9-latin1.txt"])
def test_odd_file_names_are_archived_and_printed_on_one_line(run, tmp_path, name):
    path = Path(os.fsdecode(bytes(tmp_path) + b"/" + name))
    path.write_bytes(SEED.read_bytes())
    result = run("add", str(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    [record] = json.loads(result.stdout)["inputs"]
    assert "\n" not in record["origin"]
    assert record["status"] == "added"
    listed = json.loads(run("list", "--json").stdout)
    assert listed[0]["origin"] == record["origin"]


def test_a_damaged_archive_db_is_explained_and_check_says_so(run, home):
    home.mkdir()
    (home / "archive.db").write_bytes(b"garbage, not a database " * 200)
    for command in (["search", "x"], ["add", str(SEED)], ["check"], ["list"]):
        result = run(*command)
        assert result.exit_code == 1
        assert "archive.db is damaged" in result.stderr and "backup" in result.stderr
        assert "Traceback" not in result.output


def test_permission_denied_is_named_and_the_rest_goes_on(tmp_path):
    secret = tmp_path / "secret.html"
    secret.write_bytes(SEED.read_bytes())
    secret.chmod(0o000)
    readable = tmp_path / "seed.txt"
    readable.write_bytes(SEED.read_bytes().replace(b"PhotoNews", b"Belga"))
    result = run_without_override(tmp_path / "home", "add", str(secret), str(readable))
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == f"archive: {secret}: permission denied"
    assert "1 added" in result.stdout


def test_a_read_only_home_is_one_clear_line(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o555)
    result = run_without_override(home, "add", str(SEED))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(home) in lines[0], lines
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small filesystem needs root")
def test_a_full_disk_during_add_keeps_what_was_committed(tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        pages = tmp_path / "pages"
        pages.mkdir()
        for number in range(300):
            (pages / f"p{number:03d}.txt").write_text(
                f"Article {number} sur le budget communal\n\n" + f"Paragraphe {number} du texte, " * 200,
                encoding="utf-8")
        env = {**os.environ, "ARCHIVE_HOME": str(mount / "home"), "ARCHIVE_BATCH_SIZE": "5"}
        result = subprocess.run([str(SCRIPT), "add", str(pages)], capture_output=True, text=True,
                                env=env, timeout=300)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert "full" in result.stderr.lower()
        reported = result.stdout.count("\nadded") + result.stdout.startswith("added")
        assert reported > 0
        listed = subprocess.run([str(SCRIPT), "list", "--json"], capture_output=True, text=True, env=env)
        assert listed.returncode == 0, listed.stderr
        assert len(json.loads(listed.stdout)) >= reported  # everything reported was committed
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_10000_character_query_is_one_clear_line(run, seeded):
    result = run("search", "Soleimani " * 1000)
    assert result.exit_code == 2
    assert "too long" in result.stderr and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()[-1]) < 200
