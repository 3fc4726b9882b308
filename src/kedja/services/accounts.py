"""Accounts and sign-in: argon2 password hashes, server-side sessions, lock-out after failures.

A session token is 32 random bytes sent once in an HttpOnly cookie; the database keeps only its
SHA-256, so a copy of the database cannot be used to sign in. Each sign-in starts a new session
(no fixation); signing out, disabling the account or an expired session ends it.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from pwdlib import PasswordHash
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kedja.core.access import Permission, Principal, Role, require_permission, validated_roles
from kedja.core.audit import AuditAction, AuditEntry
from kedja.core.errors import Conflict, InvalidInput, NotFound, TooManyAttempts, Unauthenticated
from kedja.core.organisations import OrganisationKind
from kedja.core.passwords import MIN_PASSWORD_LENGTH, password_problem
from kedja.store import accounts as accounts_repo
from kedja.store import records, session_scope
from kedja.store.accounts import StoredSession, StoredUser

__all__ = [
    "ADDRESS_LIMIT",
    "ADDRESS_WINDOW",
    "LOCKOUT_ATTEMPTS",
    "LOCKOUT_MINUTES",
    "MIN_PASSWORD_LENGTH",
    "SESSION_HOURS",
    "SignedIn",
    "UserPublic",
    "create_user",
    "disable_user",
    "list_users",
    "sign_in",
    "sign_in_oidc",
    "sign_out",
    "signed_in",
]

LOCKOUT_ATTEMPTS = 5
"""Failed password attempts in a row that lock an account."""
LOCKOUT_MINUTES = 15
ADDRESS_LIMIT = 20
"""Failed sign-ins from one client address within :data:`ADDRESS_WINDOW` that block it."""
ADDRESS_WINDOW = timedelta(minutes=10)
SESSION_HOURS = 8
Clock = Callable[[], datetime]

_hasher = PasswordHash.recommended()  # argon2id with pwdlib's recommended parameters
# A hash to verify against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash("kedja-no-such-user")


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; Kedja stores UTC, so read them as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class UserPublic:
    """A user account without its secrets."""

    id: str
    username: str
    display_name: str
    organisation_id: str
    roles: tuple[str, ...]
    active: bool
    sign_in: str


@dataclass(frozen=True, slots=True)
class SignedIn:
    """A live session: who is signed in and the CSRF token of their forms."""

    principal: Principal
    display_name: str
    csrf_token: str
    token: str | None = None
    organisation_name: str = ""  # for the page header, read with the session (no second query)


def _public(user: StoredUser) -> UserPublic:
    kind = "password" if user.password_hash else "oidc" if user.oidc_subject else "none"
    if user.password_hash and user.oidc_subject:
        kind = "password+oidc"
    return UserPublic(user.id, user.username, user.display_name, user.organisation_id,
                      tuple(sorted(user.roles)), user.active, kind)


def _principal(user: StoredUser) -> Principal:
    return Principal(user.id, user.username, user.organisation_id, user.organisation_kind,
                     user.roles)


def _entry(actor: str, org: str | None, action: AuditAction, subject: str, at: datetime,
           purpose: str | None = None) -> AuditEntry:
    return AuditEntry(at=at, actor=actor, organisation_id=org, action=action,
                      subject_type="user", subject_id=subject, purpose=purpose)


def hash_password(password: str, *, salt: bytes | None = None, username: str = "") -> str:
    """An argon2id hash of ``password`` after checking it against the password policy.

    ``salt`` is for the demo only: its accounts share a published password, so a salt derived
    from the demo's seed costs nothing and keeps the demo database identical for a seed.
    """
    problem = password_problem(password, username=username)
    if problem is not None:
        raise InvalidInput(problem, field="password",
                           hint=f"choose a passphrase of at least {MIN_PASSWORD_LENGTH} characters: "
                                "several unrelated words are long and easy to remember")
    if salt is None:
        return _hasher.hash(password)
    from argon2 import PasswordHasher
    from argon2.low_level import Type, hash_secret

    p = PasswordHasher()  # the same parameters pwdlib's recommended hasher uses
    return hash_secret(password.encode(), salt, time_cost=p.time_cost, memory_cost=p.memory_cost,
                       parallelism=p.parallelism, hash_len=p.hash_len, type=Type.ID).decode()


def add_user(session: Session, *, username: str, organisation_id: str, roles: Iterable[str],
             password: str | None, display_name: str | None = None,
             oidc_subject: str | None = None, user_id: str | None = None,
             created: datetime | None = None, salt: bytes | None = None) -> UserPublic:
    """Insert a user inside an open transaction (used by :func:`create_user` and the demo)."""
    username = username.strip().lower()
    if not username or len(username) > 255:
        raise InvalidInput("a username is needed (at most 255 characters)", field="username",
                           value=username, hint="use the person's work e-mail address")
    kind = records.organisation_kind(session, organisation_id)
    if kind is None:
        raise NotFound(f"no organisation has the id {organisation_id!r}",
                       field="organisation", value=organisation_id,
                       hint="list organisations at /api/v1/organisations")
    role_set = validated_roles(roles, OrganisationKind(kind))
    if accounts_repo.find_user(session, username=username):
        raise Conflict(f"the username {username!r} is taken", field="username", value=username,
                       hint="choose another username or disable the old account")
    if password is None and oidc_subject is None:
        raise InvalidInput("a user needs a password or an OIDC subject", field="password",
                           hint="give --password, or --oidc-subject for single sign-on")
    uid = user_id or f"U{secrets.token_hex(8)}"
    accounts_repo.insert_user(session, {
        "id": uid, "username": username, "display_name": display_name or username,
        "organisation_id": organisation_id, "roles": sorted(r.value for r in role_set),
        "password_hash": (hash_password(password, salt=salt, username=username)
                          if password is not None else None),
        "oidc_subject": oidc_subject, "active": True, "failed_attempts": 0,
        "locked_until": None, "created": created or _now(),
    })
    stored = accounts_repo.find_user(session, user_id=uid)
    assert stored is not None
    return _public(stored)


def create_user(engine: Engine, *, username: str, organisation_id: str, roles: Iterable[str],
                password: str | None, display_name: str | None = None,
                oidc_subject: str | None = None, actor: Principal | None = None) -> UserPublic:
    """Create an account; ``actor`` is the admin doing it (``None`` for the command line).

    Raises:
        InvalidInput: a short password, an unknown role or one the organisation cannot give.
        NotFound: the organisation does not exist.
        Conflict: the username is taken.
    """
    if actor is not None:
        require_permission(actor, Permission.MANAGE_USERS)
    with session_scope(engine) as session:
        user = add_user(session, username=username, organisation_id=organisation_id,
                        roles=roles, password=password, display_name=display_name,
                        oidc_subject=oidc_subject)
        records.append_audit(session, [_entry(actor.username if actor else "cli",
                                              actor.organisation_id if actor else None,
                                              AuditAction.ACCOUNT, user.id, _now(),
                                              "created")])
    return user


def list_users(engine: Engine, *, organisation_id: str | None = None,
               actor: Principal | None = None) -> list[UserPublic]:
    """Every account (of one organisation, when given), without secrets."""
    if actor is not None:
        require_permission(actor, Permission.MANAGE_USERS)
    with session_scope(engine) as session:
        return [_public(u) for u in accounts_repo.list_users(session, organisation_id)]


def disable_user(engine: Engine, username: str, *, actor: Principal | None = None) -> UserPublic:
    """Disable an account and end all its sessions."""
    if actor is not None:
        require_permission(actor, Permission.MANAGE_USERS)
    with session_scope(engine) as session:
        user = accounts_repo.find_user(session, username=username.strip().lower())
        if user is None:
            raise NotFound(f"no user is called {username!r}", field="username", value=username,
                           hint="list the users with: kedja users list")
        accounts_repo.update_user(session, user.id, active=False)
        accounts_repo.delete_sessions_of_user(session, user.id)
        records.append_audit(session, [_entry(actor.username if actor else "cli",
                                              actor.organisation_id if actor else None,
                                              AuditAction.ACCOUNT, user.id, _now(),
                                              "disabled")])
        return replace(_public(user), active=False)


_REFUSED = "the username or password is wrong, or the account is disabled"
_REFUSED_HINT = "check both and try again; after several failures the account locks for a while"


def _start_session(session: Session, user: StoredUser, now: datetime) -> SignedIn:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    accounts_repo.delete_sessions_of_user(session, user.id, expired_before=now)
    accounts_repo.insert_session(session, StoredSession(
        _token_hash(token), user.id, csrf, now + timedelta(hours=SESSION_HOURS)), created=now)
    accounts_repo.update_user(session, user.id, failed_attempts=0, locked_until=None)
    records.append_audit(session, [_entry(user.username, user.organisation_id,
                                          AuditAction.SIGN_IN, user.id, now)])
    return SignedIn(_principal(user), user.display_name, csrf, token, user.organisation_name)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(engine: Engine, username: str, password: str, *, address: str | None = None,
            clock: Clock = _now) -> SignedIn:
    """Check a password and start a new session.

    An unknown username, a wrong password, a disabled account and a locked account all get the
    same answer after the same argon2 work, so the answer does not tell which accounts exist.
    With ``address`` (the web's client address), failures are also counted per address in the
    database, shared by every server process: after :data:`ADDRESS_LIMIT` within
    :data:`ADDRESS_WINDOW` the address is refused before any password is checked.

    Raises:
        Unauthenticated: wrong username or password, a disabled or locked account (one message).
        TooManyAttempts: too many failed sign-ins from the address.
    """
    now = clock()
    with session_scope(engine) as session:
        if address is not None and accounts_repo.recent_sign_in_failures(
                session, address, since=now - ADDRESS_WINDOW) >= ADDRESS_LIMIT:
            raise TooManyAttempts("too many failed sign-ins from this address",
                                  hint=f"wait {int(ADDRESS_WINDOW.total_seconds() // 60)} "
                                       "minutes and try again")
    try:
        with session_scope(engine) as session:
            user = accounts_repo.find_user(session, username=username.strip().lower())
            if user is None or user.password_hash is None or _is_locked(user, now):
                _hasher.verify(password, _DUMMY_HASH)  # the same work as a real check
                if user is not None:  # audited (committed), answered like an unknown name
                    records.append_audit(session, [_entry(user.username, user.organisation_id,
                                                          AuditAction.SIGN_IN_FAILED, user.id,
                                                          now, "locked")])
            elif user.active and _hasher.verify(password, user.password_hash):
                return _start_session(session, user, now)
            else:
                _count_failure(session, user, now)
        raise Unauthenticated(_REFUSED, field="username", hint=_REFUSED_HINT)
    except Unauthenticated:
        if address is not None:
            with session_scope(engine) as session:
                accounts_repo.record_sign_in_failure(session, address, at=now,
                                                     expire_before=now - ADDRESS_WINDOW)
        raise


def _is_locked(user: StoredUser, now: datetime) -> bool:
    return user.locked_until is not None and _aware(user.locked_until) > now


def _count_failure(session: Session, user: StoredUser, now: datetime) -> None:
    failures = user.failed_attempts + 1
    locked = now + timedelta(minutes=LOCKOUT_MINUTES) if failures >= LOCKOUT_ATTEMPTS else None
    accounts_repo.update_user(session, user.id, failed_attempts=0 if locked else failures,
                              locked_until=locked)
    records.append_audit(session, [_entry(user.username, user.organisation_id,
                                          AuditAction.SIGN_IN_FAILED, user.id, now,
                                          "locked" if locked else None)])


def sign_in_oidc(engine: Engine, *, subject: str, email: str | None,
                 clock: Clock = _now) -> SignedIn:
    """Start a session for a user the OIDC provider vouched for.

    The user must exist: found by OIDC subject, else by username equal to the e-mail claim
    (whose subject is then remembered). Kedja never creates accounts from a provider's claims,
    because roles per organisation are an administrator's decision.
    """
    now = clock()
    with session_scope(engine) as session:
        user = accounts_repo.find_user(session, oidc_subject=subject)
        if user is None and email:
            user = accounts_repo.find_user(session, username=email.strip().lower())
            if user is not None and user.oidc_subject is None:
                accounts_repo.update_user(session, user.id, oidc_subject=subject)
        if user is None or not user.active:
            raise Unauthenticated(
                "the identity provider signed you in, but Kedja has no active account for you",
                field="sub", value=subject,
                hint="ask an administrator to add you with: kedja users add")
        return _start_session(session, user, now)


def signed_in(engine: Engine, token: str, *, clock: Clock = _now) -> SignedIn:
    """The live session for a cookie's token.

    Raises:
        Unauthenticated: no such session, it has expired, or the account is disabled.
    """
    now = clock()
    with session_scope(engine) as session:
        stored = accounts_repo.find_session(session, _token_hash(token))
        user = accounts_repo.find_user(session, user_id=stored.user_id) if stored else None
        if stored is None or user is None or not user.active or _aware(stored.expires) <= now:
            if stored is not None:
                accounts_repo.delete_session(session, stored.token_hash)
            raise Unauthenticated("you are not signed in, or your session has ended",
                                  hint="sign in at /login")
        return SignedIn(_principal(user), user.display_name, stored.csrf_token,
                        organisation_name=user.organisation_name)


def sign_out(engine: Engine, token: str) -> None:
    """End the session of a cookie's token (nothing happens for an unknown token)."""
    with session_scope(engine) as session:
        stored = accounts_repo.find_session(session, _token_hash(token))
        if stored is None:
            return
        user = accounts_repo.find_user(session, user_id=stored.user_id)
        accounts_repo.delete_session(session, stored.token_hash)
        if user is not None:
            records.append_audit(session, [_entry(user.username, user.organisation_id,
                                                  AuditAction.SIGN_OUT, user.id, _now())])


def role_names() -> list[str]:
    """Every role name, for help texts."""
    return [r.value for r in Role]
