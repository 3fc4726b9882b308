"""ESCO v1.x from the official CSV download (the zips or the folder they unpack to).

Reads occupations (with their ISCO-08 unit group), skills (type, reuse level), ISCO groups,
skill groups, the occupation and skill hierarchies, occupation–skill relations (essential or
optional), skill–skill relations and the green, digital, DigComp, transversal, language and
research collections. Links whose ends are not in the download are dropped and reported
(``TaxonomyBatch.notes``), never silently kept.

Source: ESCO, European Commission (Decision 2011/833/EU, reuse with attribution).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from kedja.core.concepts import Concept, ConceptLink, Relation, Scheme, TaxonomyBatch
from kedja.core.errors import InvalidInput
from kedja.taxonomy.importers.files import CsvRow, SourceFiles, csv_rows, decoded_text

__all__ = ["COLLECTIONS", "esco_batch"]

OCCUPATIONS = "occupations_en.csv"
SKILLS = "skills_en.csv"
ISCO_GROUPS = "ISCOGroups_en.csv"
SKILL_GROUPS = "skillGroups_en.csv"
HIERARCHY = "skillsHierarchy_en.csv"
OCC_SKILL = "occupationSkillRelations.csv"
SKILL_SKILL = "skillSkillRelations.csv"
BROADER_OCC = "broaderRelationsOccPillar.csv"
BROADER_SKILL = "broaderRelationsSkillPillar.csv"
COLLECTIONS = {
    "green": "greenSkillsCollection_en.csv",
    "digital": "digitalSkillsCollection_en.csv",
    "digcomp": "digCompSkillsCollection_en.csv",
    "transversal": "transversalSkillsCollection_en.csv",
    "language": "languageSkillsCollection_en.csv",
    "research-skills": "researchSkillsCollection_en.csv",
    "research-occupations": "researchOccupationsCollection_en.csv",
}
CONCEPT_COLUMNS = {
    "conceptType", "conceptUri", "iscoGroup", "preferredLabel", "altLabels", "hiddenLabels",
    "status", "modifiedDate", "regulatedProfessionNote", "scopeNote", "definition", "inScheme",
    "description", "code", "skillType", "reuseLevel", "broaderConceptUri", "broaderConceptPT",
}
HIERARCHY_COLUMNS = {f"Level {n} {what}" for n in range(4) for what in ("URI", "preferred term",
                                                                         "code")}
HIERARCHY_COLUMNS |= {"Description", "Scope note"}
TYPE_SCHEMES = {
    "Occupation": Scheme.ESCO_OCCUPATION, "ISCOGroup": Scheme.ISCO,
    "SkillGroup": Scheme.ESCO_SKILL_GROUP, "KnowledgeSkillCompetence": Scheme.ESCO_SKILL,
}
SKILL_TYPES = {"skill/competence", "knowledge", ""}
REUSE_LEVELS = {"transversal", "cross-sector", "sector-specific", "occupation-specific", ""}
ISCO_URI = re.compile(r"^http://data\.europa\.eu/esco/isco/C(\d{1,4})$")
VERSION = re.compile(r"v\d+\.\d+(?:\.\d+)?")


def esco_batch(paths: Iterable[Path | str], *, version: str | None = None) -> TaxonomyBatch:
    """Parse an ESCO CSV download into a batch of concepts and links.

    Args:
        paths: the zip file(s) and/or the folder holding the CSV files (searched recursively).
        version: the ESCO version; by default read from the path (``v1.1.1``).

    Raises:
        InvalidInput: a file is missing, not UTF-8, has an unknown column, a truncated record
            or a bad value; the message names file, line and column.

    """
    paths = [Path(p) for p in paths]
    files = SourceFiles(paths)
    found = VERSION.search(" ".join(str(p) for p in paths))
    batch = TaxonomyBatch("esco", version or (found.group(0) if found else "unknown"),
                          ", ".join(str(p) for p in paths))
    concepts: dict[tuple[str, str], Concept] = {}
    for concept in _all_concepts(files):
        concepts.setdefault(concept.key, concept)
    links = {link.key: link for link in _all_links(files)}
    batch.concepts = list(concepts.values())
    batch.links = _without_orphans(links.values(), concepts, batch.notes)
    return batch


def _rows(files: SourceFiles, name: str, columns: set[str], required: Iterable[str]
          ) -> Iterator[CsvRow]:
    shown = files.display(name) if files.has(name) else name
    text = decoded_text(files.read_bytes(name), file=shown)
    short = 2 if name == HIERARCHY else None  # the official file omits trailing empty fields
    return csv_rows(text, file=shown, columns=columns, required=required, min_fields=short)


def _labels(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.strip() for s in re.split(r"\n| \| ", raw) if s.strip()))


def _all_concepts(files: SourceFiles) -> Iterator[Concept]:
    yield from _occupations(files)
    yield from _skills(files)
    yield from _isco_groups(files)
    yield from _skill_groups(files)
    yield from _hierarchy_groups(files)
    for name in COLLECTIONS:
        yield Concept(Scheme.ESCO_COLLECTION, name, f"ESCO {name} collection")


def _occupations(files: SourceFiles) -> Iterator[Concept]:
    for row in _rows(files, OCCUPATIONS, CONCEPT_COLUMNS,
                     ("conceptUri", "preferredLabel", "iscoGroup")):
        _isco_code(row, "iscoGroup")
        yield Concept(Scheme.ESCO_OCCUPATION, row.require("conceptUri"),
                      row.require("preferredLabel"), _labels(row.values.get("altLabels", "")),
                      kind=row.values.get("code") or None)


def _skills(files: SourceFiles) -> Iterator[Concept]:
    for row in _rows(files, SKILLS, CONCEPT_COLUMNS, ("conceptUri", "preferredLabel")):
        kind = _choice(row, "skillType", SKILL_TYPES)
        reuse = _choice(row, "reuseLevel", REUSE_LEVELS)
        yield Concept(Scheme.ESCO_SKILL, row.require("conceptUri"), row.require("preferredLabel"),
                      _labels(row.values.get("altLabels", "")), kind=kind or None,
                      reuse_level=reuse or None)


def _isco_groups(files: SourceFiles) -> Iterator[Concept]:
    for row in _rows(files, ISCO_GROUPS, CONCEPT_COLUMNS, ("conceptUri", "code",
                                                           "preferredLabel")):
        code = row.require("code")
        if not code.isdigit() or len(code) > 4:
            raise InvalidInput(f"{code!r} is not an ISCO-08 code", field="code", value=code,
                               location=row.location(), hint="ISCO-08 codes have 1 to 4 digits")
        yield Concept(Scheme.ISCO, code, row.require("preferredLabel"),
                      _labels(row.values.get("altLabels", "")))


def _skill_groups(files: SourceFiles) -> Iterator[Concept]:
    for row in _rows(files, SKILL_GROUPS, CONCEPT_COLUMNS, ("conceptUri", "preferredLabel")):
        yield Concept(Scheme.ESCO_SKILL_GROUP, row.require("conceptUri"),
                      row.require("preferredLabel"), _labels(row.values.get("altLabels", "")),
                      kind=row.values.get("code") or None)


def _hierarchy_groups(files: SourceFiles) -> Iterator[Concept]:
    for row in _rows(files, HIERARCHY, HIERARCHY_COLUMNS, ("Level 0 URI",)):
        for level in range(4):
            uri = row.values.get(f"Level {level} URI", "").strip()
            if uri:
                label = row.values.get(f"Level {level} preferred term", "").strip() or uri
                yield Concept(Scheme.ESCO_SKILL_GROUP, uri, label,
                              kind=row.values.get(f"Level {level} code") or None)


def _all_links(files: SourceFiles) -> Iterator[ConceptLink]:
    yield from _occupation_isco_links(files)
    yield from _occupation_skill_links(files)
    yield from _skill_skill_links(files)
    for name in (BROADER_OCC, BROADER_SKILL):
        yield from _broader_links(files, name)
    yield from _hierarchy_links(files)
    for collection, name in COLLECTIONS.items():
        yield from _collection_links(files, collection, name)


def _occupation_isco_links(files: SourceFiles) -> Iterator[ConceptLink]:
    for row in _rows(files, OCCUPATIONS, CONCEPT_COLUMNS, ("conceptUri", "iscoGroup")):
        yield ConceptLink(Scheme.ESCO_OCCUPATION, row.require("conceptUri"), Relation.ISCO,
                          Scheme.ISCO, _isco_code(row, "iscoGroup"))


def _occupation_skill_links(files: SourceFiles) -> Iterator[ConceptLink]:
    columns = {"occupationUri", "relationType", "skillType", "skillUri"}
    for row in _rows(files, OCC_SKILL, columns, columns):
        relation = _choice(row, "relationType", {Relation.ESSENTIAL, Relation.OPTIONAL})
        yield ConceptLink(Scheme.ESCO_OCCUPATION, row.require("occupationUri"), relation,
                          Scheme.ESCO_SKILL, row.require("skillUri"))


def _skill_skill_links(files: SourceFiles) -> Iterator[ConceptLink]:
    columns = {"originalSkillUri", "originalSkillType", "relationType", "relatedSkillType",
               "relatedSkillUri"}
    for row in _rows(files, SKILL_SKILL, columns, ("originalSkillUri", "relatedSkillUri")):
        yield ConceptLink(Scheme.ESCO_SKILL, row.require("originalSkillUri"), Relation.RELATED,
                          Scheme.ESCO_SKILL, row.require("relatedSkillUri"))


def _broader_links(files: SourceFiles, name: str) -> Iterator[ConceptLink]:
    columns = {"conceptType", "conceptUri", "broaderType", "broaderUri"}
    for row in _rows(files, name, columns, columns):
        child = _typed_code(row, "conceptType", "conceptUri")
        parent = _typed_code(row, "broaderType", "broaderUri")
        yield ConceptLink(child[0], child[1], Relation.BROADER, parent[0], parent[1])


def _hierarchy_links(files: SourceFiles) -> Iterator[ConceptLink]:
    for row in _rows(files, HIERARCHY, HIERARCHY_COLUMNS, ("Level 0 URI",)):
        uris = [row.values.get(f"Level {n} URI", "").strip() for n in range(4)]
        for child, parent in zip(uris[1:], uris, strict=False):
            if child and parent:
                yield ConceptLink(Scheme.ESCO_SKILL_GROUP, child, Relation.BROADER,
                                  Scheme.ESCO_SKILL_GROUP, parent)


def _collection_links(files: SourceFiles, collection: str, name: str) -> Iterator[ConceptLink]:
    for row in _rows(files, name, CONCEPT_COLUMNS, ("conceptType", "conceptUri")):
        scheme, code = _typed_code(row, "conceptType", "conceptUri")
        yield ConceptLink(scheme, code, Relation.MEMBER, Scheme.ESCO_COLLECTION, collection)


def _typed_code(row: CsvRow, type_column: str, uri_column: str) -> tuple[str, str]:
    kind, uri = row.require(type_column), row.require(uri_column)
    if kind not in TYPE_SCHEMES:
        raise InvalidInput(f"unknown concept type {kind!r}; expected one of {sorted(TYPE_SCHEMES)}",
                           field=type_column, value=kind, location=row.location(),
                           hint="take a fresh copy of the official file")
    scheme = TYPE_SCHEMES[kind]
    if scheme == Scheme.ISCO:
        match = ISCO_URI.match(uri)
        if not match:
            raise InvalidInput(f"{uri!r} is not an ESCO ISCO group URI", field=uri_column,
                               value=uri, location=row.location(),
                               hint="expected http://data.europa.eu/esco/isco/C<code>")
        return scheme, match.group(1)
    if scheme == Scheme.ESCO_SKILL and "/isced-f/" in uri:
        return Scheme.ESCO_SKILL_GROUP, uri
    return scheme, uri


def _isco_code(row: CsvRow, column: str) -> str:
    code = row.require(column)
    if not (code.isdigit() and len(code) == 4):
        raise InvalidInput(f"{code!r} is not a four-digit ISCO-08 unit group", field=column,
                           value=code, location=row.location(),
                           hint="every ESCO occupation names its ISCO-08 unit group, e.g. '7212'")
    return code


def _choice(row: CsvRow, column: str, allowed: set[str]) -> str:
    value = row.values.get(column, "").strip()
    if value not in allowed:
        raise InvalidInput(f"{value!r} is not a valid {column}; expected one of "
                           f"{sorted(a for a in allowed if a)}", field=column, value=value,
                           location=row.location(), hint="correct the value in the file")
    return value


def _without_orphans(links: Iterable[ConceptLink], concepts: dict[tuple[str, str], Concept],
                     notes: list[str]) -> list[ConceptLink]:
    kept, dropped = [], Counter[str]()
    for link in links:
        if (link.from_scheme, link.from_code) in concepts and \
                (link.to_scheme, link.to_code) in concepts:
            kept.append(link)
        else:
            dropped[f"{link.from_scheme} -{link.relation}-> {link.to_scheme}"] += 1
    notes.extend(f"dropped {n} {kind} link(s) whose end is not in the download (orphans)"
                 for kind, n in sorted(dropped.items()))
    return kept
