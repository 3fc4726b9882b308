"""Imported classification concepts and the links between them (ESCO, JobTech, SCB, O*NET).

The foundation's :class:`~kedja.core.taxonomy.Occupation` is Kedja's working unit (an SSYK
2012 group). The official classifications arrive as many concepts of several *schemes* linked
by typed relations; importers produce a :class:`TaxonomyBatch` of plain records, the store
writes it, the engines read it back as arrays.

Examples:
    >>> c = Concept("esco-skill", "http://data.europa.eu/esco/skill/1", "weld metal")
    >>> c.key
    ('esco-skill', 'http://data.europa.eu/esco/skill/1')
    >>> Concept("esco-skill", "", "x")
    Traceback (most recent call last):
    ...
    kedja.core.errors.InvalidInput: '' is empty (field 'concept.code'). Fix: give a value.

"""

from __future__ import annotations

from dataclasses import dataclass, field

from kedja.core.validation import non_empty

__all__ = ["Concept", "ConceptLink", "Relation", "Scheme", "TaxonomyBatch"]


class Scheme:
    """Names of the concept schemes Kedja imports (a concept is keyed by scheme and code)."""

    ESCO_OCCUPATION = "esco-occupation"
    ESCO_SKILL = "esco-skill"
    ESCO_SKILL_GROUP = "esco-skill-group"
    ESCO_COLLECTION = "esco-collection"
    ISCO = "isco"
    SSYK = "ssyk"
    JOBTECH_OCCUPATION = "jobtech-occupation"
    JOBTECH_SKILL = "jobtech-skill"
    SCB_TITLE = "scb-title"
    ONET_OCCUPATION = "onet-occupation"
    ONET_ELEMENT = "onet-element"


class Relation:
    """Names of the link types between concepts."""

    ESSENTIAL = "essential"
    OPTIONAL = "optional"
    BROADER = "broader"
    MEMBER = "member"
    ISCO = "isco"
    RELATED = "related"
    SKILL = "skill"
    NO_EDUCATION = "no-education-requirement"
    IMPORTANCE = "importance"
    LEVEL = "level"
    JOB_ZONE = "job-zone"
    EDUCATION = "education"


@dataclass(frozen=True, slots=True)
class Concept:
    """One concept of a classification: an occupation, skill, group, title or collection.

    Attributes:
        scheme: one of :class:`Scheme`.
        code: the scheme's identifier (ESCO URI, SSYK/ISCO code, JobTech concept id).
        label: the preferred label.
        alt_labels: alternative labels (used by search).
        kind: ESCO skill type (``skill/competence``, ``knowledge``) or a similar category.
        reuse_level: ESCO reuse level (transversal, cross-sector, sector-specific,
            occupation-specific).
        lang: language of the labels (``en`` or ``sv``).

    """

    scheme: str
    code: str
    label: str
    alt_labels: tuple[str, ...] = ()
    kind: str | None = None
    reuse_level: str | None = None
    lang: str = "en"

    def __post_init__(self) -> None:
        non_empty(self.code, field="concept.code")
        non_empty(self.label, field="concept.label")

    @property
    def key(self) -> tuple[str, str]:
        """The concept's primary key."""
        return (self.scheme, self.code)


@dataclass(frozen=True, slots=True)
class ConceptLink:
    """A typed, directed link between two concepts (``weight`` for rated links, e.g. O*NET)."""

    from_scheme: str
    from_code: str
    relation: str
    to_scheme: str
    to_code: str
    weight: float | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The link's primary key."""
        return (self.from_scheme, self.from_code, self.relation, self.to_scheme, self.to_code)


@dataclass
class TaxonomyBatch:
    """Everything one import of one source produced, ready to be written in one transaction.

    Attributes:
        source: the source's short name (``esco``, ``jobtech``, ``scb-ssyk``, ``onet``).
        version: the source's version (e.g. ``v1.1.1``).
        location: where it was read from (path), for the sources table.
        concepts: the concepts, unique by key.
        links: the links, unique by key.
        notes: facts worth reporting (orphans dropped, rows skipped and why).

    """

    source: str
    version: str
    location: str
    concepts: list[Concept] = field(default_factory=list)
    links: list[ConceptLink] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """Concepts per scheme (key ``scheme``) and links per relation (``scheme->relation``)."""
        counts: dict[str, int] = {}
        for concept in self.concepts:
            counts[concept.scheme] = counts.get(concept.scheme, 0) + 1
        for link in self.links:
            key = f"{link.from_scheme}->{link.relation}"
            counts[key] = counts.get(key, 0) + 1
        return counts
