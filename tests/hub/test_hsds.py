"""The directory as Open Referral HSDS 3.0: export → import gives back the same directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kedja import services
from kedja.core.access import Principal, Role
from kedja.core.errors import Forbidden, InvalidInput
from kedja.core.organisations import OrganisationKind
from kedja.demo import load_region_pack
from kedja.hub import directory_from_hsds, directory_from_zip, directory_to_hsds, directory_to_zip
from kedja.hub.hsds import CORE_OBJECTS
from kedja.store import hub, session_scope
from kedja.store import repositories as repo

ADMIN = Principal("u", "admin@kedja.demo", "REG25", OrganisationKind.MUNICIPALITY,
                  frozenset({Role.ADMIN}))


def _directory(engine: Engine):  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        return hub.load_directory(session)


def test_the_demo_directory_round_trips_through_json_and_csv(demo_engine: Engine) -> None:
    directory = _directory(demo_engine)
    assert directory.services and directory.locations and directory.service_at_locations
    assert any(o.asf for o in directory.organisations)
    document = json.loads(json.dumps(directory_to_hsds(directory)))
    assert set(CORE_OBJECTS) <= set(document)
    assert directory_from_hsds(document) == directory
    assert directory_from_zip(directory_to_zip(directory)) == directory


def test_hsds_field_names(demo_engine: Engine) -> None:
    document = directory_to_hsds(_directory(demo_engine))
    service = next(s for s in document["service"] if s["capacities"])
    assert {"id", "organization_id", "name", "status", "capacities"} <= set(service)
    assert {"unit", "available", "maximum", "updated"} <= set(service["capacities"][0])
    location = document["location"][0]
    assert location["location_type"] == "physical"
    assert {"address_1", "city", "postal_code", "country"} <= set(location["addresses"][0])


@pytest.mark.parametrize("fmt", ["json", "zip"])
def test_export_then_import_into_another_database_loses_nothing(demo_engine: Engine,
                                                                tmp_path: Path, fmt: str) -> None:
    exported = services.hub.export_directory(demo_engine, fmt=fmt)
    target = services.prepare_database(tmp_path / "other.db")
    region = load_region_pack()
    with session_scope(target) as session:
        repo.save_region(session, counties=region.counties, areas=region.areas,
                         municipalities=region.municipalities, localities=region.localities,
                         source="test")
    services.hub.import_directory(target, ADMIN, exported, fmt=fmt)
    assert _directory(target) == _directory(demo_engine)
    assert services.hub.export_directory(target, fmt=fmt) == exported


def test_an_import_is_all_or_nothing_and_names_the_bad_object(demo_engine: Engine,
                                                             tmp_path: Path) -> None:
    document = json.loads(services.hub.export_directory(demo_engine, fmt="json"))
    target = services.prepare_database(tmp_path / "other.db")
    with pytest.raises(InvalidInput, match=r"organization\[0\]"):  # no region in the target
        services.hub.import_directory(target, ADMIN, json.dumps(document).encode(), fmt="json")
    assert _directory(target).organisations == ()
    del document["service"][3]["name"]
    with pytest.raises(InvalidInput, match=r"service\[3\] has no field 'name'"):
        services.hub.import_directory(target, ADMIN, json.dumps(document).encode(), fmt="json")


def test_only_administrators_import(demo_engine: Engine) -> None:
    analyst = Principal("u", "a@x.se", "KOM2580", OrganisationKind.MUNICIPALITY,
                        frozenset({Role.ANALYST}))
    with pytest.raises(Forbidden):
        services.hub.import_directory(demo_engine, analyst, b"{}", fmt="json")


def test_a_utf16_table_in_the_zip_is_a_clear_error_not_a_crash() -> None:
    # the review: an HSDS zip with a UTF-16 member gave 500
    import io
    import zipfile

    import pytest

    from kedja.core.errors import InvalidInput

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.csv", "id,name\nO1,Åsele ASF\n".encode("utf-16"))
    with pytest.raises(InvalidInput) as error:
        directory_from_zip(buffer.getvalue())
    assert "organizations.csv" in str(error.value) and "UTF-8" in str(error.value)
