"""The terminal, as git, gh and ripgrep treat it: wrapping to its width, a pager for long
output, --color and NO_COLOR and TERM=dumb, silence on a closed pipe, -q and -v, the
progress bar on stderr, help that fits 70 columns, shell completion. Real pseudo-terminals
(tests/terminal.py) where a terminal matters, the installed script otherwise."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import FIXTURES, SEED, SEEDS
from tests.terminal import SCRIPT, in_terminal

ESCAPE = "\x1b["


@pytest.fixture
def seeded_home(run, home, seeded) -> Path:
    return home


def visible(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)


def test_snippets_and_paragraphs_wrap_to_the_terminal_width_at_word_boundaries(seeded_home, seeded):
    body = SEED.read_text(encoding="utf-8")
    for args in (["search", "Soleimani"], ["show", seeded]):
        screen = in_terminal(*args, "--no-pager", home=seeded_home, columns=60, rows=200)
        assert screen.returncode == 0, screen.text
        lines = visible(screen.text).splitlines()
        assert max(len(line) for line in lines) <= 60, lines
        words = set(re.findall(r"\w+", body))
        for line in lines[2:]:  # a cut inside a word would leave a piece of it at a line end
            if line.strip() and len(line) > 50 and "/" not in line:
                last = re.findall(r"\w+", line)[-1]
                assert last in words or last.isdigit(), (last, line)


def test_show_pages_a_long_article_through_archive_pager_on_a_terminal(seeded_home, seeded, tmp_path):
    paged = tmp_path / "paged.txt"
    pager = {"ARCHIVE_PAGER": f"cat > {paged}", "PAGER": "false"}
    screen = in_terminal("show", seeded, home=seeded_home, env=pager, rows=10)
    assert screen.returncode == 0
    assert "5.000 soldats visés" in paged.read_text() and "5.000 soldats" not in screen.text
    paged.unlink()
    for args in (["--no-pager", "show", seeded], ["show", seeded, "--no-pager"]):
        screen = in_terminal(*args, home=seeded_home, env=pager, rows=10)
        assert not paged.exists() and "5.000 soldats visés" in screen.text


def test_pager_honours_pager_and_is_skipped_when_the_text_fits_or_stdout_is_piped(
        seeded_home, seeded, tmp_path):
    paged = tmp_path / "paged.txt"
    in_terminal("list", home=seeded_home, env={"PAGER": f"cat > {paged}"}, rows=10)
    assert not paged.exists()  # one line fits
    in_terminal("show", seeded, home=seeded_home, env={"PAGER": f"cat > {paged}"}, rows=10)
    assert "5.000 soldats visés" in paged.read_text()
    paged.unlink()
    screen = in_terminal("show", seeded, home=seeded_home, env={"PAGER": f"cat > {paged}"},
                         rows=10, stdout_piped=True)
    assert not paged.exists() and "5.000 soldats visés" in screen.piped


def test_colour_on_a_terminal_bold_only_under_no_color_and_marks_under_term_dumb(seeded_home):
    coloured = in_terminal("search", "Soleimani", home=seeded_home, rows=200).text
    assert "\x1b[33m" in coloured and "**Soleimani**" not in coloured
    no_color = in_terminal("search", "Soleimani", home=seeded_home, rows=200,
                           env={"NO_COLOR": "1"}).text
    assert "\x1b[33m" not in no_color and "**" not in no_color and "\x1b[1m" in no_color
    dumb = in_terminal("search", "Soleimani", home=seeded_home, rows=200, env={"TERM": "dumb"}).text
    assert ESCAPE not in dumb and "**Soleimani**" in dumb
    never = in_terminal("--color", "never", "search", "Soleimani", home=seeded_home, rows=200).text
    assert ESCAPE not in never and "**Soleimani**" in never


def test_color_always_styles_a_pipe_which_otherwise_gets_marks(run, seeded):
    assert "\x1b[33m" in run("--color", "always", "search", "Soleimani").stdout
    plain = run("search", "Soleimani")
    assert "**Soleimani**" in plain.stdout and ESCAPE not in plain.stdout


def test_no_color_in_a_pipe_prints_neither_escapes_nor_marks(home, seeded):
    result = CliRunner().invoke(cli, ["--home", str(home), "search", "Soleimani"],
                                env={"NO_COLOR": "1"})
    assert "Soleimani" in result.stdout
    assert "**" not in result.stdout and ESCAPE not in result.stdout


def test_a_closed_pipe_ends_the_command_silently_with_exit_0(home, tmp_path):
    long_page = tmp_path / "long.txt"
    paragraph = "Le conseil municipal a débattu du budget de la commune pendant des heures. "
    long_page.write_text("Un très long compte rendu\n\n" + (paragraph * 20 + "\n\n") * 300,
                         encoding="utf-8")
    env = {**os.environ, "ARCHIVE_HOME": str(home)}
    assert subprocess.run([str(SCRIPT), "add", str(long_page)], env=env, capture_output=True,
                          timeout=120).returncode == 0
    for args in (["show", "--no-pager"], ["export", "-"]):
        if args[0] == "show":
            listed = subprocess.run([str(SCRIPT), "list", "--nl"], env=env, capture_output=True,
                                    text=True, timeout=60).stdout
            args = [*args, listed.split('"id": "')[1][:12]]
        process = subprocess.Popen([str(SCRIPT), *args], env=env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        process.stdout.read(100)
        process.stdout.close()  # `| head -c 100`
        stderr = process.stderr.read().decode()
        assert process.wait(timeout=60) == 0, stderr
        assert "Broken pipe" not in stderr and "Error" not in stderr and "Exception" not in stderr


def fixtures_folder(tmp_path: Path, copies: int = 30) -> Path:
    """A folder of distinct text copies: enough inputs for a progress bar."""
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(copies):
        (folder / f"page{number:02}.txt").write_text(
            f"Conseil communal numéro {number}\n\nLe conseil communal numéro {number} a voté le "
            f"budget de l'année, après un long débat sur les écoles et la voirie ({number}).",
            encoding="utf-8")
    return folder


def test_the_progress_bar_shows_on_a_terminal_stderr_even_when_stdout_is_piped(home, tmp_path):
    screen = in_terminal("add", str(fixtures_folder(tmp_path)), home=home, stdout_piped=True)
    assert screen.returncode == 0
    assert "Archiving" in screen.text  # the bar, on the terminal
    assert "Archiving" not in screen.piped and ESCAPE not in screen.piped
    assert "30 added" in screen.piped
    quiet = in_terminal("reindex", "-q", home=home, stdout_piped=True)
    assert "Indexing" not in quiet.text


def test_quiet_prints_only_errors_and_the_summary_and_verbose_more(run, tmp_path):
    folder = fixtures_folder(tmp_path, copies=3)
    (folder / "empty.txt").write_bytes(b"")
    quiet = run("add", str(folder), "-q")
    assert quiet.stdout.strip() == "3 added, 0 already archived, 1 failed"
    assert quiet.stderr.strip().splitlines() == [f"archive: {folder / 'empty.txt'}: empty file"]
    verbose = run("add", str(SEED), "-v")
    assert f"← {SEED}" in verbose.stdout
    assert run("reindex", "-q").stdout.strip() == "indexed 4 articles"
    assert re.fullmatch(r"indexed 4 articles with tantivy in [\d.]+ s", run("reindex", "-v").stdout.strip())
    assert run("reextract", "--all", "-q").stdout.strip() == "0 changed, 4 unchanged, 0 failed"
    exported = tmp_path / "all.jsonl"
    assert run("export", str(exported), "-q").exit_code == 0
    other = CliRunner().invoke(cli, ["--home", str(tmp_path / "other"), "import", str(exported), "-q"])
    assert other.stdout.strip() == "imported 4 versions" and other.stderr == ""


def test_help_of_every_command_has_examples_and_fits_70_columns(run):
    commands = ["add", "search", "show", "list", "remove", "reextract", "reindex", "export",
                "import", "stats", "check", "completion", "tag", "untag", "tags", "note", "diff"]
    for command in [None, *commands]:
        args = [command, "--help"] if command else ["--help"]
        result = CliRunner().invoke(cli, args, env={"COLUMNS": "70"}, terminal_width=70)
        assert result.exit_code == 0, result.output
        assert "Examples:" in result.stdout, command
        assert f"archive {command or ''}".strip() in result.stdout.split("Examples:")[1]
        long = [line for line in result.stdout.splitlines() if len(line) > 70]
        assert not long, (command, long)


def test_every_command_that_reports_has_json(run):
    for command in ("add", "search", "show", "list", "remove", "reextract", "reindex", "export",
                    "import", "stats", "check"):
        assert "--json" in CliRunner().invoke(cli, [command, "--help"]).stdout, command
    assert "--all" not in CliRunner().invoke(cli, ["search", "--help"]).stdout


def test_completion_scripts_and_article_ids_complete(home, seeded):
    for shell in ("bash", "zsh", "fish"):
        script = subprocess.run([str(SCRIPT), "completion", shell], capture_output=True, text=True,
                                timeout=60)
        assert script.returncode == 0 and "_ARCHIVE_COMPLETE" in script.stdout, shell
    env = {**os.environ, "ARCHIVE_HOME": str(home), "_ARCHIVE_COMPLETE": "bash_complete",
           "COMP_WORDS": f"archive show {seeded[:3]}", "COMP_CWORD": "2"}
    completed = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)
    assert f"plain,{seeded}" in completed.stdout.splitlines()
    env["COMP_WORDS"] = "archive remove ff"
    assert subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True,
                          timeout=60).stdout.strip() == ""


def test_the_default_home_is_the_xdg_data_folder(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("ARCHIVE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    env["HOME"] = str(tmp_path)
    added = subprocess.run([str(SCRIPT), "add", str(SEEDS)], env=env, capture_output=True,
                           text=True, timeout=120)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / ".local" / "share" / "archive" / "archive.db").exists()
    assert not (tmp_path / ".config" / "archive").exists()
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    subprocess.run([str(SCRIPT), "add", str(SEEDS)], env=env, capture_output=True, timeout=120)
    assert (tmp_path / "data" / "archive" / "archive.db").exists()


def test_an_archive_in_the_old_config_folder_keeps_working_with_a_notice(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in ("ARCHIVE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}
    env["HOME"] = str(tmp_path)
    old = tmp_path / ".config" / "archive"
    subprocess.run([str(SCRIPT), "--home", str(old), "add", str(SEEDS)], env=env,
                   capture_output=True, timeout=120)
    listed = subprocess.run([str(SCRIPT), "list"], env=env, capture_output=True, text=True,
                            timeout=60)
    assert listed.returncode == 0 and "Mort de Soleimani" in listed.stdout
    notices = listed.stderr.strip().splitlines()
    assert len(notices) == 1 and str(old) in notices[0] and ".local/share/archive" in notices[0]


def test_a_search_with_no_hits_exits_1_and_still_prints_its_json(run, seeded):
    nothing = run("search", "Bruxelles", "--json")
    assert nothing.exit_code == 1 and '"hits": []' in nothing.stdout
    assert run("search", "Bruxelles").exit_code == 1
    assert run("search", "Soleimani").exit_code == 0


def test_list_nl_prints_one_json_object_per_line(run, seeded):
    run("add", str(FIXTURES / "textcopies"))
    lines = run("list", "--nl").stdout.strip().splitlines()
    assert len(lines) == 4 and all(line.startswith('{"id": ') for line in lines)


def test_the_shell_completion_is_documented_in_the_readme():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    assert "archive completion bash" in readme
