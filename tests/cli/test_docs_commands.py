"""The commands the README and docs/*.md show parse against the CLI: a renamed flag fails here.

A small collector takes every line starting with ``kedja`` from the fenced code blocks,
reads the usage notation the docs use (``[optional]``, ``a|b`` alternatives, ``…``, ``# comments``,
``&&`` and ``|`` between commands, upper-case placeholders), and resolves each command through
the real command tree as the shell would run it, without running it: every option must exist,
every choice must be valid and every required argument given. The cheap ones run too, on a
fresh database.
"""

from __future__ import annotations

import itertools
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer.main

from kedja.cli.main import app, main

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PLACEHOLDERS = {"N": "2", "SEK": "100000", "H": "127.0.0.1", "FROM:TO": "2026-01-01:2026-06-30",
                "ROLE": "officer", "EMAIL": "a@kedja.demo", "ORG": "AF24", "KIND": "people"}
"""Values for the placeholders whose option wants a number, a date range or a role."""


def documented_commands() -> list[tuple[str, list[str]]]:
    """(where, argv) for every ``kedja`` command in the docs' fenced code blocks.

    A line ending in ``…`` gives the command but not all its arguments: ``…`` becomes
    ``--help``, which still needs every option before it to exist.
    """
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for block in re.finditer(r"^```[a-z]*\n(.*?)^```", text, re.S | re.M):
            start = text[: block.start()].count("\n") + 2
            pending, first = "", 0
            for offset, line in enumerate(block.group(1).splitlines()):
                if not pending:
                    first = offset
                if line.rstrip().endswith("\\"):  # a shell line continued on the next
                    pending += line.rstrip()[:-1] + " "
                    continue
                where = f"{path.name}:{start + first}"
                found += [(where, argv) for argv in _expand(pending + line)]
                pending = ""
    return found


def _expand(line: str) -> list[list[str]]:
    line = re.sub(r"\s#.*$", "", line.strip().removeprefix("$ "))
    line = re.sub(r"\s>\s*\S+\s*$", "", line)  # output redirected to a file
    commands = []
    for part in re.split(r"\s(?:&&|\|)\s(?=kedja\b)", line):
        if not part.startswith("kedja "):
            continue
        tokens = shlex.split(part.replace("[", " ").replace("]", " ").replace("…", " --help"))[1:]
        choices = [token.split("|") if "|" in token and "://" not in token else [token]
                   for token in tokens]
        for combination in itertools.product(*choices):
            commands.append([PLACEHOLDERS.get(t, t) for t in combination])
    return commands


def resolve(argv: list[str]) -> str:
    """Parse ``argv`` through the command tree without running it; the resolved command path.

    ``--help`` ends the parse where it stands (after the command path and the options before
    it resolved), as it does when a person types it.
    """
    if "--help" in argv:
        argv = argv[: argv.index("--help")]
        partial = True
    else:
        partial = False
    command: Any = typer.main.get_command(app)
    context = command.make_context("kedja", list(argv), resilient_parsing=False)
    path = ["kedja"]
    while hasattr(command, "resolve_command"):
        rest = [*getattr(context, "_protected_args", []), *context.args]
        if not rest:
            break
        name, command, rest = command.resolve_command(context, rest)
        for param in command.params:  # parse, never ask (a password prompt reads the terminal)
            if getattr(param, "prompt", None):
                param.prompt, param.required = None, False
        path.append(name)
        context = command.make_context(name, rest, parent=context,
                                       resilient_parsing=partial and not rest)
    return " ".join(path)


COMMANDS = documented_commands()


def test_the_docs_show_commands() -> None:
    assert len(COMMANDS) >= 40
    assert {where.split(":")[0] for where, _ in COMMANDS} >= {"README.md", "matching.md",
                                                              "taxonomy.md", "hub.md"}


@pytest.mark.parametrize(("where", "argv"), COMMANDS, ids=[f"{w} {' '.join(a)[:60]}"
                                                            for w, a in COMMANDS])
def test_a_documented_command_parses(where: str, argv: list[str], tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # placeholder files (MAP.toml, FILE) exist there, empty
    for token in argv:
        if ((re.fullmatch(r"[A-Z][A-Z_]*(\.[a-z]+)?", token) and token not in PLACEHOLDERS)
                or re.fullmatch(r"[a-z]\.(csv|xlsx|json|toml)", token)):
            (tmp_path / token).touch()
    resolved = resolve(argv)
    assert resolved.count(" ") >= 1, f"{where}: 'kedja {' '.join(argv)}' names no command"


@pytest.mark.parametrize("argv", [["match", "--fromat", "json"], ["match", "--format", "yaml"],
                                  ["chains", "simulat"], ["pathways"]])
def test_a_renamed_flag_or_command_fails(argv: list[str]) -> None:
    with pytest.raises(Exception) as failure:
        resolve(argv)
    assert getattr(failure.value, "exit_code", 2) == 2


def test_the_cheap_documented_commands_run(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a placeholder the map below misses lands here, not in the checkout
    db = str(tmp_path / "kedja.db")
    cheap = [argv for _, argv in COMMANDS if argv[:2] in (["db", "upgrade"], ["maintenance"])]
    assert cheap
    for argv in cheap:
        argv = [db if a in ("DB", "PATH", "URL") else a for a in argv]
        if "--db" not in argv:
            argv += ["--db", db]
        try:
            main(argv)
        except SystemExit as stopped:
            assert not stopped.code, f"kedja {' '.join(argv)}: {capsys.readouterr().err}"
