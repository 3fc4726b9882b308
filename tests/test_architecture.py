"""The layer rules of docs/architecture.md, checked by import-linter, and the protected-data rule."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import kedja

PACKAGE = Path(kedja.__file__).parent
ENGINES = ("taxonomy", "forecast", "matching", "chains", "scale")
PROTECTED = re.compile(r"\b(gender|birth_year|born_abroad|disability|ProtectedAttributes|protected)\b")


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True,
                            cwd=PACKAGE.parents[1], check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def _code_names(tree: ast.AST) -> list[tuple[int, str]]:
    """Names, attributes and imports in code (docstrings and comments are not code)."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.append((node.lineno, node.id))
        elif isinstance(node, ast.Attribute):
            found.append((node.lineno, node.attr))
        elif isinstance(node, ast.ImportFrom):
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.keyword) and node.arg:
            found.append((node.value.lineno, node.arg))
    return found


def test_scoring_engines_never_read_protected_attributes() -> None:
    offenders = []
    for engine in ENGINES:
        for path in (PACKAGE / engine).rglob("*.py"):
            for line, name in _code_names(ast.parse(path.read_text())):
                if PROTECTED.search(name.replace(".", " ")):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {name}")
    assert not offenders, "engines that score must not read protected attributes:\n" + "\n".join(offenders)


def test_the_protected_check_catches_a_reader() -> None:
    code = "def score(person, attrs):\n    return attrs.birth_year * 2\n"
    assert any(PROTECTED.search(n) for _, n in _code_names(ast.parse(code)))


def test_every_package_declares_its_exports() -> None:
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("__init__.py")
               if "migrations" not in p.parts and "__all__" not in p.read_text()]
    assert not missing, f"__init__.py without __all__: {missing}"
