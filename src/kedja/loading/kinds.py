"""What each kind of file holds: its columns, their types, which are required, and help text.

One :class:`Column` list per kind drives everything a user sees: the validation, the XLSX
template (headers, help, drop-down lists), the example CSV and the data-quality view.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["KINDS", "Column", "Kind", "ValueType", "columns_of", "kind_of"]


class Kind(StrEnum):
    """The kinds of file Kedja loads."""

    PEOPLE = "people"
    EMPLOYEES = "employees"
    OPPORTUNITIES = "opportunities"
    COURSES = "courses"
    ORGANISATIONS = "organisations"
    PLACES = "places"


class ValueType(StrEnum):
    """How a cell is read."""

    TEXT = "text"
    NAME = "name"
    PERSONAL_NUMBER = "personal_number"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    MUNICIPALITY = "municipality"
    LOCALITY = "locality"
    SSYK = "ssyk"
    SSYK_LIST = "ssyk_list"
    SKILLS = "skills"
    LANGUAGES = "languages"
    CODE = "code"
    CODE_LIST = "code_list"
    ORG_NUMBER = "org_number"


@dataclass(frozen=True)
class Column:
    """One column of a file kind."""

    name: str
    type: ValueType
    required: bool
    help: str
    """Swedish help text, shown in the template and the report."""
    example: tuple[str, str] = ("", "")
    """The values of the example file's two rows."""
    codes: tuple[str, ...] = ()
    """The allowed codes of a CODE or CODE_LIST column."""
    aliases: tuple[str, ...] = ()
    """Other header names read as this column (Swedish names, common spellings)."""


STATUSES = ("unemployed", "outside_labour_force", "employed")
SUPPORT = ("wage_subsidy", "introduction_programme", "job_and_development_guarantee",
           "youth_guarantee", "supported_employment", "municipal_measure", "sfi")
LICENCES = ("AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE")
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
SUN = ("1", "2", "3", "4", "5", "6")
ORG_KINDS = ("employer", "asf", "municipality", "employment_service", "education_provider",
             "business_org")
PLACE_KINDS = ("asf_placement", "internship")

_ID = Column("external_id", ValueType.TEXT, True,
             "Er egen id för raden (ärendenummer, löpnummer). Samma id igen uppdaterar raden.",
             ("A-1001", "A-1002"), aliases=("id", "extern_id", "ärendenummer"))
_NAME = Column("name", ValueType.NAME, True, "Personens namn som det ska visas.",
               ("Anna Lindqvist", "Yusuf Ahmed"), aliases=("namn", "display_name"))
_PNR = Column("personal_number", ValueType.PERSONAL_NUMBER, False,
              "Personnummer eller samordningsnummer, ÅÅÅÅMMDD-NNNN. Lagras krypterat.",
              ("19900412-2389", "19850923-9813"), aliases=("personnummer", "pnr", "samordningsnummer"))
_MUN = Column("municipality", ValueType.MUNICIPALITY, True,
              "Kommunkod (fyra siffror) eller kommunens namn.", ("2580", "Piteå"),
              aliases=("kommun", "kommunkod", "municipality_code"))
_LOC = Column("locality", ValueType.LOCALITY, False, "Tätort i kommunen (namn).",
              ("Luleå", ""), aliases=("ort", "tätort"))
_LICENCES = Column("driving_licences", ValueType.CODE_LIST, False,
                   "Körkortsbehörigheter, åtskilda med semikolon, t.ex. B;C.", ("B", ""),
                   LICENCES, aliases=("körkort",))
_LANG = Column("languages", ValueType.LANGUAGES, False,
               "Språk med nivå (CEFR), t.ex. `sv:B1;ar:native`.", ("sv:native;en:B2", "sv:A2;ar:native"),
               aliases=("språk",))
_SKILLS = Column("skills", ValueType.SKILLS, False,
                 "Kompetenser ur taxonomin (namn eller id), åtskilda med semikolon.",
                 ("", ""), aliases=("kompetenser",))
_SUN = Column("sun_level", ValueType.CODE, False,
              "Högsta utbildning, SUN 2020 nivå: 1–2 grundskola, 3 gymnasium, 4–5 eftergymnasial, "
              "6 forskarutbildning.", ("3", "2"), SUN, aliases=("utbildningsnivå",))
_CONSENT = Column("consent_date", ValueType.DATE, False,
                  "Datum då personen samtyckte till att er organisation hanterar uppgifterna. "
                  "Krävs när en organisation läser in.", ("2026-10-01", "2026-10-15"),
                  aliases=("samtycke", "samtycke_datum"))
_START = Column("starts", ValueType.DATE, False, "Startdatum, ÅÅÅÅ-MM-DD.", ("2027-01-10", ""),
                aliases=("start", "startdatum"))
_END = Column("ends", ValueType.DATE, False, "Slutdatum eller sista ansökningsdag, ÅÅÅÅ-MM-DD.",
              ("2027-06-10", ""), aliases=("slut", "slutdatum", "sista_ansökningsdag"))
_CAP = Column("capacity", ValueType.INT, False, "Antal platser (1 om tomt).", ("2", "1"),
              aliases=("platser", "antal"))
_HOURS = Column("hours_per_week", ValueType.INT, False, "Timmar per vecka (40 om tomt).",
                ("40", "30"), aliases=("timmar",))

KINDS: dict[Kind, tuple[Column, ...]] = {
    Kind.PEOPLE: (
        _ID, _NAME, _PNR, _MUN, _LOC,
        Column("status", ValueType.CODE, True,
               "Läge på arbetsmarknaden: `unemployed` (arbetslös), `outside_labour_force` (utanför "
               "arbetskraften) eller `employed` (anställd).", ("unemployed", "outside_labour_force"),
               STATUSES, aliases=("läge", "status_kod")),
        Column("status_since", ValueType.DATE, False, "Sedan när, ÅÅÅÅ-MM-DD.",
               ("2026-03-01", "2025-08-15"), aliases=("sedan",)),
        Column("occupation", ValueType.SSYK, False,
               "Nuvarande yrke (SSYK 2012, fyra siffror); krävs för anställda.", ("", ""),
               aliases=("yrke",)),
        Column("past_occupation", ValueType.SSYK, False,
               "Tidigare yrke (SSYK 2012, fyra siffror, eller yrkets namn).", ("5321", "9412"),
               aliases=("tidigare_yrke",)),
        Column("past_years", ValueType.DECIMAL, False, "År i det tidigare yrket (decimalkomma går bra).",
               ("3,5", "1"), aliases=("år_i_yrket",)),
        _SUN, _LANG, _LICENCES, _SKILLS,
        Column("max_commute_minutes", ValueType.INT, False,
               "Längsta restid enkel väg i minuter (45 om tomt).",
               ("60", "30"), aliases=("restid",)),
        _HOURS,
        Column("available_from", ValueType.DATE, False, "Kan börja, ÅÅÅÅ-MM-DD.", ("", ""),
               aliases=("kan_börja",)),
        Column("preferred_occupations", ValueType.SSYK_LIST, False,
               "Önskade yrken (SSYK), åtskilda med semikolon.", ("5321", "9412;5120"),
               aliases=("önskade_yrken",)),
        Column("support_forms", ValueType.CODE_LIST, False, "Stödformer, åtskilda med semikolon.",
               ("", "introduction_programme"), SUPPORT, aliases=("stöd",)),
        _CONSENT,
    ),
    Kind.EMPLOYEES: (
        _ID, _NAME, _PNR, _MUN, _LOC,
        Column("occupation", ValueType.SSYK, True, "Yrke (SSYK 2012, fyra siffror).", ("5321", "9412"),
               aliases=("yrke",)),
        Column("employed_since", ValueType.DATE, False, "Anställd sedan, ÅÅÅÅ-MM-DD.",
               ("2015-02-01", "2022-09-01"), aliases=("anställd_sedan",)),
        Column("years_in_occupation", ValueType.DECIMAL, False, "År i yrket.", ("11", "4,5"),
               aliases=("år_i_yrket",)),
        _SUN, _LANG, _LICENCES, _SKILLS, _HOURS, _CONSENT,
    ),
    Kind.OPPORTUNITIES: (
        _ID,
        Column("title", ValueType.TEXT, True, "Rubrik.", ("Undersköterska natt", "Lokalvårdare"),
               aliases=("rubrik", "titel")),
        Column("occupation", ValueType.SSYK, True, "Yrke (SSYK 2012, fyra siffror, eller namn).",
               ("5321", "9111"), aliases=("yrke", "ssyk")),
        _MUN, _LOC,
        Column("employer_org_number", ValueType.ORG_NUMBER, False,
               "Arbetsgivarens organisationsnummer (tomt: er egen organisation).", ("", ""),
               aliases=("organisationsnummer", "orgnr")),
        Column("employer_name", ValueType.TEXT, False, "Arbetsgivarens namn, om den är ny för Kedja.",
               ("", ""), aliases=("arbetsgivare",)),
        _CAP, _HOURS,
        Column("remote_share", ValueType.DECIMAL, False, "Andel distansarbete 0–1 (0,5 = halva tiden).",
               ("0", "0"), aliases=("distans",)),
        _START, _END, _LICENCES, _SKILLS,
        Column("swedish_level", ValueType.CODE, False, "Lägsta svenska (CEFR).", ("B1", ""), CEFR,
               aliases=("svenska",)),
    ),
    Kind.COURSES: (
        _ID,
        Column("title", ValueType.TEXT, True, "Utbildningens namn.", ("Undersköterska", "Lastbilsförare"),
               aliases=("utbildningsnamn", "namn", "rubrik")),
        _MUN,
        Column("leads_to", ValueType.SSYK_LIST, True, "Yrken som utbildningen leder till (SSYK).",
               ("5321", "8332"), aliases=("leder_till", "yrken", "ssyk")),
        Column("weeks", ValueType.INT, True, "Längd i veckor.", ("40", "20"), aliases=("veckor",)),
        _CAP, _START, _END,
        Column("provider_org_number", ValueType.ORG_NUMBER, False,
               "Utbildningsanordnarens organisationsnummer (tomt: er egen).", ("", ""),
               aliases=("anordnare_orgnr",)),
        Column("provider_name", ValueType.TEXT, False, "Anordnarens namn, om den är ny för Kedja.",
               ("", ""), aliases=("anordnare", "utbildningsanordnare")),
        Column("cost_sek", ValueType.INT, False, "Kostnad per deltagare i kronor.", ("0", "0"),
               aliases=("kostnad",)),
        Column("min_education_level", ValueType.CODE, False, "Lägsta SUN-nivå för behörighet.",
               ("2", ""), SUN, aliases=("behörighet",)),
        _HOURS,
    ),
    Kind.ORGANISATIONS: (
        _ID,
        Column("name", ValueType.TEXT, True, "Organisationens namn.",
               ("Kustens Städ AB", "Arbetsgården ek. för."),
               aliases=("namn",)),
        Column("kind", ValueType.CODE, True, "Slag: employer, asf, municipality, employment_service, "
               "education_provider eller business_org.", ("employer", "asf"), ORG_KINDS,
               aliases=("slag", "typ")),
        Column("org_number", ValueType.ORG_NUMBER, True, "Organisationsnummer, NNNNNN-NNNN.",
               ("556036-0793", "769605-4431"), aliases=("organisationsnummer", "orgnr")),
        _MUN,
        Column("sni", ValueType.TEXT, False, "Bransch (SNI 2007).", ("81", "88"), aliases=("bransch",)),
        Column("placement_capacity", ValueType.INT, False, "ASF: antal praktikplatser.", ("", "12"),
               aliases=("platser",)),
    ),
    Kind.PLACES: (
        _ID,
        Column("title", ValueType.TEXT, True, "Platsens namn.", ("Café och kök", "Snickeri"),
               aliases=("rubrik", "namn")),
        Column("kind", ValueType.CODE, False, "asf_placement (plats hos ASF) eller internship (praktik).",
               ("asf_placement", "internship"), PLACE_KINDS, aliases=("slag",)),
        Column("occupation", ValueType.SSYK, False, "Yrke platsen tränar (SSYK).", ("5120", "7111"),
               aliases=("yrke",)),
        _MUN, _LOC, _CAP, _HOURS, _START, _END,
        Column("adaptations_offered", ValueType.TEXT, False,
               "Anpassningar som erbjuds, åtskilda med semikolon.",
               ("kortare dagar;handledare", ""), aliases=("anpassningar",)),
    ),
}


def kind_of(name: str) -> Kind:
    """The kind named ``name``; raises ``ValueError`` naming the kinds."""
    try:
        return Kind(name)
    except ValueError:
        raise ValueError(f"{name!r} is not a kind of file; use one of "
                         + ", ".join(k.value for k in Kind)) from None


def columns_of(kind: Kind) -> tuple[Column, ...]:
    """The columns of a kind, in template order."""
    return KINDS[kind]
