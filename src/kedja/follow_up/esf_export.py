"""The ESF+ indicators as the workbook Swedish ESF+ funders expect (Swedish labels, codes).

One sheet per indicator group (status at entry, age, education, disadvantages, results upon
leaving, results six months after leaving), each table with its ESF+ codes, people by gender
and category with an explicit ``Okänt`` column and totals; a hidden figure is an empty cell.
A last sheet, ``Källor och definitioner``, gives each indicator's definition in Kedja, the
regulation and the protection.

The labels are Swedish: the workbook is a report to a Swedish funder (Svenska ESF-rådet), and
the indicators page shows the same labels (:data:`ESF_LABELS`), so the two never differ.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font

from kedja.core.spreadsheets import safe_row
from kedja.follow_up.esf import ESF_GROUPS, ESF_INDICATORS
from kedja.follow_up.exports import table_rows
from kedja.follow_up.indicators import IndicatorTable
from kedja.follow_up.perturbation import MAX_DEVIATION
from kedja.follow_up.suppression import THRESHOLD

__all__ = ["ESF_DEFINITIONS", "ESF_LABELS", "ESF_TITLES", "EsfReportMeta", "derived_total",
           "esf_xlsx"]

REGULATION = ("Förordning (EU) 2021/1057 om Europeiska socialfonden+ (ESF+), bilaga I, "
              "punkt 1 (gemensamma utfallsindikatorer för deltagare) och punkt 2–3 "
              "(gemensamma resultatindikatorer)")

ESF_GROUP_NAMES = {
    "status": "Status vid start", "age": "Ålder", "education": "Utbildningsnivå",
    "disadvantages": "Missgynnade grupper", "on_leaving": "Resultat vid avslut",
    "six_months": "Resultat efter sex månader",
}

ESF_TITLES = {
    "esf_status_at_entry": "Deltagare efter arbetsmarknadsstatus vid start; totalen är antalet "
                           "deltagare (EECO11)",
    "esf_age": "Deltagare efter ålder vid start",
    "esf_isced": "Deltagare efter högsta utbildningsnivå (ISCED 2011)",
    "esf_disability": "Deltagare med funktionsnedsättning",
    "esf_foreign_background": "Deltagare med utländsk bakgrund (född utomlands)",
    "esf_job_searching_on_leaving": "Deltagare som söker arbete vid avslut",
    "esf_education_on_leaving": "Deltagare i utbildning vid avslut",
    "esf_qualification_on_leaving": "Deltagare som fått en kvalifikation vid avslut",
    "esf_employment_on_leaving": "Deltagare i arbete, inkl. egenföretagare, vid avslut",
    "esf_employment_6m": "Deltagare i arbete, inkl. egenföretagare, sex månader efter avslut",
    "esf_better_situation_6m": "Deltagare med bättre situation på arbetsmarknaden sex månader "
                               "efter avslut (de som var sysselsatta vid start)",
}

ESF_LABELS = {
    "unemployed": "Arbetslösa, ej långtids", "long_term_unemployed": "Långtidsarbetslösa (EECO02)",
    "inactive": "Inaktiva (EECO03)", "employed": "Sysselsatta inkl. egenföretagare (EECO04)",
    "under_18": "Under 18 år (EECO05)", "18_29": "18–29 år (EECO06)", "30_54": "30–54 år",
    "55_plus": "55 år och äldre (EECO07)", "isced_0_2": "ISCED 0–2 (EECO08)",
    "isced_3_4": "ISCED 3–4 (EECO09)", "isced_5_8": "ISCED 5–8 (EECO10)",
    "yes": "Ja", "no": "Nej", "unknown": "Okänt", "female": "Kvinnor", "male": "Män",
    "other": "Annat", "total": "Totalt", "gender": "Kön",
    "unemployed_all": "Arbetslösa inkl. långtidsarbetslösa (EECO01)",
}

ESF_DEFINITIONS = {
    "esf_status_at_entry": "Personens registrerade status när den gällt sedan start i insatsen "
                           "(annars Okänt). Långtidsarbetslös: arbetslös mer än 12 månader före "
                           "start (6 månader för den under 25 år); arbetslös utan känt datum "
                           "räknas som arbetslös, ej långtids. EECO01 = arbetslösa + "
                           "långtidsarbetslösa.",
    "esf_age": "Ålder vid start: startåret minus födelseåret. 30–54 år ingår inte i ESF+ men "
               "gör att kolumnerna summerar.",
    "esf_isced": "Högsta utbildning enligt SUN 2020, första siffran: 0–2 → ISCED 0–2, "
                 "3–4 → ISCED 3–4, 5–6 → ISCED 5–8. SUN 4 (eftergymnasial kortare än två år) "
                 "omfattar ISCED 4 och 5 och räknas i 3–4.",
    "esf_disability": "Uppgift om funktionsnedsättning i de skyddade uppgifterna (EECO12); "
                      "saknas uppgiften: Okänt.",
    "esf_foreign_background": "Född utomlands, som närmaste uppgift till utländsk bakgrund "
                              "(EECO14); saknas uppgiften: Okänt.",
    "esf_job_searching_on_leaving": "Registreras inte i Kedja: alla avslutade räknas som Okänt "
                                    "(EECR01).",
    "esf_education_on_leaving": "Avslut till studier = Ja; till arbete, annan insats eller annat "
                                "= Nej; okänd destination = Okänt (EECR02).",
    "esf_qualification_on_leaving": "Registreras inte i Kedja: alla avslutade räknas som Okänt "
                                    "(EECR03).",
    "esf_employment_on_leaving": "Avslut till arbete eller subventionerat arbete = Ja; till "
                                 "studier, annan insats eller annat = Nej; okänd destination "
                                 "= Okänt (EECR04).",
    "esf_employment_6m": "Avslut under perioden vars 180:e dag efter avslut passerats vid "
                         "slutet av senaste hela månaden. I arbete vid uppföljningen efter 180 dagar = Ja; "
                         "studier, arbetslös eller utanför arbetskraften = Nej; ingen eller okänd "
                         "uppföljning = Okänt, och räknas i nämnaren (EECR05).",
    "esf_better_situation_6m": "Bara de som var sysselsatta vid start. Inte i arbete efter 180 "
                               "dagar = Nej; annars Okänt, eftersom Kedja inte registrerar "
                               "anställningens kvalitet (EECR06).",
}


@dataclass(frozen=True, slots=True)
class EsfReportMeta:
    """What the workbook covers."""

    start: date | None
    end: date
    organisation_id: str | None
    organisation_name: str


def derived_total(table: IndicatorTable, columns: Sequence[str], row: int | None) -> int | None:
    """The sum of published cells of a row (``None``: the margins), ``None`` if one is hidden.

    Examples:
        >>> import numpy as np
        >>> from kedja.follow_up.indicators import Cells, count_table
        >>> from kedja.follow_up.suppression import SmallCellSuppression
        >>> cells = Cells()
        >>> for k in range(12): cells.add("female", "a" if k < 7 else "b", k)
        >>> t = count_table("x", "gender", cells, ["female"], ["a", "b"], SmallCellSuppression())
        >>> derived_total(t, ["a", "b"], 0), derived_total(t, ["a", "b"], None)
        (12, 12)
    """
    values = table.published.cells[row] if row is not None else table.published.column_totals
    picked = [values[table.columns.index(c)] for c in columns]
    return None if any(v is None for v in picked) else sum(v for v in picked if v is not None)


def _write_table(sheet, table: IndicatorTable, code: str) -> None:  # type: ignore[no-untyped-def]
    sheet.append(safe_row([f"{ESF_TITLES[table.indicator]} – {code}"]))
    sheet.cell(sheet.max_row, 1).font = Font(bold=True)
    status = table.indicator == "esf_status_at_entry"
    header = [ESF_LABELS["gender"], *(ESF_LABELS[c] for c in table.columns), ESF_LABELS["total"]]
    sheet.append(safe_row(header + ([ESF_LABELS["unemployed_all"]] if status else [])))
    pair = ("unemployed", "long_term_unemployed")
    for k, (group, cells, total, _) in enumerate(table_rows(table)):
        row: list[object] = [ESF_LABELS.get(group, group), *cells, total]
        if status:
            row.append(derived_total(table, pair, None if group == "total" else k))
        sheet.append(safe_row(row))
    sheet.append([])


def _definitions(book: Workbook, meta: EsfReportMeta) -> None:
    sheet = book.create_sheet("Källor och definitioner")
    period = f"{meta.start.isoformat() if meta.start else 'från början'} – {meta.end.isoformat()}"
    who = f"{meta.organisation_name} ({meta.organisation_id})" if meta.organisation_id else \
        "Hela regionen"
    for line in (["ESF+ gemensamma indikatorer för deltagare"], ["Period", period],
                 ["Organisation", who], ["Källa", REGULATION],
                 ["Underlag", "Kedjas inskrivningar (deltagande i insatser) som överlappar "
                              "perioden, med avslut och uppföljningar; varje person räknas en "
                              "gång per tabell (första start, sista avslut under perioden)."],
                 ["Skydd", f"Cell-key-metoden: varje tal har ett litet brus (högst "
                           f"±{MAX_DEVIATION}) som är detsamma när samma personer räknas, så "
                           "ingen kan pekas ut genom att jämföra perioder eller tabeller; tal "
                           f"under {THRESHOLD} döljs (tom cell). Totaler behöver inte summera "
                           "exakt. Perioder är hela kalendermånader."],
                 ["Okänt", "Uppgift saknas eller är okänd. Okänt ingår alltid i totalen och i "
                           "nämnaren för andelar."],
                 [], ["Kod", "Indikator", "Definition i Kedja"]):
        sheet.append(safe_row(line))
    sheet.cell(1, 1).font = Font(bold=True)
    for indicator in ESF_INDICATORS:
        sheet.append(safe_row([indicator.codes, ESF_TITLES[indicator.indicator],
                               ESF_DEFINITIONS[indicator.indicator]]))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 100


def esf_xlsx(tables: Sequence[IndicatorTable], meta: EsfReportMeta) -> bytes:
    """The workbook: a sheet per indicator group, then ``Källor och definitioner``."""
    book = Workbook()
    book.remove(book.active)
    by_name = {t.indicator: t for t in tables}
    for group in ESF_GROUPS:
        sheet = book.create_sheet(ESF_GROUP_NAMES[group])
        sheet.column_dimensions["A"].width = 14
        for indicator in ESF_INDICATORS:
            if indicator.group == group and indicator.indicator in by_name:
                _write_table(sheet, by_name[indicator.indicator], indicator.codes)
    _definitions(book, meta)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
