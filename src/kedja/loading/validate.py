"""Checking a whole file at once: every problem of every row, with the place and the fix.

:func:`validate_table` reads each cell by its column's type, looks codes up in the
:class:`~kedja.loading.reference.Reference` (after the mapping file's translations), checks
duplicates of the organisation's own ids, and then builds the core record
(:mod:`kedja.loading.records`) so that the domain's own rules (an employed person needs an
occupation, a course its weeks) are checked too. Nothing stops at the first problem.

The work is linear in cells; code look-ups are dictionary hits, and the fuzzy suggestions
(rapidfuzz) run only for unknown codes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from kedja.core.errors import InvalidInput
from kedja.core.identity import display_name, personal_number
from kedja.core.validation import organisation_number
from kedja.loading import cells
from kedja.loading.files import Table, as_text
from kedja.loading.kinds import Column, Kind, ValueType, columns_of
from kedja.loading.mapping import Mapping, check_mapping
from kedja.loading.records import build_record
from kedja.loading.reference import Reference

__all__ = ["Problem", "Record", "Validation", "validate_table"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the file: where (line, column), what (value, reason), and the fix."""

    line: int
    column: str
    value: str
    reason: str
    fix: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.value!r} {self.reason}. Fix: {self.fix}"


@dataclass(frozen=True)
class Record:
    """A valid row: its line and its values read by type (codes resolved)."""

    line: int
    values: dict[str, Any]


@dataclass
class Validation:
    """The result of checking a file: valid rows, problems and notes."""

    kind: Kind
    filename: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rows: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    """Kedja's column → the file's header it was read from."""

    @property
    def ok(self) -> bool:
        """Whether the whole file is valid."""
        return not self.problems

    @property
    def rejected_lines(self) -> list[int]:
        """The lines with at least one problem."""
        return sorted({p.line for p in self.problems if p.line > 1})


def _fold(text: str) -> str:
    return "_".join(text.casefold().replace("-", " ").split())


def _headers(table: Table, kind: Kind, mapping: Mapping, result: Validation) -> None:
    names = {c.name: c for c in columns_of(kind)}
    aliases = {_fold(a): c.name for c in names.values() for a in (c.name, *c.aliases)}
    for header in table.columns:
        target = mapping.column(header)
        name = target if target in names else aliases.get(_fold(target))
        if name is None:
            near = process.extractOne(header, list(names), scorer=fuzz.WRatio, score_cutoff=70)
            hint = f" (did you mean {near[0]}?)" if near else ""
            result.notes.append(f"column {header!r} is not read{hint}")
        elif name in result.headers:
            result.problems.append(Problem(1, header, header, f"is a second column for {name}",
                                           "keep one column per field"))
        else:
            result.headers[name] = header
    for column in names.values():
        if column.required and column.name not in result.headers:
            result.problems.append(Problem(
                1, column.name, "", "is a required column that the file lacks",
                f"add a column named {column.name} ({column.help}) or map yours to it in the "
                "mapping file"))
    result.notes.extend(check_mapping(mapping, kind))


def _unknown(what: str, near: list[str]) -> cells.CellError:
    fix = f"did you mean {', '.join(near)}?" if near else f"use a {what} from the template's lists"
    return cells.CellError(f"is not a known {what}", fix + " (or translate it in the mapping file)")


def _code(column: Column, value: str) -> str:
    if value in column.codes:
        return value
    folded = {c.casefold(): c for c in column.codes}
    if value.casefold() in folded:
        return folded[value.casefold()]
    near = [c for c, _s, _i in process.extract(value, column.codes, scorer=fuzz.WRatio, limit=2,
                                               score_cutoff=60)]
    raise _unknown("code", near) if near else cells.CellError(
        "is not one of the allowed codes",
        f"use one of {', '.join(column.codes)} (or translate it in the mapping file)")


def _occupation(ref: Reference, value: str, *, in_list: bool = False) -> str:
    code = ref.occupation(value)
    if code is None:
        error = _unknown("SSYK 2012 occupation group", ref.suggest_occupation(value))
        if in_list:  # name the item of the list that is wrong
            error.reason = f"holds {value!r}, which {error.reason}"
        raise error
    return code


def _skill(ref: Reference, value: str) -> str:
    found = ref.skill(value)
    if found is None:
        raise _unknown("skill", ref.suggest_skill(value))
    return found


def _checked(check: Callable[[str], str], value: str) -> str:
    try:
        return check(value)
    except InvalidInput as error:
        raise cells.CellError(error.message.replace(repr(value), "").strip() or "is not valid",
                              error.hint or "correct the value") from None


def _read(column: Column, raw: Any, ref: Reference, mapping: Mapping) -> Any:
    kind, text = column.type, as_text(raw)
    mapped = mapping.code(column.name, text)
    if kind is ValueType.TEXT:
        return text
    if kind is ValueType.NAME:
        return _checked(display_name, text)
    if kind is ValueType.PERSONAL_NUMBER:
        return _checked(personal_number, text)
    if kind is ValueType.ORG_NUMBER:
        return _checked(organisation_number, text)
    if kind is ValueType.INT:
        return cells.integer(raw)
    if kind is ValueType.DECIMAL:
        return cells.decimal(raw)
    if kind is ValueType.DATE:
        return cells.day(raw)
    if kind is ValueType.MUNICIPALITY:
        code = ref.municipality(mapped)
        if code is None:
            raise _unknown("municipality", ref.suggest_municipality(mapped))
        return code
    if kind is ValueType.SSYK:
        return _occupation(ref, mapped)
    if kind is ValueType.SSYK_LIST:
        return tuple(_occupation(ref, mapping.code(column.name, v), in_list=True)
                     for v in cells.items(text))
    if kind is ValueType.SKILLS:
        return tuple(dict.fromkeys(_skill(ref, v) for v in cells.items(text)))
    if kind is ValueType.LANGUAGES:
        return tuple(cells.languages(text))
    if kind is ValueType.CODE:
        return _code(column, mapped)
    if kind is ValueType.CODE_LIST:
        return tuple(_code(column, mapping.code(column.name, v)) for v in cells.items(text))
    return text  # LOCALITY: resolved once the municipality is known


def _row(kind: Kind, line: int, raw: dict[str, Any], ref: Reference, mapping: Mapping,
         result: Validation) -> tuple[dict[str, Any], bool]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for column in columns_of(kind):
        header = result.headers.get(column.name)
        cell = raw.get(header, "") if header else ""
        if as_text(cell) == "":
            if column.required and header:
                problems.append(Problem(line, header, "", "is empty but required",
                                        f"fill in {column.name}: {column.help}"))
            continue
        try:
            values[column.name] = _read(column, cell, ref, mapping)
        except cells.CellError as error:
            problems.append(Problem(line, header or column.name, as_text(cell), error.reason, error.fix))
    locality = values.get("locality")
    if locality and "municipality" in values:
        found = ref.locality(values["municipality"], locality)
        if found is None:
            near = ref.suggest_locality(values["municipality"], locality)
            problems.append(Problem(line, result.headers["locality"], locality,
                                    "is not a locality of the municipality",
                                    f"did you mean {', '.join(near)}?" if near
                                    else "leave it empty or name a locality in the municipality"))
        values["locality"] = found
    result.problems.extend(problems)
    return values, not problems


def _field_column(field_name: str | None, kind: Kind) -> str:
    names = [c.name for c in columns_of(kind)]
    tail = (field_name or "").rsplit(".", 1)[-1]
    aliases = {"occupation_code": "occupation", "municipality_code": "municipality",
               "duration_weeks": "weeks", "status_since": "status_since", "years": "past_years"}
    tail = aliases.get(tail, tail)
    return tail if tail in names else (field_name or "row")


def validate_table(kind: Kind, table: Table, ref: Reference, mapping: Mapping | None = None, *,
                   require_consent: bool = False) -> Validation:
    """Every problem of the file, and its valid rows as records.

    ``require_consent``: an organisation loads people, so each needs the date of their consent.
    """
    mapping = mapping or Mapping()
    result = Validation(kind, table.filename, rows=len(table.rows))
    _headers(table, kind, mapping, result)
    if any(p.line == 1 for p in result.problems):
        return result
    seen: dict[str, int] = {}
    for row in table.rows:
        values, cells_ok = _row(kind, row.line, row.values, ref, mapping, result)
        problems = _cross_checks(kind, row.line, values, ref, result, seen, require_consent,
                                 build=cells_ok)
        if cells_ok and not problems:
            result.records.append(Record(row.line, values))
        result.problems.extend(problems)
    result.problems.sort(key=lambda p: (p.line, p.column))
    return result


def _cross_checks(kind: Kind, line: int, values: dict[str, Any], ref: Reference,
                  result: Validation, seen: dict[str, int], require_consent: bool, *,
                  build: bool) -> list[Problem]:
    header = result.headers
    problems = []
    external = values.get("external_id")
    if external and external in seen:
        problems.append(Problem(line, header["external_id"], external,
                                f"is used again (first on line {seen[external]})",
                                "give every row its own id, or merge the rows"))
    if external:
        seen.setdefault(external, line)
    if require_consent and kind in (Kind.PEOPLE,) and "consent_date" not in values:
        problems.append(Problem(line, header.get("consent_date", "consent_date"), "",
                                "is missing: your organisation may hold the record only with "
                                "the person's consent", "write the date the person consented"))
    for number_col, name_col in (("employer_org_number", "employer_name"),
                                 ("provider_org_number", "provider_name")):
        number = values.get(number_col)
        if number and number not in ref.organisations and not values.get(name_col):
            problems.append(Problem(line, header[number_col], number,
                                    "is not an organisation Kedja knows",
                                    f"add a column {name_col} with its name, or load it with "
                                    "kedja load organisations first"))
    if not build:
        return problems
    try:
        build_record(kind, values, entity_id="NEW", organisation_id="ORG", provider_id="ORG")
    except InvalidInput as error:
        column = _field_column(error.field, kind)
        problems.append(Problem(line, header.get(column, column),
                                "" if error.value is None else str(error.value),
                                error.message, error.hint or "correct the row"))
    return problems
