r"""A mapping file: the organisation's own column names and codes → Kedja's.

A TOML file with two tables, both optional::

    [columns]            # the file's header = Kedja's column
    "Personnr" = "personal_number"
    "Kommun"   = "municipality"

    [codes.status]       # per Kedja column: the file's code = Kedja's code
    "AL"  = "unemployed"
    "ANST" = "employed"

Examples:
    >>> m = parse_mapping('[columns]\n"Kommun" = "municipality"\n[codes.status]\nAL = "unemployed"\n')
    >>> m.column("Kommun"), m.code("status", "AL"), m.code("status", "employed")
    ('municipality', 'unemployed', 'employed')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field

from kedja.core.errors import InvalidInput
from kedja.loading.kinds import Kind, columns_of

__all__ = ["Mapping", "check_mapping", "parse_mapping"]


@dataclass(frozen=True)
class Mapping:
    """Header and code translations (empty: the file uses Kedja's names)."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def column(self, header: str) -> str:
        """Kedja's column for a header of the file."""
        return self.columns.get(header, header)

    def code(self, column: str, value: str) -> str:
        """Kedja's code for a value of the file in ``column``."""
        return self.codes.get(column, {}).get(value, value)


def parse_mapping(text: str, *, source: str = "mapping") -> Mapping:
    """Read a mapping file.

    Raises:
        InvalidInput: not TOML, or a table that is not ``name = "value"`` pairs.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInput(f"{source} is not valid TOML ({error})", field="--mapping", value=source,
                           hint='write lines like "Kommun" = "municipality" under [columns]') from None
    columns = data.get("columns", {})
    codes = data.get("codes", {})
    bad = [k for k, v in columns.items() if not isinstance(v, str)]
    bad += [f"codes.{c}" for c, table in codes.items() if not isinstance(table, dict)]
    if bad:
        raise InvalidInput(f"{source}: {bad[0]!r} must map to a text value", field="--mapping",
                           value=bad[0], hint='write "their name" = "kedja_name"')
    return Mapping({str(k): str(v) for k, v in columns.items()},
                   {str(c): {str(k): str(v) for k, v in t.items()} for c, t in codes.items()})


def check_mapping(mapping: Mapping, kind: Kind) -> list[str]:
    """Targets in the mapping that are not columns of ``kind`` (with the valid names)."""
    names = {c.name for c in columns_of(kind)}
    wrong = sorted({v for v in mapping.columns.values() if v not in names}
                   | {c for c in mapping.codes if c not in names})
    return [f"{w!r} is not a column of {kind.value} (use one of {', '.join(sorted(names))})"
            for w in wrong]
