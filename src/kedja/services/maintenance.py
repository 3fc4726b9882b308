"""Retention: deleting what is past its time, run by ``kedja maintenance`` (e.g. nightly).

- web sessions: deleted once expired (they last 8 hours);
- audit entries: kept ``audit_years`` (default 5, as long as a case file), then deleted;
- completed and ended referrals with their events: deleted ``referral_years`` after they were
  made (default 3);
- withdrawn consents: kept ``consent_years`` after the withdrawal as its proof (default 2).

Each run writes one audit entry with what it deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, select

from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import InvalidInput
from kedja.store import records, session_scope
from kedja.store import tables as t
from kedja.store.erasure import affected

__all__ = ["RetentionRules", "run_maintenance"]

DAYS_PER_YEAR = 365.25


MAX_YEARS = 1000
"""The longest retention period accepted (a longer one overflows a date)."""


@dataclass(frozen=True)
class RetentionRules:
    """How long each kind of record is kept, in years."""

    audit_years: float = 5.0
    referral_years: float = 3.0
    consent_years: float = 2.0

    def checked(self) -> RetentionRules:
        """The rules, refusing periods that are not positive."""
        for name in ("audit_years", "referral_years", "consent_years"):
            value = getattr(self, name)
            if not 0 < value <= MAX_YEARS:  # also refuses nan and inf
                raise InvalidInput(f"a retention period must be a positive number of years up "
                                   f"to {MAX_YEARS}, not {value}",
                                   field=f"--{name.replace('_', '-')}", value=value,
                                   hint="give a number of years, e.g. 5")
        return self


def _ago(now: datetime, years: float) -> datetime:
    return now - timedelta(days=years * DAYS_PER_YEAR)


def run_maintenance(engine: Engine, rules: RetentionRules | None = None, *,
                    now: datetime | None = None) -> dict[str, int]:
    """Delete what the retention rules say is past its time, in one transaction; counts."""
    rules = (rules or RetentionRules()).checked()
    now = now or datetime.now(UTC)
    ended = select(t.ReferralRow.id).where(
        t.ReferralRow.state.in_(("completed", "ended")),
        t.ReferralRow.created < _ago(now, rules.referral_years).date())
    with session_scope(engine) as session:
        counts = {
            "web_sessions": affected(session.execute(
                delete(t.WebSessionRow).where(t.WebSessionRow.expires < now))),
            "audit_log": affected(session.execute(delete(t.AuditEntryRow).where(
                t.AuditEntryRow.at < _ago(now, rules.audit_years)))),
            "referral_events": affected(session.execute(delete(t.ReferralEventRow).where(
                t.ReferralEventRow.referral_id.in_(ended)))),
        }
        counts["referrals"] = affected(session.execute(delete(t.ReferralRow).where(
            t.ReferralRow.id.in_(ended.scalar_subquery()))))
        counts["consents"] = affected(session.execute(delete(t.ConsentRow).where(
            t.ConsentRow.withdrawn < _ago(now, rules.consent_years).date())))
        records.append_audit(session, [AuditEntry(
            at=now, actor="maintenance", organisation_id=None, action=AuditAction.WRITE,
            subject_type="retention", subject_id="all",
            purpose="retention: " + ", ".join(f"{k} {v}" for k, v in counts.items()))])
    return counts
