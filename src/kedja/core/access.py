"""Who may do what: roles per organisation, permissions and the visibility of a person's record.

The rules live here, once, as pure functions; ``kedja.services`` applies them to every use case
and ``kedja.web`` only asks the services. A user belongs to one organisation and holds roles that
the organisation's kind allows (an ``officer`` works at the Employment Service or a municipality's
labour-market unit, ``employer_hr`` at an employer, …).

A person's record is visible to an organisation only when the person has consented to it or the
organisation holds an active referral for the person (the receiving organisation only once the
person's consent to the referral is recorded); an employer needs the person's consent (a
referral is not enough) and sees the candidate view only. Analysts see aggregates only, and
admins manage accounts and read the audit log but not people's records.

Examples:
    >>> officer = Principal(user_id="u1", username="o@af.se", organisation_id="AF25",
    ...                     organisation_kind=OrganisationKind.EMPLOYMENT_SERVICE,
    ...                     roles=frozenset({Role.OFFICER}))
    >>> is_permitted(officer, Permission.READ_PEOPLE), is_permitted(officer, Permission.READ_AUDIT)
    (True, False)
    >>> grants = [Grant("P1", "AF25", GrantBasis.CONSENT),
    ...           Grant("P1", "ASF001", GrantBasis.REFERRAL)]
    >>> is_person_visible(officer, grants)
    True
    >>> is_person_visible(officer, [Grant("P1", "AF24", GrantBasis.CONSENT)])
    False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from kedja.core.errors import Forbidden, InvalidInput
from kedja.core.organisations import OrganisationKind

__all__ = [
    "ACTIVE_REFERRAL_STATES",
    "DATA_CONTROLLER_KINDS",
    "Grant",
    "GrantBasis",
    "Permission",
    "PersonView",
    "Principal",
    "Purpose",
    "Role",
    "allowed_roles",
    "is_permitted",
    "is_person_visible",
    "is_role_allowed",
    "operator_principal",
    "permissions_of",
    "person_access",
    "person_view",
    "refusal",
    "require_permission",
    "require_person_visible",
    "validated_roles",
]


class Role(StrEnum):
    """What a user does in their organisation."""

    ADMIN = "admin"
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    ANALYST = "analyst"
    EMPLOYER_HR = "employer_hr"
    OPERATOR = "operator"
    """The local operator at the command line, who holds the database itself; never a user's
    role (no kind of organisation may give it), only :func:`operator_principal`'s."""


class Permission(StrEnum):
    """An action a role may take; each service function checks one."""

    READ_AGGREGATES = "read_aggregates"
    READ_ORGANISATIONS = "read_organisations"
    READ_PEOPLE = "read_people"
    RECORD_CONSENT = "record_consent"
    READ_AUDIT = "read_audit"
    MANAGE_USERS = "manage_users"
    RUN_ALLOCATION = "run_allocation"
    PLAN_WORKFORCE = "plan_workforce"
    MANAGE_REFERRALS = "manage_referrals"
    POST_ON_HUB = "post_on_hub"
    MANAGE_DIRECTORY = "manage_directory"
    HANDLE_DATA_REQUESTS = "handle_data_requests"
    APPROVE_ALGORITHM = "approve_algorithm"
    """Approve a new version of a scoring algorithm's weights (the algorithm register)."""


class Purpose(StrEnum):
    """Why a person's record is read; every audit entry names one."""

    CASE_MANAGEMENT = "case_management"
    MATCHING = "matching"
    RECRUITMENT = "recruitment"
    FOLLOW_UP = "follow_up"
    GDPR_REQUEST = "gdpr_request"
    SECURITY_REVIEW = "security_review"
    WORKFORCE_PLANNING = "workforce_planning"


class GrantBasis(StrEnum):
    """Why an organisation may see a person's record."""

    CONSENT = "consent"
    REFERRAL = "referral"
    REFERRAL_CONSENT = "referral_consent"
    """A referral to the organisation that the person consented to, for its purpose."""


class PersonView(StrEnum):
    """How much of a record a reader sees: the full case record, the candidate profile, or nothing."""

    FULL = "full"
    CANDIDATE = "candidate"
    NONE = "none"


ACTIVE_REFERRAL_STATES = ("proposed", "accepted", "started")
"""Referral states that give the sender, and the receiver once the person consented to the
referral, access to the person."""

_EVERYONE = frozenset({Permission.READ_AGGREGATES, Permission.READ_ORGANISATIONS})
_CASE_WORK = frozenset({Permission.READ_PEOPLE, Permission.RECORD_CONSENT,
                        Permission.MANAGE_REFERRALS, Permission.POST_ON_HUB})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: _EVERYONE | {Permission.READ_AUDIT, Permission.MANAGE_USERS, Permission.MANAGE_DIRECTORY,
                             Permission.RUN_ALLOCATION, Permission.PLAN_WORKFORCE,
                             Permission.HANDLE_DATA_REQUESTS, Permission.APPROVE_ALGORITHM},
    Role.OFFICER: _EVERYONE | _CASE_WORK | {Permission.RUN_ALLOCATION},
    Role.COORDINATOR: _EVERYONE | _CASE_WORK,
    Role.ANALYST: _EVERYONE,
    Role.EMPLOYER_HR: _EVERYONE | {Permission.READ_PEOPLE, Permission.POST_ON_HUB,
                                   Permission.MANAGE_REFERRALS, Permission.PLAN_WORKFORCE},
    Role.OPERATOR: _EVERYONE | {Permission.READ_AUDIT, Permission.MANAGE_USERS,
                                Permission.MANAGE_DIRECTORY, Permission.RUN_ALLOCATION,
                                Permission.PLAN_WORKFORCE, Permission.HANDLE_DATA_REQUESTS},
}

_K = OrganisationKind
ROLE_KINDS: dict[Role, frozenset[OrganisationKind]] = {
    Role.ADMIN: frozenset(_K),
    Role.OFFICER: frozenset({_K.EMPLOYMENT_SERVICE, _K.MUNICIPALITY}),
    Role.COORDINATOR: frozenset({_K.ASF, _K.MUNICIPALITY, _K.EDUCATION_PROVIDER}),
    Role.ANALYST: frozenset(_K),
    Role.EMPLOYER_HR: frozenset({_K.EMPLOYER}),
    Role.OPERATOR: frozenset(),
}

DATA_CONTROLLER_KINDS = frozenset({_K.EMPLOYMENT_SERVICE, _K.MUNICIPALITY, _K.ASF,
                                   _K.EDUCATION_PROVIDER})
"""Kinds of organisation that hold people's case records as data controllers: only their admins
answer a person's access request (art. 15) with an export. Employers and business organisations
see candidate profiles at most and never export a record."""

OPERATOR_PURPOSES = frozenset({"matching", "gdpr_request", "security_review"})
"""What the local operator may read a person's record for at the command line (pathways,
an access request's export, an investigation), each read audited under their name."""


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in user as the access rules see them."""

    user_id: str
    username: str
    organisation_id: str
    organisation_kind: OrganisationKind
    roles: frozenset[Role]


@dataclass(frozen=True, slots=True)
class Grant:
    """One reason why an organisation may see a person's record."""

    person_id: str
    organisation_id: str
    basis: GrantBasis
    purposes: frozenset[str] | None = None
    """The purposes a consent covers (``None``: every purpose; referrals cover every one)."""

    def covers(self, purpose: str) -> bool:
        """Whether the grant opens the record for ``purpose``."""
        return self.purposes is None or purpose in self.purposes


def operator_principal(name: str) -> Principal:
    """The local operator at the command line (``name``: the system user), as the gate sees them.

    The operator holds the database file itself, so the gate lets them read a record for the
    purposes of :data:`OPERATOR_PURPOSES` (pathways, an access request's export); every read is
    audited under ``cli:<name>`` like a user's.

    Examples:
        >>> op = operator_principal("maria")
        >>> op.username, sorted(op.roles)
        ('cli:maria', [<Role.OPERATOR: 'operator'>])
    """
    return Principal(user_id=f"cli:{name}", username=f"cli:{name}", organisation_id="",
                     organisation_kind=_K.EMPLOYMENT_SERVICE,
                     roles=frozenset({Role.OPERATOR}))


def person_access(principal: Principal, grants: Iterable[Grant], purpose: str) -> PersonView:
    """The view of a person's record the principal gets for ``purpose``: full, candidate or none.

    The single rule behind every read of a person (``kedja.services.gate`` applies it):

    - the role must give :attr:`Permission.READ_PEOPLE` (the operator reads for
      :data:`OPERATOR_PURPOSES` only);
    - the principal's organisation needs a grant that covers the purpose: a consent whose
      purposes include it, or an active referral (an employer: consent, or consent to a
      referral to it);
    - a consent the person gave the organisation limits everything the organisation does: a
      referral it sent (or received) never opens the record for a purpose that consent leaves out;
    - employers get the candidate view, everyone else the full record.

    Examples:
        >>> officer = Principal("u", "o@af.se", "AF25", OrganisationKind.EMPLOYMENT_SERVICE,
        ...                     frozenset({Role.OFFICER}))
        >>> only = [Grant("P1", "AF25", GrantBasis.CONSENT, frozenset({"recruitment"})),
        ...         Grant("P1", "AF25", GrantBasis.REFERRAL)]
        >>> person_access(officer, only, "recruitment").value, person_access(officer, only,
        ...                                                                   "case_management").value
        ('full', 'none')
    """
    if Role.OPERATOR in principal.roles:
        return PersonView.FULL if purpose in OPERATOR_PURPOSES else PersonView.NONE
    if not is_permitted(principal, Permission.READ_PEOPLE):
        return PersonView.NONE
    mine = [g for g in grants if g.organisation_id == principal.organisation_id]
    consents = [g for g in mine if g.basis is GrantBasis.CONSENT]
    if consents and not any(g.covers(purpose) for g in consents):
        return PersonView.NONE  # the person's own word on this organisation rules out the purpose
    employer = principal.organisation_kind is _K.EMPLOYER
    for grant in mine:
        if employer and grant.basis is GrantBasis.REFERRAL:
            continue
        if grant.covers(purpose):
            return person_view(principal)
    return PersonView.NONE


def permissions_of(principal: Principal) -> frozenset[Permission]:
    """Every permission the principal's roles give.

    Examples:
        >>> p = Principal("u", "a@x.se", "KOM2580", OrganisationKind.MUNICIPALITY,
        ...               frozenset({Role.ANALYST}))
        >>> sorted(p.value for p in permissions_of(p))
        ['read_aggregates', 'read_organisations']
    """
    granted: frozenset[Permission] = frozenset()
    for role in principal.roles:
        granted |= ROLE_PERMISSIONS[role]
    return granted


def is_permitted(principal: Principal, permission: Permission) -> bool:
    """Whether one of the principal's roles gives ``permission``."""
    return permission in permissions_of(principal)


def require_permission(principal: Principal, permission: Permission) -> None:
    """Raise :class:`Forbidden` unless the principal holds ``permission``.

    Examples:
        >>> p = Principal("u", "a@x.se", "KOM2580", OrganisationKind.MUNICIPALITY,
        ...               frozenset({Role.ANALYST}))
        >>> require_permission(p, Permission.READ_PEOPLE)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.Forbidden: the role analyst may not read_people (field 'role'). Fix: ...
    """
    if not is_permitted(principal, permission):
        roles = ", ".join(sorted(principal.roles)) or "no role"
        raise Forbidden(f"the role {roles} may not {permission.value}", field="role",
                        hint="ask an administrator of your organisation for a role that may")


def is_person_visible(principal: Principal, grants: Iterable[Grant]) -> bool:
    """Whether the principal's organisation may see the person the grants are about.

    Employers need the person's consent (to them, or to a referral to them); other organisations
    need consent or an active referral.
    The role must also give :attr:`Permission.READ_PEOPLE`.
    """
    if not is_permitted(principal, Permission.READ_PEOPLE):
        return False
    for grant in grants:
        if grant.organisation_id != principal.organisation_id:
            continue
        consented = grant.basis in (GrantBasis.CONSENT, GrantBasis.REFERRAL_CONSENT)
        if consented or principal.organisation_kind is not _K.EMPLOYER:
            return True
    return False


REFUSAL_HINT = ("ask the person for consent covering this purpose, or work through the "
                "organisation that holds their case")


def refusal(person_id: str, organisation_id: str, purpose: str) -> Forbidden:
    """The one answer to a refused read: the same whether or not the person exists.

    Examples:
        >>> str(refusal("P1", "AF25", "matching"))  # doctest: +ELLIPSIS
        "person 'P1' has not consented to 'AF25' for matching and it holds no active referral ..."
    """
    return Forbidden(f"person {person_id!r} has not consented to {organisation_id!r} for "
                     f"{purpose} and it holds no active referral for them that covers it",
                     field="person_id", value=person_id, hint=REFUSAL_HINT)


def require_person_visible(principal: Principal, person_id: str, grants: Iterable[Grant]) -> None:
    """Raise :class:`Forbidden` unless the person's record is visible to the principal."""
    require_permission(principal, Permission.READ_PEOPLE)
    if not is_person_visible(principal, grants):
        raise Forbidden(
            f"person {person_id!r} has not consented to {principal.organisation_id!r} and it "
            "holds no active referral for them",
            field="person_id", value=person_id,
            hint="ask the person for consent, or work through the organisation that holds "
                 "their referral",
        )


def person_view(principal: Principal) -> PersonView:
    """The view of a record the principal gets: employers see the candidate profile only.

    Examples:
        >>> hr = Principal("u", "hr@x.se", "EMP1", OrganisationKind.EMPLOYER,
        ...                frozenset({Role.EMPLOYER_HR}))
        >>> person_view(hr).value
        'candidate'
    """
    if principal.organisation_kind is _K.EMPLOYER:
        return PersonView.CANDIDATE
    return PersonView.FULL


def is_role_allowed(role: Role, kind: OrganisationKind) -> bool:
    """Whether an organisation of ``kind`` may give a user ``role``.

    Examples:
        >>> is_role_allowed(Role.EMPLOYER_HR, OrganisationKind.ASF)
        False
        >>> is_role_allowed(Role.COORDINATOR, OrganisationKind.ASF)
        True
    """
    return kind in ROLE_KINDS[role]


def allowed_roles(kind: OrganisationKind) -> list[Role]:
    """The roles an organisation of ``kind`` may give, in a stable order."""
    return [role for role in Role if is_role_allowed(role, kind)]


def validated_roles(names: Iterable[str], kind: OrganisationKind) -> frozenset[Role]:
    """Parse role names and check each against the organisation's kind.

    Raises:
        InvalidInput: an unknown role, a role the kind does not allow, or no role at all.

    Examples:
        >>> sorted(validated_roles(["officer"], OrganisationKind.EMPLOYMENT_SERVICE))
        [<Role.OFFICER: 'officer'>]
        >>> validated_roles(["boss"], OrganisationKind.ASF)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: 'boss' is not a role (field 'roles'). Fix: use one of ...
    """
    roles = set()
    for name in names:
        try:
            role = Role(name)
        except ValueError:
            role = None
        if role is None or role is Role.OPERATOR:
            raise InvalidInput(f"{name!r} is not a role", field="roles", value=name,
                               hint="use one of " + ", ".join(
                                   r.value for r in Role if r is not Role.OPERATOR)) from None
        if not is_role_allowed(role, kind):
            raise InvalidInput(
                f"an organisation of kind {kind.value} cannot give the role {role.value}",
                field="roles", value=name,
                hint="use one of " + ", ".join(r.value for r in allowed_roles(kind)))
        roles.add(role)
    if not roles:
        raise InvalidInput("a user needs at least one role", field="roles",
                           hint="give --role once or more")
    return frozenset(roles)
