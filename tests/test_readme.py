"""The README says only what is true: its first command and every line of its sample
block run (the installed script, in a copy of the repository's seeds), the ids it and
every --help show exist after that first command, every command and option of its "Use"
block exists, and each JSON shape of its contract is the shape the commands print."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from tests.conftest import ROOT, SEEDS
from tests.feedsite import FeedSite, sample_items
from tests.terminal import SCRIPT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else None]


def sh_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, re.DOTALL)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Path:
    """A folder like a fresh checkout after the README's first command (its archive part)."""
    folder = tmp_path_factory.mktemp("readme")
    shutil.copytree(SEEDS, folder / "seeds")
    first = sh_blocks(section("Two commands"))[0].strip()
    archive_part = [step.strip() for step in first.split("&&")
                    if step.strip().startswith(".venv/bin/archive")]
    assert archive_part, first
    for step in archive_part:
        command = step.replace(".venv/bin/archive", str(SCRIPT), 1)
        done = subprocess.run(command, shell=True, cwd=folder, capture_output=True, text=True,
                              timeout=180, env=_environment())
        assert done.returncode == 0, (step, done.stderr)
    return folder


def _environment() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "ARCHIVE_HOME"}
    env["PATH"] = f"{SCRIPT.parent}{os.pathsep}{env.get('PATH', '')}"
    return env


def test_every_line_of_the_sample_block_runs(sample):
    block = sh_blocks(section("Try it on the sample article"))[0]
    lines = [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]
    assert lines[0] == "export ARCHIVE_HOME=.archive"
    env = {**_environment(), "ARCHIVE_HOME": ".archive"}
    for line in lines[1:]:
        done = subprocess.run(line, shell=True, cwd=sample, capture_output=True, text=True,
                              timeout=180, env=env)
        assert done.returncode == 0, (line, done.stdout[-500:], done.stderr[-500:])
        assert "Traceback" not in done.stderr
    original = (sample / "original.txt").read_bytes()
    assert original == (SEEDS / "000_192eed5866ea1362.txt").read_bytes()


def test_the_ids_of_the_readme_and_of_every_help_exist_after_the_first_command(sample):
    listed = subprocess.run([str(SCRIPT), "--home", str(sample / ".archive"), "list", "--json"],
                            capture_output=True, text=True, timeout=60)
    kept = [a["id"] for a in json.loads(listed.stdout)]
    helps = [CliRunner().invoke(cli, [*([name] if name else []), "--help"]).stdout
             for name in [None, *cli.commands]]
    for text in [README, *helps]:
        for shown in re.findall(r"\b(?:archive (?:show|remove|reextract)[^\n]*?)\b([0-9a-f]{12})\b", text):
            assert shown in kept, f"{shown} is not the sample article's id ({kept})"
    assert "acda0cce6a05" in README and kept == ["acda0cce6a05"]


def test_every_command_and_option_of_the_use_block_exists():
    block = sh_blocks(section("Use"))[0]
    for line in block.splitlines():
        words = line.split("#")[0].split()
        if "archive" not in words:
            continue
        words = words[words.index("archive") + 1:]
        options = [w.split("=")[0] for w in words if w.startswith("-") and w != "-"]
        group = [o for o in options if o in {p for param in cli.params for p in param.opts}]
        command_name = next(w for w in words if not w.startswith("-") and w not in ("bash",))
        if command_name not in cli.commands:
            command_name = words[[i for i, w in enumerate(words) if not w.startswith("-")][1]]
        command = cli.commands[command_name]
        known = {p for param in command.params for p in param.opts + param.secondary_opts}
        for option in options:
            assert option in known or option in group, f"{line.strip()}: no option {option}"


# --- the JSON contract ----------------------------------------------------------------

def parse_shape(text: str):
    """`{"a", "b"?, "c": [{"d"}]}` → {"a": (False, None), "b": (True, None), "c": (False, [...])}."""
    tokens = re.findall(r'"[^"]+"\??|[{}\[\]:,]', text)
    position = 0

    def value():
        nonlocal position
        token = tokens[position]
        if token == "{":
            position += 1
            fields = {}
            while tokens[position] != "}":
                name = tokens[position]
                position += 1
                inner = None
                if tokens[position] == ":":
                    position += 1
                    inner = value()
                fields[name.strip('"?')] = (name.endswith("?"), inner)
                if tokens[position] == ",":
                    position += 1
            position += 1
            return fields
        if token == "[":
            position += 1
            inner = value()
            assert tokens[position] == "]", text
            position += 1
            return [inner]
        raise AssertionError(f"cannot read the shape {text!r} at {token!r}")

    return value()


def assert_shape(data, shape, where: str) -> None:
    if isinstance(shape, list):
        assert isinstance(data, list), where
        for item in data:
            assert_shape(item, shape[0], where + "[]")
        return
    assert isinstance(data, dict), f"{where}: {data!r}"
    required = {name for name, (optional, _) in shape.items() if not optional}
    assert required <= set(data), f"{where}: missing {required - set(data)}"
    assert set(data) <= set(shape), f"{where}: undocumented {set(data) - set(shape)}"
    for name, (_, inner) in shape.items():
        if inner is not None and data.get(name) is not None:
            assert_shape(data[name], inner, f"{where}.{name}")


def contract() -> dict[str, object]:
    text = " ".join(section("JSON contract").split())
    return {command: parse_shape(shape) for command, shape in re.findall(r"- `([^`]+)`: `([^`]+)`", text)}


STORY = ("Le gouvernement belge a approuvé vendredi un plan de relance de quatre milliards d'euros "
         "destiné à soutenir les entreprises touchées par la crise sanitaire, a annoncé le Premier "
         "ministre à l'issue du conseil des ministres, qui a duré toute la nuit.")


def test_every_json_shape_of_the_contract_is_what_the_commands_print(run, tmp_path, seeded):
    gazette = FeedSite(sample_items())
    try:
        with_feed = run("add", "--feed", f"{gazette.url}/feed.xml", "--json").stdout
    finally:
        gazette.close()
    for name, site in (("soir.txt", "Le Soir"), ("libre.txt", "La Libre")):
        (tmp_path / name).write_text(f"Plan de relance - {site}\n\n{STORY}\n", encoding="utf-8")
    added = run("add", str(tmp_path / "soir.txt"), str(tmp_path / "libre.txt"),
                str(tmp_path / "missing.html"), "--json")
    edited = tmp_path / "edited.html"
    for word in ("mardi", "mercredi"):  # a page kept in two versions of different text
        edited.write_text('<html><head><link rel="canonical" href="https://www.lesoir.be/1/plan">'
                          f"</head><body><article><h1>Plan de relance</h1><p>Voté {word}. {STORY}"
                          "</p></article></body></html>", encoding="utf-8")
        run("add", str(edited))
    two = json.loads(run("list", "--changed", "--json").stdout)[0]["id"]
    exported = tmp_path / "all.jsonl"
    outputs = {
        "tag --json": run("tag", seeded, "ffffffffffff", "Irak 2020", "--json").stdout,
        "untag --json": run("untag", two, "Irak 2020", "--json").stdout,
        "tags --json": run("tags", "--json").stdout,
        "note --json": run("note", seeded, "À recouper", "--json").stdout,
        "diff --json": run("diff", two, "--json").stdout,
        "add --json": added.stdout,
        "feeds --json": run("feeds", "--json").stdout,
        "search --json": run("search", "relance", "--json").stdout,
        "show --json": run("show", seeded, "--json").stdout,
        "show --versions --json": run("show", seeded, "--versions", "--json").stdout,
        "list --json": run("list", "--json").stdout,
        "list --duplicates --json": run("list", "--duplicates", "--json").stdout,
        "remove --json": run("remove", seeded, "ffffffffffff", "--dry-run", "--json").stdout,
        "reextract --json": run("reextract", "--all", "--json").stdout,
        "reindex --json": run("reindex", "--json").stdout,
        "export --json": run("export", str(exported), "--json").stdout,
        "import --json": CliRunner().invoke(cli, ["--home", str(tmp_path / "other"), "import",
                                                  str(exported), "--json"]).stdout,
        "stats --json": run("stats", "--json").stdout,
        "check --json": run("check", "--json").stdout,
    }
    shapes = contract()
    assert set(shapes) == set(outputs), "the README documents these shapes"
    for command, shape in shapes.items():
        data = json.loads(outputs[command])
        assert data, command
        assert_shape(data, shape, command)
    assert "feeds" in json.loads(with_feed)
    assert_shape(json.loads(with_feed), shapes["add --json"], "add --feed --json")
    reporting = {name for name, command in cli.commands.items()
                 if any("--json" in param.opts for param in command.params)}
    assert reporting == {command.split()[0] for command in shapes}


def test_every_json_the_cli_prints_comes_from_a_library_to_json():
    import ast

    tree = ast.parse((ROOT / "cli" / "main.py").read_text(encoding="utf-8"))
    printed = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
               and getattr(node.func, "id", getattr(node.func, "attr", "")) in ("print_json", "dumps",
                                                                                  "json_lines")]
    assert printed
    for call in printed:
        argument = call.args[0]
        assert isinstance(argument, ast.Call) and getattr(argument.func, "attr", "") == "to_json", (
            f"cli/main.py line {call.lineno} prints JSON it built itself")
