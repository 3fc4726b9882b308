"""Slow pages computed once: the indicators per version of the follow-up data, data quality per load."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select

from kedja.core.access import operator_principal
from kedja.services import cache, follow_up
from kedja.store import session_scope
from kedja.store import tables as t

OPERATOR = operator_principal("tester")


def test_a_repeated_view_reuses_the_tables_and_a_new_record_shows_at_once(
        monkeypatch: pytest.MonkeyPatch, web_engine: Engine) -> None:
    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "300")
    cache.invalidate()
    calls: list[int] = []
    original = follow_up._inputs

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(follow_up, "_inputs", counted)
    first, _ = follow_up.indicator_report_tables(web_engine, OPERATOR)
    again, _ = follow_up.indicator_report_tables(web_engine, OPERATOR)
    assert len(calls) == 1 and [x.published for x in first] == [x.published for x in again]
    first.clear()  # a caller changing its list leaves the cached one alone
    assert follow_up.indicator_report_tables(web_engine, OPERATOR)[0]
    with session_scope(web_engine) as session:  # a write outside the services, as an import does
        person = session.scalar(select(t.EnrolmentRow.person_id).order_by(t.EnrolmentRow.id))
        session.add(t.ProgressAssessmentRow(person_id=person, assessed_on=date(2026, 11, 29),
                                            dimension="health", score=6))
    follow_up.indicator_report_tables(web_engine, OPERATOR)
    assert len(calls) == 2
    cache.invalidate()


def test_data_quality_is_computed_once_until_data_is_loaded(monkeypatch: pytest.MonkeyPatch,
                                                            web_engine: Engine) -> None:
    from kedja.services import quality

    monkeypatch.setenv("KEDJA_CACHE_SECONDS", "300")
    cache.invalidate()
    calls: list[int] = []
    original = quality._data_quality

    def counted(*args: object) -> object:
        calls.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(quality, "_data_quality", counted)
    first = quality.data_quality(web_engine, OPERATOR)
    assert quality.data_quality(web_engine, OPERATOR) == first and len(calls) == 1
    cache.invalidate(web_engine)  # what every import does when it has written
    quality.data_quality(web_engine, OPERATOR)
    assert len(calls) == 2
    cache.invalidate()
