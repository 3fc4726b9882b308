"""The relational schema: one table per domain concept, SQLAlchemy 2 declarative.

Lists inside a record that are never queried on their own (licences, adaptations, preferences)
are JSON columns; lists that engines join on (a person's skills, an opportunity's skills,
occupation–skill links) are tables. Protected attributes have a table of their own so that no
query that builds a score can reach them by accident.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AllocationAssignmentRow",
    "AllocationRow",
    "AuditEntryRow",
    "Base",
    "ConsentRow",
    "CountyRow",
    "DataRequestRow",
    "DatasetInfoRow",
    "EnrolmentRow",
    "EstablishmentHeadcountRow",
    "EstablishmentRow",
    "ExitRow",
    "ExternalKeyRow",
    "FunctionalAreaRow",
    "HubAgreementRow",
    "HubLocationRow",
    "HubPostingRow",
    "HubServiceAtLocationRow",
    "HubServiceRow",
    "JobRow",
    "LocalityRow",
    "MunicipalityRow",
    "OccupationRow",
    "OccupationSkillRow",
    "OpportunityRow",
    "OpportunitySkillRow",
    "OrganisationRow",
    "OutcomeRow",
    "PersonIdentityRow",
    "PersonLanguageRow",
    "PersonNoteRow",
    "PersonOccupationRow",
    "PersonRow",
    "PersonSkillRow",
    "ProgressAssessmentRow",
    "ProtectedAttributesRow",
    "RecordKeyRow",
    "ReferralEventRow",
    "ReferralRow",
    # issue 20
    "ScoreWeightsRow",
    "SignInFailureRow",
    "SkillRow",
    "TaxonomyConceptRow",
    "TaxonomyLinkRow",
    "TaxonomySourceRow",
    "TransitFeedRow",
    "TransitServiceRow",
    "TransitStopRow",
    "TransitStopTimeRow",
    "TransitTransferRow",
    "TransitTripRow",
    "UserRow",
    "WebSessionRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID = String(64)
CODE = String(16)


NULLABLE_JSON = JSON(none_as_null=True)
"""A JSON column where Python ``None`` is SQL NULL (not the JSON text ``null``), so a backup
restores it as it was and ``IS NULL`` finds it."""


class Base(DeclarativeBase):
    """Declarative base with a naming convention, so migrations are stable on every database."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class DatasetInfoRow(Base):
    """Facts about the database's contents: demo seed, pack versions, import sources."""

    __tablename__ = "dataset_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CountyRow(Base):
    __tablename__ = "counties"
    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class FunctionalAreaRow(Base):
    __tablename__ = "functional_areas"
    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class MunicipalityRow(Base):
    __tablename__ = "municipalities"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    county_code: Mapped[str] = mapped_column(ForeignKey("counties.code"))
    functional_area_code: Mapped[str | None] = mapped_column(ForeignKey("functional_areas.code"))
    seat_lat: Mapped[float] = mapped_column(Float)
    seat_lon: Mapped[float] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    share_0_19: Mapped[float | None] = mapped_column(Float)
    share_20_64: Mapped[float | None] = mapped_column(Float)
    share_65_plus: Mapped[float | None] = mapped_column(Float)
    age_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)


class LocalityRow(Base):
    __tablename__ = "localities"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class OccupationRow(Base):
    __tablename__ = "occupations"
    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    name_sv: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str | None] = mapped_column(String(255))
    isco_codes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    jobtech_id: Mapped[str | None] = mapped_column(String(32))
    esco_uris: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sector: Mapped[str] = mapped_column(String(32))
    no_educational_requirement: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str | None] = mapped_column(String(64))


class SkillRow(Base):
    __tablename__ = "skills"
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    name_sv: Mapped[str | None] = mapped_column(String(255))
    name_en: Mapped[str | None] = mapped_column(String(255))
    jobtech_id: Mapped[str | None] = mapped_column(String(32))
    esco_uri: Mapped[str | None] = mapped_column(String(255))
    source: Mapped[str | None] = mapped_column(String(64))


class OccupationSkillRow(Base):
    __tablename__ = "occupation_skills"
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), primary_key=True)
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    relation: Mapped[str] = mapped_column(String(16))


class OrganisationRow(Base):
    __tablename__ = "organisations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    org_number: Mapped[str | None] = mapped_column(String(11), unique=True)
    sni: Mapped[str | None] = mapped_column(String(8))
    asf_services: Mapped[list[Any] | None] = mapped_column(NULLABLE_JSON)
    asf_placement_capacity: Mapped[int | None] = mapped_column(Integer)


class PersonRow(Base):
    __tablename__ = "people"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    locality_id: Mapped[str | None] = mapped_column(ForeignKey("localities.id"))
    status: Mapped[str] = mapped_column(String(32), index=True)
    status_since: Mapped[date | None] = mapped_column(Date)
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.code"))
    employer_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    support_forms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    sun_level: Mapped[str | None] = mapped_column(String(1))
    sun_field: Mapped[str | None] = mapped_column(String(8))
    driving_licences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    max_commute_minutes: Mapped[int] = mapped_column(Integer)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    adaptations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    available_from: Mapped[date | None] = mapped_column(Date)
    preferred_occupations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    preferred_sectors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    erased_on: Mapped[date | None] = mapped_column(Date)
    """Set when the person was erased: the row keeps only what statistics need (privacy.py)."""


class PersonSkillRow(Base):
    __tablename__ = "person_skills"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True, index=True)
    source: Mapped[str] = mapped_column(String(16))


class PersonOccupationRow(Base):
    __tablename__ = "person_occupations"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_code: Mapped[str] = mapped_column(ForeignKey("occupations.code"), primary_key=True)
    years: Mapped[float] = mapped_column(Float)


class PersonLanguageRow(Base):
    __tablename__ = "person_languages"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(2), primary_key=True)
    level: Mapped[str] = mapped_column(String(8))


class ProtectedAttributesRow(Base):
    """Kept apart: read only by equal-treatment audits and aggregated indicators."""

    __tablename__ = "protected_attributes"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    gender: Mapped[str | None] = mapped_column(String(8))
    birth_year: Mapped[int | None] = mapped_column(Integer)
    born_abroad: Mapped[bool | None] = mapped_column(Boolean)
    disability: Mapped[bool | None] = mapped_column(Boolean)


class OpportunityRow(Base):
    __tablename__ = "opportunities"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    occupation_code: Mapped[str | None] = mapped_column(ForeignKey("occupations.code"), index=True)
    locality_id: Mapped[str | None] = mapped_column(ForeignKey("localities.id"))
    remote_share: Mapped[float] = mapped_column(Float, default=0.0)
    hours_per_week: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)
    starts: Mapped[date | None] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    driving_licences: Mapped[list[Any]] = mapped_column(JSON, default=list)
    swedish_level: Mapped[str | None] = mapped_column(String(8))
    adaptations_offered: Mapped[list[Any]] = mapped_column(JSON, default=list)
    training_weeks: Mapped[int | None] = mapped_column(Integer)
    training_provider_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    training_leads_to: Mapped[list[Any] | None] = mapped_column(NULLABLE_JSON)
    training_cost_sek: Mapped[int | None] = mapped_column(Integer)
    training_requires_experience: Mapped[list[Any] | None] = mapped_column(NULLABLE_JSON)
    min_education_level: Mapped[str | None] = mapped_column(String(1))
    max_swedish_level: Mapped[str | None] = mapped_column(String(8))


class OpportunitySkillRow(Base):
    __tablename__ = "opportunity_skills"
    opportunity_id: Mapped[str] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[str] = mapped_column(ForeignKey("skills.id"), primary_key=True)
    required: Mapped[bool] = mapped_column(Boolean)


class EstablishmentRow(Base):
    __tablename__ = "establishments"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    organisation_id: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"))
    occupation_mix: Mapped[dict[str, Any]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text, default="")
    headcount_source: Mapped[str | None] = mapped_column(String(255))
    headcount_as_of: Mapped[str | None] = mapped_column(String(10))


class EstablishmentHeadcountRow(Base):
    __tablename__ = "establishment_headcounts"
    establishment_id: Mapped[str] = mapped_column(
        ForeignKey("establishments.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    headcount: Mapped[int] = mapped_column(Integer)


class ReferralRow(Base):
    __tablename__ = "referrals"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    from_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    opportunity_id: Mapped[str | None] = mapped_column(ForeignKey("opportunities.id"))
    state: Mapped[str] = mapped_column(String(16), index=True)
    created: Mapped[date] = mapped_column(Date)
    consent_given: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(Text)
    waitlisted_on: Mapped[date | None] = mapped_column(Date)
    """The day the referral was put on the receiver's waiting list (it was full), or ``None``."""


class ReferralEventRow(Base):
    """Every state change of a referral, so that none is ever lost."""

    __tablename__ = "referral_events"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    referral_id: Mapped[str] = mapped_column(ForeignKey("referrals.id"), index=True)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str | None] = mapped_column(String(255))
    note: Mapped[str | None] = mapped_column(Text)


class EnrolmentRow(Base):
    __tablename__ = "enrolments"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date | None] = mapped_column(Date)


class ExitRow(Base):
    __tablename__ = "exits"
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    on: Mapped[date] = mapped_column(Date)
    destination: Mapped[str] = mapped_column(String(32))


class OutcomeRow(Base):
    __tablename__ = "outcomes"
    enrolment_id: Mapped[str] = mapped_column(ForeignKey("enrolments.id"), primary_key=True)
    days_after_exit: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))


class AuditEntryRow(Base):
    """Append-only record of every read and write of a person's data."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_subject", "subject_type", "subject_id"),
                      # a case worker's caseload ("mine", "my unit") reads the writes by actor
                      Index("ix_audit_log_actor_action", "actor", "action"),
                      Index("ix_audit_log_organisation_action", "organisation_id", "action"))
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    actor: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[str] = mapped_column(String(255))
    purpose: Mapped[str | None] = mapped_column(Text)




# Matching: region-wide allocations and their audit ---------------------------------------------


class AllocationRow(Base):
    """One run of the region-wide allocation, with its summary and equal-treatment audit."""

    __tablename__ = "allocations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    scenario: Mapped[str] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(32))
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    audit: Mapped[dict[str, Any]] = mapped_column(JSON)


class AllocationAssignmentRow(Base):
    """A person's place in an allocation, with the fit and its breakdown."""

    __tablename__ = "allocation_assignments"
    allocation_id: Mapped[str] = mapped_column(
        ForeignKey("allocations.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id"), primary_key=True)
    opportunity_id: Mapped[str] = mapped_column(ForeignKey("opportunities.id"), index=True)
    fit: Mapped[float] = mapped_column(Float)
    factors: Mapped[dict[str, Any]] = mapped_column(JSON)
# --- Taxonomy: imported classifications (issue 3) -------------------------------------------
# ESCO, JobTech, SCB and O*NET concepts share one table keyed by (scheme, code), and every
# relation between them (occupation–skill, hierarchy, collections, crosswalks, ratings) one
# links table (per source, so SCB's and JobTech's SSYK→ISCO keys live side by side with their
# provenance). Links carry no foreign keys on purpose: crosswalks may arrive before the
# scheme they point to (SCB's SSYK→ISCO key before ESCO's ISCO groups), and the coverage
# report says what does not resolve.


class TaxonomySourceRow(Base):
    """One imported source: its version, where it came from, when, and what it held."""

    __tablename__ = "taxonomy_sources"
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    location: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class TaxonomyConceptRow(Base):
    """A concept of a classification (ESCO occupation or skill, SSYK group, job title...)."""

    __tablename__ = "taxonomy_concepts"
    scheme: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(255), primary_key=True)
    label: Mapped[str] = mapped_column(Text)
    alt_labels: Mapped[list[Any]] = mapped_column(JSON)
    kind: Mapped[str | None] = mapped_column(String(64))
    reuse_level: Mapped[str | None] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8))
    source: Mapped[str] = mapped_column(String(32), index=True)


class TaxonomyLinkRow(Base):
    """A typed link between two concepts, per source; ``weight`` holds ratings (O*NET)."""

    __tablename__ = "taxonomy_links"
    __table_args__ = (Index("ix_taxonomy_links_to", "to_scheme", "to_code"),)
    source: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_scheme: Mapped[str] = mapped_column(String(32), primary_key=True)
    from_code: Mapped[str] = mapped_column(String(255), primary_key=True)
    relation: Mapped[str] = mapped_column(String(32), primary_key=True)
    to_scheme: Mapped[str] = mapped_column(String(32), primary_key=True)
    to_code: Mapped[str] = mapped_column(String(255), primary_key=True)
    weight: Mapped[float | None] = mapped_column(Float)
# Web shell: accounts, server-side sessions and consents (issue 4) ------------------------------


class UserRow(Base):
    """A user account: one organisation, roles from that organisation, local or OIDC sign-in."""

    __tablename__ = "users"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    username: Mapped[str] = mapped_column(String(255), unique=True)
    display_name: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    roles: Mapped[list[Any]] = mapped_column(JSON, default=list)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class WebSessionRow(Base):
    """A signed-in browser: only the SHA-256 of the cookie's token is stored."""

    __tablename__ = "web_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ConsentRow(Base):
    """A person's consent that an organisation may see their record (until withdrawn)."""

    __tablename__ = "consents"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id"), primary_key=True, index=True
    )
    given: Mapped[date] = mapped_column(Date)
    withdrawn: Mapped[date | None] = mapped_column(Date)
    purposes: Mapped[list[str] | None] = mapped_column(NULLABLE_JSON)
    """The purposes (``kedja.core.access.Purpose`` values) the consent covers; ``None``: every one."""


class DataRequestRow(Base):
    """A person's request as the organisation that handles it recorded it.

    An access request (GDPR art. 15, ``kind='access'``) or a change of their consents
    (``kind='consent'``).

    ``person_id`` has no key to ``people``: a request about an id nobody holds is recorded the
    same way, so recording one reveals nothing about who is registered.
    """

    __tablename__ = "data_requests"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(ID, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    requester: Mapped[str] = mapped_column(String(255))
    """Who asked: the person, or their representative by name."""
    received: Mapped[date] = mapped_column(Date)
    channel: Mapped[str] = mapped_column(String(32))
    """How the request came: in_person, phone, letter, e_service."""
    reason: Mapped[str | None] = mapped_column(Text)
    identity_check: Mapped[str | None] = mapped_column(Text)
    """How the person's identity was checked (access requests)."""
    recorded_by: Mapped[str] = mapped_column(String(255))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# Collaboration hub and follow-up (issue 8) -------------------------------------------------------


class HubServiceRow(Base):
    """A service an organisation provides (HSDS service + service_capacity)."""

    __tablename__ = "hub_services"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    category: Mapped[str] = mapped_column(String(32), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(String(255))
    capacity: Mapped[int | None] = mapped_column(Integer)
    available: Mapped[int | None] = mapped_column(Integer)
    capacity_unit: Mapped[str] = mapped_column(String(32))


class HubLocationRow(Base):
    """A place where an organisation works (HSDS location with its physical address)."""

    __tablename__ = "hub_locations"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"), index=True)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    address_1: Mapped[str] = mapped_column(String(255), default="")
    city: Mapped[str] = mapped_column(String(255), default="")
    postal_code: Mapped[str] = mapped_column(String(16), default="")


class HubServiceAtLocationRow(Base):
    __tablename__ = "hub_service_at_location"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    service_id: Mapped[str] = mapped_column(
        ForeignKey("hub_services.id", ondelete="CASCADE"), index=True)
    location_id: Mapped[str] = mapped_column(
        ForeignKey("hub_locations.id", ondelete="CASCADE"), index=True)


class HsdsRecordRow(Base):
    """An imported HSDS core object as it came, so that an import loses nothing (issue 22).

    ``mapped`` when Kedja's directory models the object (its fields Kedja does not write are
    added back on export); otherwise it is another publisher's object, exported as it came.
    """

    __tablename__ = "hsds_records"
    object_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[str] = mapped_column(String(255), primary_key=True)
    mapped: Mapped[bool] = mapped_column(Boolean, default=False)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)


class HubPostingRow(Base):
    """A need or an offer on the hub."""

    __tablename__ = "hub_postings"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    side: Mapped[str] = mapped_column(String(8), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    municipality_code: Mapped[str] = mapped_column(ForeignKey("municipalities.code"))
    quantity: Mapped[int] = mapped_column(Integer)
    reserved_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    social_criteria: Mapped[bool] = mapped_column(Boolean, default=False)
    posted: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)


class HubAgreementRow(Base):
    """What two actors agreed, with dates."""

    __tablename__ = "hub_agreements"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    buyer_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    supplier_organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"),
                                                          index=True)
    need_id: Mapped[str | None] = mapped_column(ForeignKey("hub_postings.id"))
    offer_id: Mapped[str | None] = mapped_column(ForeignKey("hub_postings.id"))
    starts: Mapped[date] = mapped_column(Date)
    ends: Mapped[date | None] = mapped_column(Date)
    terms: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(255))


class ProgressAssessmentRow(Base):
    """A participant's own rating of one dimension of their distance to the labour market."""

    __tablename__ = "progress_assessments"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    assessed_on: Mapped[date] = mapped_column(Date, primary_key=True)
    dimension: Mapped[str] = mapped_column(String(32), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)


class PersonNoteRow(Base):
    """A case worker's note on a person's case, seen by the organisation that wrote it only.

    Written and read through the gate (case management, full view); erased with the person.
    """

    __tablename__ = "person_notes"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"))
    author: Mapped[str] = mapped_column(String(255))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)


class RecordKeyRow(Base):
    """A person's record key for the cell-key method of the published indicators.

    A random integer in ``[0, 2**32)``, drawn once (the first time the person is counted) and
    never changed, so the same people always give the same published figures; it moves to the
    pseudonym on erasure. Never shown.
    """

    __tablename__ = "record_keys"
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[int] = mapped_column(BigInteger)


class SignInFailureRow(Base):
    """A failed sign-in from a client address (the per-address limit of every server process).

    Rows older than the window are deleted as new ones come.
    """

    __tablename__ = "sign_in_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class CacheGenerationRow(Base):
    """How often derived data has changed, shared by every server process.

    ``region``: a process drops its cached region-wide results when the number it last saw is
    behind (``kedja.services.cache``); ``grants``: counted up by triggers on consents, referrals
    and people (``kedja.store.records.organisation_grants``).
    """

    __tablename__ = "cache_generations"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


# Reliability (issue 9): long jobs run in the background, with their progress -----------------


class JobRow(Base):
    """A long job (an allocation run) started from the web: its state, progress and result."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    step: Mapped[str] = mapped_column(String(255), default="")
    created_by: Mapped[str] = mapped_column(String(255))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[dict[str, Any] | None] = mapped_column(NULLABLE_JSON)
    error: Mapped[str | None] = mapped_column(Text)


# --- A region's own data (issue 15) ------------------------------------------------------------


class PersonIdentityRow(Base):
    """Who a loaded person is: name and personal number, encrypted; the loader's own key.

    ``name_token`` and ``number_token`` are AES-GCM ciphertexts (``kedja.store.identity``);
    ``number_index`` is a keyed HMAC of the number, so a case worker can find a person by
    number without the number being readable. Erasure deletes the row.
    """

    __tablename__ = "person_identities"
    __table_args__ = (UniqueConstraint("owner_id", "external_id", name="uq_person_identities_owner"),)
    person_id: Mapped[str] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[str] = mapped_column(String(64), default="")
    """The organisation that loaded the person ('' for the local operator)."""
    external_id: Mapped[str | None] = mapped_column(String(128))
    name_token: Mapped[str] = mapped_column(Text)
    number_token: Mapped[str | None] = mapped_column(Text)
    number_index: Mapped[str | None] = mapped_column(String(64), index=True)
    key_id: Mapped[str] = mapped_column(String(16))


class ExternalKeyRow(Base):
    """An organisation's own id for a record Kedja loaded (upserts match on it)."""

    __tablename__ = "external_keys"
    owner_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
# Reach and calibration (issue 20): one imported GTFS feed, versioned score weights --------------
# The database holds one public transport feed at a time; an import replaces it in one
# transaction. Times are seconds after midnight of the service day (GTFS times may pass 24:00).


class TransitFeedRow(Base):
    """The imported GTFS feed: its version, publisher, validity and where it came from."""

    __tablename__ = "transit_feeds"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    publisher: Mapped[str] = mapped_column(String(255))
    source: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    counts: Mapped[dict[str, Any]] = mapped_column(JSON)


class TransitStopRow(Base):
    __tablename__ = "transit_stops"
    stop_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)


class TransitTripRow(Base):
    __tablename__ = "transit_trips"
    trip_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    route_id: Mapped[str] = mapped_column(String(64))
    service_id: Mapped[str] = mapped_column(String(64), index=True)


class TransitStopTimeRow(Base):
    __tablename__ = "transit_stop_times"
    trip_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    stop_id: Mapped[str] = mapped_column(String(64))
    arrival: Mapped[int] = mapped_column(Integer)
    departure: Mapped[int] = mapped_column(Integer)
    pickup: Mapped[bool] = mapped_column(Boolean)
    drop_off: Mapped[bool] = mapped_column(Boolean)


class TransitServiceRow(Base):
    """The dates a service runs (calendar.txt and calendar_dates.txt combined)."""

    __tablename__ = "transit_services"
    service_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    dates: Mapped[list[str]] = mapped_column(JSON)


class TransitTransferRow(Base):
    __tablename__ = "transit_transfers"
    from_stop: Mapped[str] = mapped_column(String(64), primary_key=True)
    to_stop: Mapped[str] = mapped_column(String(64), primary_key=True)
    seconds: Mapped[int] = mapped_column(Integer)


class ScoreWeightsRow(Base):
    """A version of the match score's weights: fitted on outcomes, proposed, approved or refused."""

    __tablename__ = "score_weights"
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), index=True)
    weights: Mapped[dict[str, Any]] = mapped_column(JSON)
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    decided_by: Mapped[str | None] = mapped_column(String(255))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
class ChainPlanRow(Base):
    """An employer's saved workforce plan: its staff's steps, and whom it is shared with."""

    __tablename__ = "chain_plans"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[str] = mapped_column(String(255))
    created: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    steps: Mapped[list[Any]] = mapped_column(JSON)
    shared_with: Mapped[str | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    """The Employment Service office the plan is shared with (steps without names), or None."""
    shared_on: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
