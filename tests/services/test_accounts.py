"""Accounts: argon2 hashes, sessions, lock-out, disabling, OIDC mapping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pwdlib import PasswordHash
from sqlalchemy import Engine, select

from kedja import services
from kedja.core.errors import Conflict, InvalidInput, NotFound, Unauthenticated
from kedja.services.accounts import LOCKOUT_ATTEMPTS, SESSION_HOURS, hash_password
from kedja.store import session_scope
from kedja.store import tables as t

PASSWORD = "correct horse battery"


@pytest.fixture
def accounts(engine: Engine) -> Engine:
    """A migrated database with two organisations and one officer."""
    with session_scope(engine) as session:
        session.add(t.CountyRow(code="25", name="Norrbotten"))
        session.add(t.MunicipalityRow(code="2580", name="Luleå", county_code="25",
                                      seat_lat=65.6, seat_lon=22.1))
        session.add(t.OrganisationRow(id="AF25", name="AF", kind="employment_service",
                                      municipality_code="2580"))
        session.add(t.OrganisationRow(id="EMP1", name="Firm", kind="employer",
                                      municipality_code="2580"))
    services.create_user(engine, username="Officer@AF.se", organisation_id="AF25",
                         roles=["officer"], password=PASSWORD)
    return engine


def test_passwords_are_stored_as_argon2_hashes(accounts: Engine) -> None:
    with session_scope(accounts) as session:
        stored = session.scalar(select(t.UserRow.password_hash))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored
    assert PasswordHash.recommended().verify(PASSWORD, stored)


def test_sign_in_starts_a_new_session_each_time(accounts: Engine) -> None:
    first = services.sign_in(accounts, "officer@af.se", PASSWORD)
    second = services.sign_in(accounts, " OFFICER@af.se ", PASSWORD)
    assert first.token and second.token and first.token != second.token
    assert first.csrf_token != second.csrf_token
    assert services.signed_in(accounts, first.token).principal.organisation_id == "AF25"
    with session_scope(accounts) as session:
        hashes = session.scalars(select(t.WebSessionRow.token_hash)).all()
    assert first.token not in hashes and len(hashes) == 2  # only hashes are stored


def test_wrong_password_and_unknown_user_get_the_same_answer(accounts: Engine) -> None:
    with pytest.raises(Unauthenticated) as wrong:
        services.sign_in(accounts, "officer@af.se", "not the password")
    with pytest.raises(Unauthenticated) as unknown:
        services.sign_in(accounts, "nobody@af.se", "not the password")
    assert str(wrong.value) == str(unknown.value)


def test_lock_out_after_repeated_failures_then_unlock(accounts: Engine) -> None:
    now = datetime(2026, 11, 23, 12, tzinfo=UTC)
    for _ in range(LOCKOUT_ATTEMPTS):
        with pytest.raises(Unauthenticated):
            services.sign_in(accounts, "officer@af.se", "wrong password!", clock=lambda: now)
    with pytest.raises(Unauthenticated) as locked:  # locked: answered like a wrong password
        services.sign_in(accounts, "officer@af.se", PASSWORD, clock=lambda: now)
    with pytest.raises(Unauthenticated) as unknown:
        services.sign_in(accounts, "nobody@af.se", PASSWORD, clock=lambda: now)
    assert str(locked.value) == str(unknown.value) and locked.value.status == 401
    later = now + timedelta(minutes=16)
    assert services.sign_in(accounts, "officer@af.se", PASSWORD, clock=lambda: later).token


def test_sessions_expire_and_sign_out_ends_them(accounts: Engine) -> None:
    signed = services.sign_in(accounts, "officer@af.se", PASSWORD)
    assert signed.token
    later = datetime.now(UTC) + timedelta(hours=SESSION_HOURS, minutes=1)
    with pytest.raises(Unauthenticated):
        services.signed_in(accounts, signed.token, clock=lambda: later)
    again = services.sign_in(accounts, "officer@af.se", PASSWORD)
    assert again.token
    services.sign_out(accounts, again.token)
    with pytest.raises(Unauthenticated):
        services.signed_in(accounts, again.token)


def test_disabling_ends_sessions_and_refuses_sign_in(accounts: Engine) -> None:
    signed = services.sign_in(accounts, "officer@af.se", PASSWORD)
    assert signed.token
    assert services.disable_user(accounts, "officer@af.se").active is False
    with pytest.raises(Unauthenticated):
        services.signed_in(accounts, signed.token)
    with pytest.raises(Unauthenticated):
        services.sign_in(accounts, "officer@af.se", PASSWORD)
    assert [u.active for u in services.list_users(accounts)] == [False]


@pytest.mark.parametrize(("changes", "error"), [
    ({"password": "short"}, InvalidInput),
    ({"roles": ["employer_hr"]}, InvalidInput),
    ({"roles": ["boss"]}, InvalidInput),
    ({"organisation_id": "NOPE"}, NotFound),
    ({"username": "officer@af.se"}, Conflict),
])
def test_bad_accounts_are_refused(accounts: Engine, changes: dict, error: type) -> None:  # type: ignore[type-arg]
    values = {"username": "new@af.se", "organisation_id": "AF25", "roles": ["officer"],
              "password": PASSWORD, **changes}
    with pytest.raises(error):
        services.create_user(accounts, **values)


def test_oidc_sign_in_needs_an_existing_account(accounts: Engine) -> None:
    with pytest.raises(Unauthenticated, match="no active account"):
        services.sign_in_oidc(accounts, subject="sub-1", email="stranger@af.se")
    signed = services.sign_in_oidc(accounts, subject="sub-1", email="officer@af.se")
    assert signed.principal.username == "officer@af.se"
    # the subject is remembered: a later sign-in without the e-mail claim still matches
    assert services.sign_in_oidc(accounts, subject="sub-1", email=None).token


def test_demo_accounts_verify_with_the_demo_password(web_engine: Engine) -> None:
    with web_engine.connect() as connection:
        hashes = connection.execute(select(t.UserRow.username, t.UserRow.password_hash)
                                    .where(t.UserRow.id.like("DEMO-%"))).all()
    assert len(hashes) == 6
    hasher = PasswordHash.recommended()
    assert all(hasher.verify("kedja-demo-2026", h) for _, h in hashes)


@pytest.mark.parametrize(("password", "problem"), [
    ("kort", "12 characters"), ("password1234", "most used"), ("Sommar2026!!", "most used"),
    ("abcdefghijklmn", "run of keys"), ("zzzzzzzzzzzzzz", "repeated"),
    ("maria.lund-2026-x", "username"),
])
def test_password_policy_refuses_weak_passwords(password: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        hash_password(password, username="maria.lund@kedja.example")
    assert hash_password("lingon vinter fjäll 7", username="maria.lund@kedja.example")
