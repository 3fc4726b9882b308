"""Loading an organisation's own files: templates, mapping, upserts, identities at rest, erasure."""

from __future__ import annotations

import base64
import io
import os
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.access import Principal, Purpose, Role, operator_principal
from kedja.core.errors import ConfigurationError, Forbidden, InvalidInput
from kedja.core.organisations import Organisation, OrganisationKind
from kedja.loading import Kind, parse_mapping
from kedja.services import loading
from kedja.services.identity import person_identity, search_people
from kedja.services.privacy import erase_person
from kedja.services.regions import init_region
from kedja.store import repositories as repo
from kedja.store import session_scope
from kedja.store import tables as t

ASF = "ASF100"
COORDINATOR = Principal("u1", "coord@asf.se", ASF, OrganisationKind.ASF, frozenset({Role.COORDINATOR}))
OTHER = Principal("u2", "coord@other.se", "ASF200", OrganisationKind.ASF, frozenset({Role.COORDINATOR}))
ANALYST = Principal("u3", "an@asf.se", ASF, OrganisationKind.ASF, frozenset({Role.ANALYST}))


@pytest.fixture
def region(tmp_path: Path) -> Engine:
    engine = services.prepare_database(tmp_path / "own.db")
    init_region(engine)
    with session_scope(engine) as session:
        repo.save_organisations(session, [
            Organisation(ASF, "Arbetsgården", OrganisationKind.ASF, "2580", "802481-1138"),  # type: ignore[arg-type]
            Organisation("ASF200", "Verkstan", OrganisationKind.ASF, "2581")])  # type: ignore[arg-type]
    return engine


def _csv(rows: list[str], header: str | None = None) -> bytes:
    head = header or loading.kind_example(Kind.PEOPLE).splitlines()[0]
    return ("\n".join([head, *rows]) + "\n").encode()


def test_template_filled_by_hand_loads(region: Engine) -> None:
    book = load_workbook(io.BytesIO(loading.kind_template(Kind.PEOPLE, region)))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert {"external_id", "name", "personal_number", "municipality", "status"} <= set(headers)
    assert sheet.data_validations.dataValidation, "drop-down lists are missing"
    codes = [c.value for c in book["Koder"]["A"]]
    assert "2580 Luleå" in codes
    # a user fills two rows: a drop-down value ("2580 Luleå"), a typed name, a real date cell
    row = {"external_id": "K-1", "name": "Eva Marklund", "personal_number": "199004122389",
           "municipality": "2580 Luleå", "status": "unemployed", "status_since": date(2026, 2, 1),
           "past_occupation": "5321 Undersköterskor, hemtjänst, hemsjukvård, äldreboende och habilitering",
           "past_years": 2.5, "consent_date": date(2026, 10, 1)}
    sheet.append([row.get(h) for h in headers])
    sheet.append([{"external_id": "K-2", "name": "Omar Hassan", "municipality": "Piteå",
                   "status": "outside_labour_force", "consent_date": "2026-10-02"}.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    report = loading.load_file(region, Kind.PEOPLE, "filled.xlsx", out.getvalue(), principal=COORDINATOR)
    assert report.ok, report.problems
    assert (report.added, report.written) == (2, True)
    found = search_people(region, COORDINATOR, "marklund")
    assert [h.name for h in found] == ["Eva Marklund"]
    assert found[0].personal_number == "19900412-2389"


def test_every_problem_is_listed_and_nothing_written(region: Engine) -> None:
    data = _csv([
        "A1;Anna Berg;19900412-2388;2599;;unemployed;;;;;;;;;;;;;;2026-10-01",
        "A2;;;2580;Lulea;jobless;2026-13-01;;5321;tre;;sv:Z9;Q;;;;;;;",
        "A1;Per Ek;;Luleå;;employed;;;;;;;;;;;;;;2026-10-01",
    ])
    report = loading.load_file(region, Kind.PEOPLE, "bad.csv", data, principal=COORDINATOR)
    where = {(p.line, p.column) for p in report.problems}
    assert {(2, "personal_number"), (2, "municipality"), (3, "name"), (3, "status"),
            (3, "status_since"), (3, "past_years"), (3, "languages"), (3, "driving_licences"),
            (3, "consent_date"), (4, "external_id"), (4, "occupation")} <= where
    assert not report.written
    municipality = next(p for p in report.problems if p.column == "municipality")
    assert "2599" in municipality.value and municipality.fix
    with session_scope(region) as session:
        assert repo.count_rows(session, t.PersonRow) == 0


def test_skip_invalid_loads_the_good_rows(region: Engine) -> None:
    data = _csv(["A1;Anna Berg;;2580;;unemployed;;;;;;;;;;;;;;2026-10-01",
                 "A2;Bo Ek;;9999;;unemployed;;;;;;;;;;;;;;2026-10-01"])
    report = loading.load_file(region, Kind.PEOPLE, "p.csv", data, principal=COORDINATOR,
                               skip_invalid=True)
    assert (report.added, report.rejected, report.written) == (1, 1, True)
    assert [r.line for r in report.rejected_rows] == [3]


def test_dry_run_counts_and_writes_nothing(region: Engine) -> None:
    data = _csv(["A1;Anna Berg;;2580;;unemployed;;;;;;;;;;;;;;2026-10-01"])
    report = loading.load_file(region, Kind.PEOPLE, "p.csv", data, principal=COORDINATOR, dry_run=True)
    assert (report.added, report.written) == (1, False)
    with session_scope(region) as session:
        assert repo.count_rows(session, t.PersonRow) == 0


def test_windows_1252_comma_delimiter_and_mapping(region: Engine) -> None:
    text = ("Löpnr,Namn,Kommun,Status,Samtycke\n"
            "7,Åsa Öberg,Skellefteå,AL,2026-09-01\n"
            "8,Jörgen Nyström,Umeå,ANST,2026-09-01\n")
    mapping = parse_mapping('[columns]\n"Löpnr" = "external_id"\n"Status" = "status"\n'
                            '[codes.status]\nAL = "unemployed"\nUTA = "outside_labour_force"\n')
    report = loading.load_file(region, Kind.PEOPLE, "kommun.csv", text.encode("cp1252"),
                               principal=COORDINATOR, mapping=mapping)
    assert [(p.line, p.column, p.value) for p in report.problems] == [(3, "Status", "ANST")]
    assert "did you mean" in report.problems[0].fix or "allowed" in report.problems[0].reason
    fixed = text.replace("ANST", "UTA").encode("cp1252")
    report = loading.load_file(region, Kind.PEOPLE, "kommun.csv", fixed, principal=COORDINATOR,
                               mapping=mapping)
    assert report.ok and report.added == 2
    assert [h.name for h in search_people(region, COORDINATOR, "Åsa")] == ["Åsa Öberg"]


def test_identities_are_unreadable_in_the_file_and_erasure_removes_them(region: Engine,
                                                                        tmp_path: Path) -> None:
    data = _csv(["A1;Gunhild Wikström;19900412-2389;2580;;unemployed;;;;;;;;;;;;;;2026-10-01"])
    assert loading.load_file(region, Kind.PEOPLE, "p.csv", data, principal=COORDINATOR).written
    region.dispose()  # checkpoint the WAL into the file
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("own.db*"))
    for secret in ("Gunhild", "Wikström", "Wikstr", "19900412", "900412-2389", "9004122389"):
        assert secret.encode() not in raw and secret.encode("utf-16-le") not in raw
    [hit] = search_people(region, COORDINATOR, "19900412-2389")
    assert hit.name == "Gunhild Wikström"
    erase_person(region, operator_principal("tester"), hit.person_id, reason="art. 17 request")
    with session_scope(region) as session:
        assert session.scalars(select(t.PersonIdentityRow)).all() == []
    assert search_people(region, COORDINATOR, "19900412-2389") == []


def test_identity_is_shown_only_to_those_who_may_see_the_person(region: Engine) -> None:
    data = _csv(["A1;Gunhild Wikström;19900412-2389;2580;;unemployed;;;;;;;;;;;;;;2026-10-01"])
    loading.load_file(region, Kind.PEOPLE, "p.csv", data, principal=COORDINATOR)
    [hit] = search_people(region, COORDINATOR, "Gunhild")
    assert person_identity(region, COORDINATOR, hit.person_id, purpose=Purpose.CASE_MANAGEMENT)
    assert search_people(region, OTHER, "Gunhild") == []
    assert search_people(region, OTHER, "19900412-2389") == []
    with pytest.raises(Forbidden):
        person_identity(region, OTHER, hit.person_id, purpose=Purpose.CASE_MANAGEMENT)
    with pytest.raises(Forbidden):
        search_people(region, ANALYST, "Gunhild")
    with pytest.raises(InvalidInput):
        search_people(region, COORDINATOR, "19900412-2388")


def test_a_role_that_may_not_load_is_refused(region: Engine) -> None:
    with pytest.raises(Forbidden):
        loading.load_file(region, Kind.PEOPLE, "p.csv", _csv([]), principal=ANALYST)


def test_other_kinds_load_from_their_examples(region: Engine) -> None:
    for kind in (Kind.ORGANISATIONS, Kind.OPPORTUNITIES, Kind.COURSES, Kind.PLACES, Kind.EMPLOYEES):
        report = loading.load_file(region, kind, f"{kind.value}.csv",
                                   loading.kind_example(kind).encode(), organisation_id=ASF)
        assert report.ok, (kind, report.problems)
        assert report.added == 2, kind
        again = loading.load_file(region, kind, f"{kind.value}.csv",
                                  loading.kind_example(kind).encode(), organisation_id=ASF)
        assert again.unchanged == 2, (kind, again)


def test_quality_counts_coverage_unmapped_and_stale(region: Engine) -> None:
    from kedja.services.quality import data_quality

    loading.load_file(region, Kind.PEOPLE, "p.csv", loading.kind_example(Kind.PEOPLE).encode(),
                      principal=COORDINATOR)
    loading.load_file(region, Kind.OPPORTUNITIES, "o.csv",
                      loading.kind_example(Kind.OPPORTUNITIES).encode(), organisation_id=ASF)
    kinds = {k.kind: k for k in data_quality(region, today=date(2027, 7, 1))}
    people = kinds["people"]
    coverage = {f.name: (f.filled, f.total) for f in people.fields}
    assert coverage["name"] == (2, 2) and coverage["locality"] == (1, 2)
    assert coverage["consent_date"] == (2, 2)
    assert [i.count for i in people.stale] == [2]  # statuses from 2025 and 2026-03
    jobs = kinds["opportunities"]
    assert [i.what for i in jobs.stale] == ["vacancies past their closing date"] and jobs.stale[0].count == 1
    assert {f.name: f.filled for f in jobs.fields}["ends"] == 1


def test_key_rotation_reseals_and_the_old_key_is_then_not_needed(region: Engine,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from kedja.services.identity import new_data_key, rotate_keys
    from kedja.store import identity

    data = _csv(["A1;Gunhild Wikström;19900412-2389;2580;;unemployed;;;;;;;;;;;;;;2026-10-01"])
    loading.load_file(region, Kind.PEOPLE, "p.csv", data, principal=COORDINATOR)
    old, new = os.environ["KEDJA_DATA_KEY"], new_data_key()
    monkeypatch.setenv("KEDJA_DATA_KEY", new)
    monkeypatch.setenv("KEDJA_DATA_KEYS_PREVIOUS", old)
    [hit] = search_people(region, COORDINATOR, "19900412-2389")  # found mid-rotation
    assert rotate_keys(region) == 1
    monkeypatch.delenv("KEDJA_DATA_KEYS_PREVIOUS")
    assert identity.keyring().key_id != identity.Keyring(base64.urlsafe_b64decode(old)).key_id
    assert [h.name for h in search_people(region, COORDINATOR, "19900412-2389")] == [hit.name]
    monkeypatch.setenv("KEDJA_DATA_KEY", old)  # the old key alone no longer opens them
    with pytest.raises(ConfigurationError):
        search_people(region, COORDINATOR, "Gunhild")
