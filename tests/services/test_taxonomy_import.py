"""Imports are one transaction, idempotent, and leave the database unchanged when refused."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from kedja import services
from kedja.core.errors import InvalidInput
from kedja.store import session_scope
from kedja.store import tables as t
from tests.conftest import shared_data
from tests.taxonomy.esco_files import FILES, write_esco


@pytest.fixture
def tiny_esco(tmp_path: Path) -> Path:
    return write_esco(tmp_path / "esco_v9.9.9")


def row_counts(engine: Engine) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        return tuple(session.scalar(select(func.count()).select_from(row))  # type: ignore[return-value]
                     for row in (t.TaxonomyConceptRow, t.TaxonomyLinkRow, t.TaxonomySourceRow))


def test_import_then_reimport_changes_nothing(engine: Engine, tiny_esco: Path) -> None:
    first = services.import_taxonomy(engine, "esco", [tiny_esco])
    assert first.changes.inserted == sum(first.counts.values()) and first.changes.removed == 0
    before = row_counts(engine)
    again = services.import_taxonomy(engine, "esco", [tiny_esco])
    assert again.changes.total == 0 and row_counts(engine) == before
    assert services.taxonomy_sources(engine)["esco"]["version"] == "v9.9.9"


def test_reimport_updates_and_removes(engine: Engine, tmp_path: Path) -> None:
    services.import_taxonomy(engine, "esco", [write_esco(tmp_path / "a")])
    changed = {**FILES}
    changed["en/skills_en.csv"] = [*FILES["en/skills_en.csv"]]
    changed["en/skills_en.csv"][2] = changed["en/skills_en.csv"][2].replace("read blueprints",
                                                                           "read drawings")
    changed["relations/occupationSkillRelations.csv"] = FILES[
        "relations/occupationSkillRelations.csv"][:-2]
    report = services.import_taxonomy(engine, "esco", [write_esco(tmp_path / "b", changed)])
    assert report.changes.updated == 1 and report.changes.removed == 1
    assert report.changes.inserted == 0


def test_refused_import_leaves_the_database_unchanged(engine: Engine, tiny_esco: Path,
                                                      tmp_path: Path) -> None:
    services.import_taxonomy(engine, "esco", [tiny_esco])
    before = row_counts(engine)
    bad = {**FILES, "en/skills_en.csv": [*FILES["en/skills_en.csv"][:-1], "KnowledgeSkillCompetence,x"]}
    with pytest.raises(InvalidInput, match="truncated"):
        services.import_taxonomy(engine, "esco", [write_esco(tmp_path / "bad", bad)])
    assert row_counts(engine) == before


@pytest.mark.shared_data
@pytest.mark.slow
def test_full_esco_import_under_a_minute_and_idempotent(sqlite_engine: Engine) -> None:
    folder = shared_data("esco_v1.1.1")
    started = time.perf_counter()
    report = services.import_taxonomy(sqlite_engine, "esco", sorted(folder.glob("*.zip")))
    assert time.perf_counter() - started < 60
    assert report.counts["esco-occupation"] == 3007 and report.counts["esco-skill"] == 13896
    assert report.counts["esco-occupation->essential"] + report.counts[
        "esco-occupation->optional"] == 123_855 - 67
    assert services.import_taxonomy(sqlite_engine, "esco", [folder]).changes.total == 0
    services.import_taxonomy(sqlite_engine, "jobtech", [shared_data("jobtech_taxonomy")])
    coverage = services.taxonomy_coverage(sqlite_engine)
    assert coverage.ssyk_groups == 400 and coverage.ssyk_with_esco == 400
    assert coverage.esco_with_ssyk > 2900


def test_failure_while_writing_rolls_everything_back(engine: Engine, tiny_esco: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from kedja.store import taxonomy as store

    def broken(*_: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_record_source", broken)  # fails after every row is written
    with pytest.raises(RuntimeError, match="disk full"):
        services.import_taxonomy(engine, "esco", [tiny_esco])
    assert row_counts(engine) == (0, 0, 0)
