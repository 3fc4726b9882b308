"""The command line's conventions: choices as enums with one default per family, exit codes,
progress on long commands and ``--quiet``."""

from __future__ import annotations

import enum
import typing
from pathlib import Path
from typing import Any

import pytest
import typer.main
from sqlalchemy import Engine
from typer.testing import CliRunner

from kedja.cli.main import app, main
from kedja.cli.options import ExitCode


def _commands(group: Any, path: str = "kedja") -> list[tuple[str, Any]]:
    found = [(path, group)]
    for name, command in getattr(group, "commands", {}).items():
        found += _commands(command, f"{path} {name}")
    return found


def _choices(param: Any) -> set[str] | None:
    """The values an option accepts when it is an enum (``None`` when it is free text)."""
    annotation = param.type_descriptor.annotation
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return {str(member.value) for member in candidate}
    return None


def _exit_code(*argv: str) -> int:
    try:
        main(list(argv))
    except SystemExit as stopped:
        return int(stopped.code or 0)
    return 0


def test_every_format_lang_and_band_is_a_choice_with_the_family_default() -> None:
    seen = 0
    for path, command in _commands(typer.main.get_command(app)):
        for param in command.params:
            if not {"--format", "--lang", "--band"} & set(param.opts):
                continue
            seen += 1
            choices = _choices(param)
            assert choices is not None, f"{path} {param.opts} is free text"
            if "--format" in param.opts and choices == {"text", "json"}:
                assert str(param.default) == "text", path
            if "--lang" in param.opts:
                assert choices == {"sv", "en"} and str(param.default) == "sv", path
            if "--format" in param.opts and choices >= {"csv", "xlsx"}:
                assert str(param.default) == "csv", path
    assert seen >= 12


def test_an_unknown_choice_is_refused_with_the_valid_ones(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    assert _exit_code("match", "--format", "yaml") == ExitCode.USAGE == 2
    text = " ".join(capsys.readouterr().err.split())
    assert "'yaml' is not one of 'text', 'json'" in text
    assert _exit_code("pathways", "P1", "--lang", "de") == 2
    assert "'sv', 'en'" in " ".join(capsys.readouterr().err.split())


def test_exit_codes_tell_refusal_from_usage_and_configuration(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "kedja.db")
    assert _exit_code("import", "hsds", str(tmp_path / "nothing.json"), "--db", db) == 1
    assert "does not exist" in " ".join(capsys.readouterr().err.split())
    assert _exit_code("db", "upgrade", "--db", "oracle://x@y/z") == ExitCode.CONFIGURATION
    assert _exit_code("match", "--no-such-option") == ExitCode.USAGE
    assert _exit_code("--quiet", "db", "upgrade", "--db", db) == 0


def test_chains_simulate_shows_progress_and_quiet_hides_it(demo_engine: Engine) -> None:
    db = str(demo_engine.url.database)
    runner = CliRunner()
    shown = runner.invoke(app, ["chains", "simulate", "--db", db, "--runs", "2", "--years", "1"])
    assert shown.exit_code == 0, shown.output
    assert "Simulating the strategies: done" in shown.stderr
    assert "6/6" in shown.stderr  # three strategies × two runs
    assert "checker ok" in shown.stdout
    quiet = runner.invoke(app, ["--quiet", "chains", "simulate", "--db", db, "--runs", "2",
                                "--years", "1"])
    assert quiet.exit_code == 0 and quiet.stderr == "" and "checker ok" in quiet.stdout
