"""Hand-written catalogues the demo generator draws from: names, ASF services, courses, investments.

These are synthetic; only the region's facts come from the packs. The establishments are
inspired by the kinds of green-industry investment announced in upper Norrland (battery cells,
fossil-free steel, hydrogen, mining), with headcounts invented for the demo.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ASF_SERVICES",
    "COURSES",
    "EMPLOYER_WORDS",
    "ESTABLISHMENTS",
    "WORKPLACE_COURSES",
    "CourseTemplate",
    "EstablishmentTemplate",
]

EMPLOYER_WORDS: dict[str, tuple[str, ...]] = {
    "care": ("Omsorg", "Vård & Omsorg", "Hemtjänst", "Assistans", "Vårdcentral"),
    "education": ("Friskola", "Förskola", "Utbildning", "Montessori"),
    "construction": ("Bygg", "Bygg & Montage", "Entreprenad", "Mark & Anläggning", "Snickeri"),
    "industry": ("Mekaniska", "Verkstad", "Industriservice", "Plåt", "Svets & Montage"),
    "mining": ("Gruvservice", "Bergteknik", "Mineral", "Bergborrning"),
    "energy": ("Energi", "Kraft", "Elnät", "Vindservice"),
    "transport": ("Åkeri", "Transport", "Logistik", "Buss"),
    "it": ("IT-konsult", "Data", "Systemutveckling", "Digital"),
    "hospitality": ("Hotell", "Restaurang", "Fjällturism", "Café & Bageri"),
    "cleaning": ("Städ", "Lokalvård", "Fastighetsservice"),
    "retail": ("Handel", "Livs", "Järn & Fritid", "Bilhandel"),
    "office": ("Redovisning", "Konsult", "Administration"),
    "agriculture": ("Skog", "Skogsentreprenad", "Lantbruk", "Rennäring & Natur"),
    "public": ("Räddningstjänst", "Samhällsservice"),
    "other": ("Service", "Partner", "Group"),
}
"""Words for synthetic employer names, by sector."""

ASF_SERVICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("städ", ("9111", "9119")),
    ("catering", ("9412", "5120")),
    ("snickeri", ("7111",)),
    ("återvinning", ("9610",)),
    ("fastighetsskötsel", ("5152", "9111")),
    ("tvätteri", ("9119", "9111")),
    ("second hand", ("5221",)),
    ("trädgård och grönyta", ("6113",)),
    ("flytt och transport", ("9332", "8321")),
    ("cykel- och småmotorverkstad", ("7231",)),
    ("kafé", ("5131", "9412")),
)
"""Services an ASF sells to businesses, with the SSYK groups its placements train for."""


@dataclass(frozen=True)
class CourseTemplate:
    """A course a provider of the right kind gives."""

    title: str
    leads_to: tuple[str, ...]
    weeks: int
    provider_kind: str  # "komvux", "folkhogskola" or "yh"
    seats: int
    cost_sek: int
    swedish_level: str | None = "B1"
    min_education_level: str | None = None
    requires_experience_in: tuple[str, ...] = ()
    everywhere: bool = False
    distance: bool = False
    max_swedish_level: str | None = None
    """Set for courses in Swedish as a second language: open to learners only."""
    """Can be taken partly or wholly at a distance (theory-heavy courses only)."""
    """Offered by every municipality's adult education (Komvux), as SFI and upper-secondary
    courses are by law."""


COURSES: tuple[CourseTemplate, ...] = (
    CourseTemplate("Vård- och omsorgsutbildning, undersköterska", ("5321",), 60, "komvux", 30, 90_000,
                   everywhere=True),
    CourseTemplate("Vårdbiträde, introduktion", ("5330", "5342"), 20, "komvux", 24, 40_000, "A2"),
    CourseTemplate("Barnskötare", ("5311",), 40, "komvux", 20, 60_000),
    CourseTemplate("Elevassistent", ("5312",), 30, "folkhogskola", 16, 50_000),
    CourseTemplate("Svetsutbildning, grund", ("7212",), 26, "komvux", 12, 80_000, "A2"),
    CourseTemplate("Industriteknik och automation", ("8129", "7233"), 40, "yh", 25, 110_000,
                   min_education_level="3"),
    CourseTemplate("Processoperatör, basindustri", ("8129", "8193", "8112"), 36, "yh", 30, 100_000,
                   min_education_level="3"),
    CourseTemplate("Gruvteknik och bergarbete", ("8111", "8113"), 30, "yh", 20, 120_000,
                   min_education_level="3"),
    CourseTemplate("Truckkort och lager", ("8344", "4322"), 6, "komvux", 30, 15_000, "A2"),
    CourseTemplate("Yrkesförare godstrafik, CE", ("8332",), 30, "komvux", 16, 140_000),
    CourseTemplate("Bussförare", ("8331",), 24, "komvux", 12, 120_000),
    CourseTemplate("Elteknik, installationselektriker", ("7411",), 60, "komvux", 16, 130_000),
    CourseTemplate("Bygg och anläggning", ("7111", "7114", "9310"), 40, "komvux", 20, 100_000),
    CourseTemplate("Restaurang och storkök", ("5120", "9412"), 30, "komvux", 18, 60_000, "A2"),
    CourseTemplate("Lokalvård med branschcertifikat", ("9111",), 10, "folkhogskola", 20, 20_000, "A1"),
    CourseTemplate("Specialistsjuksköterska", ("2223", "2224", "2226"), 52, "yh", 15, 150_000, "C1",
                   min_education_level="5", requires_experience_in=("2221",), distance=True),
    CourseTemplate("Mjukvaruutveckling", ("2512", "2514"), 80, "yh", 30, 160_000, "B2",
                   min_education_level="3", distance=True),
    CourseTemplate("Drifttekniker, IT", ("3511", "3512"), 40, "yh", 20, 100_000, "B2",
                   min_education_level="3", distance=True),
    CourseTemplate("Battericellsproduktion", ("8213", "8129", "3115"), 30, "yh", 40, 110_000,
                   min_education_level="3"),
    CourseTemplate("Underhållstekniker, industri", ("7233", "7231"), 40, "yh", 25, 120_000,
                   min_education_level="3"),
    CourseTemplate("Skogsmaskinförare", ("8341",), 36, "folkhogskola", 12, 150_000),
    CourseTemplate("Förskollärare, behörighetsgivande", ("2343",), 80, "yh", 10, 180_000, "C1",
                   min_education_level="3", requires_experience_in=("5311",), distance=True),
    CourseTemplate("Svenska från start med yrkesinriktning", ("9111", "5330", "9412"), 26,
                   "folkhogskola", 24, 30_000, "A1", distance=True, max_swedish_level="B1"),
    CourseTemplate("Allmän kurs, gymnasiebehörighet", (), 40, "folkhogskola", 30, 60_000, "A2",
                   distance=True),
    CourseTemplate("Gymnasial vuxenutbildning, grundbehörighet", (), 40, "komvux", 15, 50_000, "A2",
                   everywhere=True),
    CourseTemplate("SFI med yrkesinriktning", ("9111", "5330", "9412"), 30, "komvux", 12, 30_000,
                   "A1", everywhere=True, max_swedish_level="B1"),
    CourseTemplate("Personlig assistent", ("5343",), 16, "folkhogskola", 20, 30_000, distance=True),
    CourseTemplate("Kundtjänst och handel", ("5223", "4222"), 20, "komvux", 20, 40_000, distance=True),
    CourseTemplate("Specialistundersköterska, akutsjukvård", ("5323",), 40, "yh", 30, 70_000, "B2",
                   min_education_level="3", requires_experience_in=("5321",), distance=True),
)
"""Courses, with the occupation groups they lead to."""

WORKPLACE_COURSES: tuple[CourseTemplate, ...] = (
    CourseTemplate("Butikschef", ("5221",), 40, "yh", 25, 80_000, "B2",
                   requires_experience_in=("5222", "5223", "5230"), distance=True),
    CourseTemplate("Redovisningsekonom", ("3313",), 80, "yh", 30, 120_000, "B2",
                   min_education_level="3", requires_experience_in=("4111", "4119"), distance=True),
    CourseTemplate("Löneadministratör", ("4112",), 40, "yh", 25, 70_000, "B2",
                   requires_experience_in=("4119", "4111"), distance=True),
    CourseTemplate("Automationstekniker", ("3113", "3114"), 80, "yh", 25, 140_000, "B2",
                   requires_experience_in=("7231", "7233", "7411"), distance=True),
    CourseTemplate("Arbetsledare bygg och anläggning", ("3121",), 60, "yh", 25, 110_000, "B2",
                   requires_experience_in=("7111", "7114", "7125", "7411", "8342"), distance=True),
    CourseTemplate("Transportledare", ("4323",), 40, "yh", 25, 90_000, "B2",
                   requires_experience_in=("4322", "8332", "8331", "8321", "8329"), distance=True),
    CourseTemplate("Kock, lärlingsutbildning", ("5120",), 40, "komvux", 20, 70_000, "A2",
                   requires_experience_in=("9412", "5131"), distance=True),
    CourseTemplate("Arbetsledare lokalvård", ("5151",), 20, "folkhogskola", 20, 40_000, "A2",
                   requires_experience_in=("9111", "9119"), distance=True),
    CourseTemplate("Utredare, offentlig förvaltning", ("2422",), 60, "yh", 25, 100_000, "C1",
                   min_education_level="3", requires_experience_in=("3333", "2661"), distance=True),
)
"""Vocational-college (YH) programmes that employers use to move their own staff up, each asking
for work experience in the occupations it builds on (as such programmes commonly do): a shop
assistant to shop manager, an office assistant to accountant or payroll administrator, a
mechanic or electrician to automation technician, a builder to site supervisor, a warehouse
worker or driver to transport planner, a kitchen assistant to cook (an apprenticeship at the
workplace), a cleaner to cleaning supervisor, an employment officer or social worker to
public-sector analyst.
Given at a distance or at the workplace with days on site (``remote_share`` 0.5), as is common
in the north."""


@dataclass(frozen=True)
class EstablishmentTemplate:
    """A green-industry investment with a headcount ramp and occupation mix."""

    name: str
    municipality_code: str
    headcount_by_year: dict[int, int]
    occupation_mix: dict[str, float]
    description: str


ESTABLISHMENTS: tuple[EstablishmentTemplate, ...] = (
    EstablishmentTemplate(
        "Battericellsfabrik Skellefteå", "2482",
        {2025: 1500, 2027: 2500, 2030: 3200, 2035: 3500},
        {"8129": 0.30, "8213": 0.30, "7233": 0.12, "3113": 0.06, "3115": 0.06, "4322": 0.06,
         "7411": 0.04, "2512": 0.03, "3512": 0.03},
        "Cell manufacturing for electric vehicles; operators, maintenance and engineers.",
    ),
    EstablishmentTemplate(
        "Fossilfritt stålverk Boden", "2582",
        {2026: 300, 2027: 900, 2029: 1500, 2032: 1800},
        {"8129": 0.35, "8193": 0.2, "7233": 0.15, "7212": 0.07, "7411": 0.07, "3113": 0.06,
         "2146": 0.05, "8344": 0.05},
        "Hydrogen-reduced iron and steel production with its own electrolysers.",
    ),
    EstablishmentTemplate(
        "Omställning stålverk och vätgas Luleå", "2580",
        {2026: 200, 2028: 600, 2031: 1200, 2035: 1400},
        {"8129": 0.3, "8193": 0.2, "7233": 0.15, "7411": 0.1, "3113": 0.1, "2146": 0.1,
         "2512": 0.05},
        "Conversion of blast-furnace steelmaking to electric arc furnaces and hydrogen supply.",
    ),
    EstablishmentTemplate(
        "Gruvutbyggnad och samhällsomvandling Kiruna", "2584",
        {2025: 400, 2027: 800, 2030: 1300, 2035: 1500},
        {"8111": 0.35, "8115": 0.1, "7233": 0.15, "8332": 0.1, "7111": 0.08, "8342": 0.08,
         "7411": 0.07, "2142": 0.07},
        "Deeper mining levels and the move of the town centre: miners, builders and drivers.",
    ),
    EstablishmentTemplate(
        "Utvidgad gruvdrift och järnsvampsproduktion Gällivare", "2523",
        {2026: 300, 2028: 700, 2031: 1100, 2035: 1200},
        {"8111": 0.3, "8112": 0.15, "8129": 0.15, "7233": 0.15, "8332": 0.1, "7411": 0.1,
         "3116": 0.05},
        "Expanded mining and fossil-free sponge-iron production in Malmfälten.",
    ),
)
"""The demo region's large investments."""
