"""Aggregate flows of job seekers read from the records: registrations and where people went.

Counts only (no person is read one by one); the chains' simulation turns them into yearly rates.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kedja.store import tables as t

__all__ = ["job_seeker_registrations", "outcome_counts"]


def job_seeker_registrations(session: Session, today: date) -> tuple[int, int]:
    """Job seekers now, and how many of them registered (status since) in the year before ``today``."""
    c = t.PersonRow.__table__.c
    seekers = (c.status != "employed") & c.erased_on.is_(None)
    stock = session.scalar(select(func.count()).where(seekers)) or 0
    recent = session.scalar(select(func.count()).where(
        seekers, c.status_since > today - timedelta(days=365))) or 0
    return int(stock), int(recent)


def outcome_counts(session: Session, days_after_exit: int) -> dict[str, int]:
    """Follow-up outcomes ``days_after_exit`` days after people left a programme, by status."""
    rows = session.execute(select(t.OutcomeRow.status, func.count())
                           .where(t.OutcomeRow.days_after_exit == days_after_exit)
                           .group_by(t.OutcomeRow.status))
    return {str(status): int(n) for status, n in rows}
