"""``kedja backup`` / ``kedja restore``: every table round-trips on each backend and across them."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, func, insert, select

from kedja import services
from kedja.core.errors import Conflict, InvalidInput
from kedja.services.backup import backup_database, restore_database
from kedja.store import tables as t
from tests.store.snapshots import database_snapshot, row_counts

TINY_DEMO = {"seed": 42, "job_seekers": 150, "employed": 300}


@pytest.fixture
def tiny_demo(db_url: str) -> Iterator[Engine]:
    engine = services.prepare_database(db_url)
    services.build_demo_database(engine, **TINY_DEMO)
    with engine.begin() as connection:  # a serial column with rows, for the sequences
        connection.execute(insert(t.AuditEntryRow), [{
            "at": datetime(2026, 11, 2, 8, 30, tzinfo=UTC), "actor": "officer@kedja.demo",
            "organisation_id": None, "action": "read", "subject_type": "person",
            "subject_id": "P000001", "purpose": "case_management"}])
    yield engine
    engine.dispose()


def test_backup_restore_round_trip_on_the_same_backend(tiny_demo: Engine, tmp_path: Path) -> None:
    before = database_snapshot(tiny_demo)
    report = backup_database(tiny_demo, tmp_path / "kedja.zip")
    assert report.rows == sum(row_counts(before).values()) and report.bytes > 1000
    print(f"{tiny_demo.dialect.name}: {report.rows} rows, {report.bytes / 1e3:.0f} kB "
          f"in {report.seconds:.2f} s")
    with tiny_demo.begin() as connection:  # change it, then restore over it
        connection.execute(delete(t.ConsentRow))
        connection.execute(delete(t.AuditEntryRow))
    restored = restore_database(tiny_demo, tmp_path / "kedja.zip", replace=True)
    assert restored.tables == report.tables
    assert database_snapshot(tiny_demo) == before
    with tiny_demo.begin() as connection:  # the serial ids continue after the restored ones
        connection.execute(insert(t.AuditEntryRow), [{
            "at": datetime.now(UTC), "actor": "x", "organisation_id": None, "action": "read",
            "subject_type": "person", "subject_id": "P1", "purpose": None}])
        assert connection.execute(select(func.count()).select_from(t.AuditEntryRow)).scalar() == 2


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
def test_backup_restores_across_backends(direction: str, tmp_path: Path, postgres_url: str) -> None:
    source_url, target_url = str(tmp_path / "kedja.db"), postgres_url
    if direction == "postgresql-to-sqlite":
        source_url, target_url = target_url, source_url
    source = services.prepare_database(source_url)
    services.build_demo_database(source, **TINY_DEMO)
    before = database_snapshot(source)
    backup_database(source, tmp_path / "kedja.zip")
    source.dispose()
    target = services.prepare_database(target_url)
    restore_database(target, tmp_path / "kedja.zip")
    assert database_snapshot(target) == before
    target.dispose()


def test_restore_refuses_another_schema_revision(tiny_demo: Engine, tmp_path: Path) -> None:
    empty = services.prepare_database(tmp_path / "empty.db")
    backup_database(tiny_demo, tmp_path / "kedja.zip")
    with zipfile.ZipFile(tmp_path / "kedja.zip") as source, \
            zipfile.ZipFile(tmp_path / "old.zip", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["schema_revision"] = "0003_older"
                data = json.dumps(manifest).encode()
            target.writestr(item, data)
    with pytest.raises(InvalidInput, match="0003_older"):
        restore_database(empty, tmp_path / "old.zip")
    assert sum(row_counts(database_snapshot(empty)).values()) == 0


def test_restore_refuses_a_database_with_data_unless_replacing(tiny_demo: Engine,
                                                               tmp_path: Path) -> None:
    backup_database(tiny_demo, tmp_path / "kedja.zip")
    with pytest.raises(Conflict, match="--replace"):
        restore_database(tiny_demo, tmp_path / "kedja.zip")


def test_a_damaged_backup_restores_nothing(tiny_demo: Engine, tmp_path: Path) -> None:
    backup_database(tiny_demo, tmp_path / "kedja.zip")
    before = database_snapshot(tiny_demo)
    with zipfile.ZipFile(tmp_path / "kedja.zip") as source, \
            zipfile.ZipFile(tmp_path / "bad.zip", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "tables/consents.jsonl":  # late in the order: earlier tables are in
                data += b"{not json\n"
            target.writestr(item, data)
    with pytest.raises(InvalidInput, match=r"consents\.jsonl"):
        restore_database(tiny_demo, tmp_path / "bad.zip", replace=True)
    assert database_snapshot(tiny_demo) == before


def test_not_a_backup_is_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "x.zip").write_text("hello")
    with pytest.raises(InvalidInput, match="not a Kedja backup"):
        restore_database(services.prepare_database(tmp_path / "empty.db"), tmp_path / "x.zip")


def test_a_null_json_column_stays_null_through_backup_and_restore(tiny_demo: Engine,
                                                                   tmp_path: Path) -> None:
    # the review: a NULL consents.purposes ("every purpose") came back as the JSON text null
    from sqlalchemy import text

    def nulls(engine: Engine) -> tuple[int, int]:
        with engine.connect() as connection:
            return (connection.execute(text("SELECT count(*) FROM consents WHERE purposes IS NULL"))
                    .scalar_one(),
                    connection.execute(text("SELECT count(*) FROM consents")).scalar_one())

    with tiny_demo.begin() as connection:  # a consent for every purpose: NULL purposes
        connection.execute(text("UPDATE consents SET purposes = NULL WHERE person_id IN "
                                "(SELECT person_id FROM consents ORDER BY person_id LIMIT 3)"))
    before = nulls(tiny_demo)
    assert before[0] > 0
    backup_database(tiny_demo, tmp_path / "kedja.zip")
    restore_database(tiny_demo, tmp_path / "kedja.zip", replace=True)
    assert nulls(tiny_demo) == before


def test_a_backup_that_fails_leaves_no_partial_copy(tiny_demo: Engine, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # the review: a full disk left a plaintext .partial with personal data behind
    import errno

    from kedja.services import backup as service

    def full_disk(connection, stream, *, revision):  # type: ignore[no-untyped-def]
        stream.write(b"PK personal data ...")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(service, "write_archive", full_disk)
    out = tmp_path / "backups"
    out.mkdir()
    with pytest.raises(InvalidInput) as error:
        backup_database(tiny_demo, out / "kedja.zip")
    assert "disk is full" in str(error.value)
    assert list(out.iterdir()) == []
