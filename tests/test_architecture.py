"""The layer rules of docs/architecture.md, checked by import-linter, and the protected-data rule."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import kedja

PACKAGE = Path(kedja.__file__).parent
ENGINES = ("taxonomy", "forecast", "matching", "chains")
PROTECTED = re.compile(r"\b(gender|birth_year|born_abroad|disability|ProtectedAttributes|protected)\b")


def test_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True,
                            cwd=PACKAGE.parents[1], check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken" in result.stdout


def test_scoring_engines_never_mention_protected_attributes() -> None:
    offenders = []
    for engine in ENGINES:
        for path in (PACKAGE / engine).rglob("*.py"):
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if PROTECTED.search(line):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "engines that score must not read protected attributes:\n" + "\n".join(offenders)


def test_every_package_declares_its_exports() -> None:
    missing = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("__init__.py")
               if "migrations" not in p.parts and "__all__" not in p.read_text()]
    assert not missing, f"__init__.py without __all__: {missing}"
