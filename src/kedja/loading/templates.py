"""A template per kind (XLSX with help and drop-down lists) and a small example CSV.

The template's first sheet has Kedja's column names as headers (required ones in bold), the
help text as a note on each header, and drop-down lists (Excel data validation) for codes:
municipalities and SSYK groups with their names, statuses and the other code lists. The lists
live on a sheet ``Koder``; a second sheet ``Hjälp`` explains every column.
"""

from __future__ import annotations

import csv
import io

from kedja.loading.kinds import Column, Kind, ValueType, columns_of
from kedja.loading.reference import Reference

__all__ = ["example_csv", "template_xlsx"]

_ROWS = 500
"""Rows of the data sheet that get drop-down lists."""


def example_csv(kind: Kind) -> str:
    """A small valid file of ``kind`` (``;``-separated, as Swedish Excel saves it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    columns = columns_of(kind)
    writer.writerow([c.name for c in columns])
    for i in range(2):
        writer.writerow([c.example[i] for c in columns])
    return out.getvalue()


def _choices(column: Column, ref: Reference) -> list[str]:
    if column.type is ValueType.MUNICIPALITY:
        return [f"{c} {n}" for c, n in sorted(ref.municipalities.items())]
    if column.type in (ValueType.SSYK, ValueType.SSYK_LIST):
        return [f"{c} {n}" for c, n in sorted(ref.occupations.items())]
    if column.type is ValueType.CODE:
        return list(column.codes)
    return []


def template_xlsx(kind: Kind, ref: Reference) -> bytes:
    """The XLSX template of ``kind`` with the region's code lists."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = kind.value
    codes = book.create_sheet("Koder")
    help_sheet = book.create_sheet("Hjälp")
    help_sheet.append(["kolumn", "krävs", "förklaring"])
    code_col = 0
    for index, column in enumerate(columns_of(kind), start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = Font(bold=column.required)
        cell.comment = Comment(column.help + (" (krävs)" if column.required else ""), "Kedja")
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.name) + 4)
        help_sheet.append([column.name, "ja" if column.required else "nej", column.help])
        choices = _choices(column, ref)
        if not choices:
            continue
        code_col += 1
        letter = get_column_letter(code_col)
        codes.cell(row=1, column=code_col, value=column.name)
        for row, choice in enumerate(choices, start=2):
            codes.cell(row=row, column=code_col, value=choice)
        check = DataValidation(type="list", formula1=f"=Koder!${letter}$2:${letter}${len(choices) + 1}",
                               allow_blank=not column.required, showErrorMessage=False)
        check.prompt, check.promptTitle = column.help[:250], column.name[:32]
        sheet.add_data_validation(check)
        target = get_column_letter(index)
        check.add(f"{target}2:{target}{_ROWS + 1}")
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
