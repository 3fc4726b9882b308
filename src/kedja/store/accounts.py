"""Repositories for user accounts and server-side sessions.

Functions take an open session; ``kedja.services`` owns the transaction and the rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from kedja.core.access import Role
from kedja.core.organisations import OrganisationKind
from kedja.store import tables as t

__all__ = [
    "StoredSession",
    "StoredUser",
    "delete_session",
    "delete_sessions_of_user",
    "find_session",
    "find_user",
    "insert_session",
    "insert_user",
    "list_users",
    "recent_sign_in_failures",
    "record_sign_in_failure",
    "update_user",
]


@dataclass(frozen=True, slots=True)
class StoredUser:
    """A user account as stored, with its organisation's kind and name."""

    id: str
    username: str
    display_name: str
    organisation_id: str
    organisation_kind: OrganisationKind
    roles: frozenset[Role]
    password_hash: str | None
    oidc_subject: str | None
    active: bool
    failed_attempts: int
    locked_until: datetime | None
    created: datetime
    organisation_name: str = ""


@dataclass(frozen=True, slots=True)
class StoredSession:
    """A server-side session: whose it is, its CSRF token and when it ends."""

    token_hash: str
    user_id: str
    csrf_token: str
    expires: datetime


def insert_user(session: Session, values: dict[str, Any]) -> None:
    """Insert one user row (``values`` are the columns of ``users``)."""
    session.add(t.UserRow(**values))
    session.flush()


def _user(row: t.UserRow, kind: str, organisation_name: str) -> StoredUser:
    return StoredUser(
        id=row.id, username=row.username, display_name=row.display_name,
        organisation_id=row.organisation_id, organisation_kind=OrganisationKind(kind),
        roles=frozenset(Role(r) for r in row.roles), password_hash=row.password_hash,
        oidc_subject=row.oidc_subject, active=row.active, failed_attempts=row.failed_attempts,
        locked_until=row.locked_until, created=row.created, organisation_name=organisation_name,
    )


def _users_query() -> Any:
    return select(t.UserRow, t.OrganisationRow.kind, t.OrganisationRow.name).join(
        t.OrganisationRow, t.OrganisationRow.id == t.UserRow.organisation_id)


def find_user(session: Session, *, user_id: str | None = None, username: str | None = None,
              oidc_subject: str | None = None) -> StoredUser | None:
    """The user with the given id, username or OIDC subject, or ``None``."""
    query = _users_query()
    if user_id is not None:
        query = query.where(t.UserRow.id == user_id)
    elif username is not None:
        query = query.where(t.UserRow.username == username)
    elif oidc_subject is not None:
        query = query.where(t.UserRow.oidc_subject == oidc_subject)
    else:
        return None
    found = session.execute(query).first()
    return _user(*found) if found else None


def list_users(session: Session, organisation_id: str | None = None) -> list[StoredUser]:
    """Every user (of one organisation, when given), by username."""
    query = _users_query().order_by(t.UserRow.username)
    if organisation_id is not None:
        query = query.where(t.UserRow.organisation_id == organisation_id)
    return [_user(*found) for found in session.execute(query).all()]


def update_user(session: Session, user_id: str, **values: Any) -> None:
    """Change columns of one user."""
    session.execute(update(t.UserRow).where(t.UserRow.id == user_id).values(**values))


def insert_session(session: Session, stored: StoredSession, *, created: datetime) -> None:
    """Store a new session."""
    session.add(t.WebSessionRow(token_hash=stored.token_hash, user_id=stored.user_id,
                                csrf_token=stored.csrf_token, created=created,
                                expires=stored.expires))
    session.flush()


def find_session(session: Session, token_hash: str) -> StoredSession | None:
    """The session with this token hash, or ``None``."""
    row = session.get(t.WebSessionRow, token_hash)
    if row is None:
        return None
    return StoredSession(row.token_hash, row.user_id, row.csrf_token, row.expires)


def delete_session(session: Session, token_hash: str) -> None:
    """End one session."""
    session.execute(delete(t.WebSessionRow).where(t.WebSessionRow.token_hash == token_hash))


def delete_sessions_of_user(session: Session, user_id: str, *,
                            expired_before: datetime | None = None) -> None:
    """End every session of a user (or only those expired before a moment)."""
    query = delete(t.WebSessionRow).where(t.WebSessionRow.user_id == user_id)
    if expired_before is not None:
        query = query.where(t.WebSessionRow.expires < expired_before)
    session.execute(query)



def recent_sign_in_failures(session: Session, address: str, *, since: datetime) -> int:
    """Failed sign-ins from ``address`` at or after ``since``."""
    return int(session.scalar(select(func.count()).select_from(t.SignInFailureRow).where(
        t.SignInFailureRow.address == address, t.SignInFailureRow.at >= since)) or 0)


def record_sign_in_failure(session: Session, address: str, *, at: datetime,
                           expire_before: datetime) -> None:
    """Count a failed sign-in from ``address``; forget every failure older than the window."""
    session.execute(delete(t.SignInFailureRow).where(t.SignInFailureRow.at < expire_before))
    session.add(t.SignInFailureRow(address=address[:64], at=at))
