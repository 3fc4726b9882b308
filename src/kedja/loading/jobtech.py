r"""Job ads in JobTech's format → vacancies: JobSearch answers and the historical-ads files.

Arbetsförmedlingen publishes its ads (Platsbanken) through JobTech: the JobSearch API answers
``{"total": …, "hits": [ad, …]}`` and the historical-ads dumps hold one ad per line (JSON
lines) or a JSON list. An ad carries, among much else::

    id, headline, publication_date, application_deadline, number_of_vacancies, removed,
    employer {name, organization_number},
    occupation_group {concept_id, legacy_ams_taxonomy_id},
    workplace_address {municipality_code, municipality},
    scope_of_work {min, max}, driving_license [{label}]

The occupation group's concept id is mapped to SSYK 2012 through the taxonomy pack (each
SSYK group records its JobTech concept id); the legacy id, which is the SSYK code, is the
fallback. Ads outside the region are counted, not loaded; a removed ad is counted too; an ad
seen twice (the dumps repeat ads that were edited) is taken once, the later version winning.

Examples:
    >>> ads = read_ads(b'{"id": "1", "headline": "Kock"}\n{"id": "2", "headline": "Stad"}')
    >>> [a["id"] for a in ads]
    ['1', '2']
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from kedja.core.errors import InvalidInput
from kedja.core.validation import organisation_number
from kedja.loading.kinds import Kind
from kedja.loading.records import build_record
from kedja.loading.reference import Reference
from kedja.loading.validate import Problem, Record, Validation

__all__ = ["JobtechBatch", "ads_to_validation", "read_ads"]


def read_ads(data: bytes) -> list[dict[str, Any]]:
    """The ads of a JobSearch answer, a JSON list or JSON lines.

    Raises:
        InvalidInput: neither (the line that fails is named).
    """
    text = data.decode("utf-8-sig").strip()
    if not text:
        return []
    if text[0] in "[{":
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError:
            parsed = None
        if isinstance(parsed, list):
            return [a for a in parsed if isinstance(a, dict)]
        if isinstance(parsed, dict):
            return list(parsed["hits"]) if "hits" in parsed else [parsed]
    ads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            ads.append(json.loads(line))
        except json.JSONDecodeError as error:
            raise InvalidInput(f"line {number} is not JSON ({error.msg})", field="file", value=line[:60],
                               location=f"line {number}",
                               hint="give JobTech's JSON: one ad per line, a list, or a JobSearch "
                                    "answer") from None
    return ads


@dataclass(frozen=True)
class JobtechBatch:
    """What the ads held besides the vacancies: counts for the report."""

    ads: int
    duplicates: int
    removed: int
    outside_region: int


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _org_number(value: Any) -> str | None:
    if not value:
        return None
    try:
        return organisation_number(str(value))
    except InvalidInput:
        return None


def _values(ad: dict[str, Any], ssyk: str, municipality: str) -> dict[str, Any]:
    employer = ad.get("employer") or {}
    scope = (ad.get("scope_of_work") or {}).get("max")
    hours = max(1, min(60, round(40 * scope / 100))) if isinstance(scope, int | float) and scope else 40
    starts, ends = _day(ad.get("publication_date")), _day(ad.get("application_deadline"))
    licences = tuple(sorted({str(d.get("label", "")).strip() for d in ad.get("driving_license") or ()
                             if isinstance(d, dict)} - {""}))
    return {
        "external_id": str(ad["id"]), "title": str(ad.get("headline") or "").strip()[:255] or ssyk,
        "occupation": ssyk, "municipality": municipality,
        "employer_org_number": _org_number(employer.get("organization_number")),
        "employer_name": str(employer.get("name") or "").strip()[:255],
        "capacity": max(1, int(ad.get("number_of_vacancies") or 1)), "hours_per_week": hours,
        "starts": starts, "ends": ends if ends is None or starts is None or ends >= starts else starts,
        "driving_licences": tuple(x for x in licences if x in _LICENCES),
    }


_LICENCES = {"AM", "A1", "A2", "A", "B", "BE", "C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"}


def _ssyk(ad: dict[str, Any], ref: Reference) -> str | None:
    group = ad.get("occupation_group") or {}
    code = ref.jobtech_occupations.get(str(group.get("concept_id") or ""))
    if code is None:
        legacy = str(group.get("legacy_ams_taxonomy_id") or "")
        code = legacy if legacy in ref.occupations else None
    return code


def _latest(ads: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
    by_id: dict[str, dict[str, Any]] = {}
    for ad in ads:
        by_id[str(ad.get("id"))] = ad  # a later line is a later version of the ad
    return list(by_id.values()), len(ads) - len(by_id)


def ads_to_validation(ads: list[dict[str, Any]], ref: Reference, *,
                      filename: str = "jobtech") -> tuple[Validation, JobtechBatch]:
    """The region's vacancies among ``ads`` as checked records, and what was left out."""
    unique, duplicates = _latest([a for a in ads if a.get("id") is not None])
    result = Validation(Kind.OPPORTUNITIES, filename, rows=len(unique))
    removed = outside = 0
    for line, ad in enumerate(unique, start=1):
        if ad.get("removed"):
            removed += 1
            continue
        address = ad.get("workplace_address") or {}
        municipality = ref.municipality(str(address.get("municipality_code") or "")) or \
            ref.municipality(str(address.get("municipality") or ""))
        if municipality is None:
            outside += 1
            continue
        problems = _checked(ad, line, municipality, ref, result)
        result.problems.extend(problems)
    if duplicates:
        result.notes.append(f"{duplicates} ads appeared more than once; the last version of each was read")
    result.notes.extend(n for n, c in ((f"{removed} removed ads skipped", removed),
                                       (f"{outside} ads outside the region skipped", outside)) if c)
    return result, JobtechBatch(len(ads), duplicates, removed, outside)


def _checked(ad: dict[str, Any], line: int, municipality: str, ref: Reference,
             result: Validation) -> list[Problem]:
    ad_id = str(ad["id"])
    ssyk = _ssyk(ad, ref)
    if ssyk is None:
        group = ad.get("occupation_group") or {}
        return [Problem(line, "occupation_group", str(group.get("concept_id") or ""),
                        f"of ad {ad_id} maps to no SSYK group of the taxonomy",
                        "import the JobTech taxonomy (kedja import jobtech) or check the ad")]
    values = _values(ad, ssyk, municipality)
    if values["employer_org_number"] is None:
        return [Problem(line, "employer.organization_number",
                        str((ad.get("employer") or {}).get("organization_number") or ""),
                        f"of ad {ad_id} is missing or not an organisation number",
                        "the ad cannot be tied to an employer; it is skipped")]
    try:
        build_record(Kind.OPPORTUNITIES, values, entity_id="NEW", organisation_id="ORG")
    except InvalidInput as error:
        return [Problem(line, error.field or "ad", ad_id, error.message, error.hint or "check the ad")]
    result.records.append(Record(line, values))
    return []
