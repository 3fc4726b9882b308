"""The JobTech taxonomy (Arbetsförmedlingen) from its JSON exports or API responses.

Each export is ``{"data": {"concepts": [...]}}`` as the taxonomy API's GraphQL endpoint
returns it. Reads SSYK 2012 groups (levels 1, 2, 4) with their ISCO-08 links, occupation
names, skills and their SSYK links, the collection of occupations without educational
requirements, and the SUN 2020 level/field, SNI and language concept trees.

Source: JobTech/Arbetsförmedlingen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kedja.core.concepts import Concept, ConceptLink, Relation, Scheme, TaxonomyBatch
from kedja.core.errors import InvalidInput
from kedja.taxonomy.importers.files import SourceFiles, decoded_text

__all__ = ["NO_EDUCATION", "concepts_of_export", "jobtech_batch"]

NO_EDUCATION = "no-educational-requirement"
COLLECTION = "jobtech-collection"
SSYK_FILES = ("ssyk-level-1-groups.json", "ssyk-level-2-groups.json", "ssyk-level-4-groups.json")
ISCO_FILE = "ssyk-level-4-with-related-isco-level-4-groups.json"
OCCUPATIONS_FILE = "ssyk-level-4-groups-with-related-occupations.json"
SKILLS_FILE = "ssyk-level-4-groups-with-related-skills.json"
NO_EDUCATION_FILE = "occupations-with-no-edcuational-requirements.json"  # sic, as exported
TREE_FILES = {  # file → the field that holds the code
    "sun-level-hierarchy.json": "sun_education_level_code_2020",
    "sun-field-hierarchy.json": "sun_education_field_code_2020",
    "sni-level-1.json": "sni_level_code_2007",
    "sni-level-2.json": "sni_level_code_2007",
    "languages.json": "iso_639_1_2002",
}


def concepts_of_export(data: bytes, *, file: str) -> list[dict[str, Any]]:
    """The ``data.concepts`` list of one export, or an error naming the file.

    Examples:
        >>> concepts_of_export(b'{"data": {"concepts": [{"id": "a"}]}}', file="x.json")
        [{'id': 'a'}]
        >>> concepts_of_export(b'{"concepts": []}', file="x.json")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        kedja.core.errors.InvalidInput: x.json is not a JobTech taxonomy export: ... Fix: ...

    """
    text = decoded_text(data, file=file)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{file} is not valid JSON: {error.msg}", field="json",
                           location=f"{file}, line {error.lineno}",
                           hint="the file is cut off or damaged; export it again") from None
    concepts = document.get("data", {}).get("concepts") if isinstance(document, dict) else None
    if not isinstance(concepts, list):
        raise InvalidInput(f"{file} is not a JobTech taxonomy export: no data.concepts list",
                           field="data.concepts", location=f"{file}, line 1",
                           hint="export with the taxonomy API's GraphQL endpoint, which wraps "
                                'results as {"data": {"concepts": [...]}}')
    return concepts


def jobtech_batch(path: Path | str | SourceFiles, *, version: str | None = None,
                  location: str | None = None) -> TaxonomyBatch:
    """Parse a folder (or zip) of JobTech taxonomy exports, or fetched answers, into a batch.

    Args:
        path: the folder or zip, or :class:`SourceFiles` holding the exports by file name
            (as :func:`~kedja.taxonomy.importers.jobtech_api.fetched_exports` returns them).
        version: the taxonomy version, if known.
        location: where the data came from, for the sources table (default: ``path``).

    Raises:
        InvalidInput: a required export is missing or malformed (file, concept and field named).
    """
    files = path if isinstance(path, SourceFiles) else SourceFiles([path])
    batch = TaxonomyBatch("jobtech", version or "exports", location or str(path))
    concepts: dict[tuple[str, str], Concept] = {}
    links: dict[tuple[str, ...], ConceptLink] = {}
    for concept, link in _everything(files):
        if concept is not None:
            concepts.setdefault(concept.key, concept)
        if link is not None:
            links.setdefault(link.key, link)
    batch.concepts, batch.links = list(concepts.values()), list(links.values())
    return batch


Pair = tuple[Concept | None, ConceptLink | None]


def _read(files: SourceFiles, name: str) -> list[dict[str, Any]]:
    return concepts_of_export(files.read_bytes(name), file=files.display(name))


def _field(concept: dict[str, Any], name: str, *, file: str, index: int) -> str:
    value = concept.get(name)
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"concept {index} has no {name!r}", field=name, value=value,
                           location=f"{file}, concept {index}",
                           hint="export the file again; every concept has this field")
    return value.strip()


def _everything(files: SourceFiles) -> Iterator[Pair]:
    for name in SSYK_FILES:
        yield from _ssyk_groups(files, name)
    yield from _ssyk_isco(files)
    yield from _occupation_names(files)
    yield from _ssyk_skills(files)
    yield from _no_education(files)
    for name, code_field in TREE_FILES.items():
        if files.has(name):
            yield from _tree(_read(files, name), code_field, None)


def _ssyk_groups(files: SourceFiles, name: str) -> Iterator[Pair]:
    shown = files.display(name)
    for index, item in enumerate(_read(files, name)):
        code = _field(item, "ssyk_code_2012", file=shown, index=index)
        label = _field(item, "preferred_label", file=shown, index=index)
        yield Concept(Scheme.SSYK, code, label, kind=item.get("id"), lang="sv"), None
        if len(code) > 1:
            parent = code[:2] if len(code) == 4 else code[:1]
            yield None, ConceptLink(Scheme.SSYK, code, Relation.BROADER, Scheme.SSYK, parent)


def _ssyk_isco(files: SourceFiles) -> Iterator[Pair]:
    shown = files.display(ISCO_FILE)
    for index, item in enumerate(_read(files, ISCO_FILE)):
        code = _field(item, "ssyk_code_2012", file=shown, index=index)
        for related in item.get("related") or ():
            isco = _field(related, "isco_code_08", file=shown, index=index)
            yield None, ConceptLink(Scheme.SSYK, code, Relation.ISCO, Scheme.ISCO, isco)


def _occupation_names(files: SourceFiles) -> Iterator[Pair]:
    shown = files.display(OCCUPATIONS_FILE)
    for index, item in enumerate(_read(files, OCCUPATIONS_FILE)):
        code = _field(item, "ssyk_code_2012", file=shown, index=index)
        for name in item.get("narrower") or ():
            concept_id = _field(name, "id", file=shown, index=index)
            label = _field(name, "preferred_label", file=shown, index=index)
            yield Concept(Scheme.JOBTECH_OCCUPATION, concept_id, label, lang="sv"), None
            yield None, ConceptLink(Scheme.JOBTECH_OCCUPATION, concept_id, Relation.BROADER,
                                    Scheme.SSYK, code)


def _ssyk_skills(files: SourceFiles) -> Iterator[Pair]:
    shown = files.display(SKILLS_FILE)
    groups = {g.get("id"): g.get("ssyk_code_2012") for g in _read(files, SSYK_FILES[-1])}
    for index, item in enumerate(_read(files, SKILLS_FILE)):
        group_id = _field(item, "id", file=shown, index=index)
        code = groups.get(group_id) or item.get("ssyk_code_2012")
        if not code:
            raise InvalidInput(f"SSYK group {group_id!r} is not in {SSYK_FILES[-1]}",
                               field="id", value=group_id, location=f"{shown}, concept {index}",
                               hint="export both files from the same taxonomy version")
        for skill in item.get("related") or ():
            skill_id = _field(skill, "id", file=shown, index=index)
            label = _field(skill, "preferred_label", file=shown, index=index)
            yield Concept(Scheme.JOBTECH_SKILL, skill_id, label, lang="sv"), None
            yield None, ConceptLink(Scheme.SSYK, code, Relation.SKILL, Scheme.JOBTECH_SKILL,
                                    skill_id)


def _no_education(files: SourceFiles) -> Iterator[Pair]:
    shown = files.display(NO_EDUCATION_FILE)
    yield Concept(COLLECTION, NO_EDUCATION, "Yrken utan krav på utbildning", lang="sv"), None
    for index, item in enumerate(_read(files, NO_EDUCATION_FILE)):
        for name in item.get("related") or ():
            concept_id = _field(name, "id", file=shown, index=index)
            label = _field(name, "preferred_label", file=shown, index=index)
            yield Concept(Scheme.JOBTECH_OCCUPATION, concept_id, label, lang="sv"), None
            yield None, ConceptLink(Scheme.JOBTECH_OCCUPATION, concept_id, Relation.MEMBER,
                                    COLLECTION, NO_EDUCATION)


def _tree(items: list[dict[str, Any]], code_field: str, parent: tuple[str, str] | None
          ) -> Iterator[Pair]:
    for item in items:
        code = item.get(code_field) or item.get("id")
        if not code or not item.get("preferred_label"):
            continue
        scheme = f"jobtech-{str(item.get('type', 'concept')).rstrip('-1234')}"
        yield Concept(scheme, str(code), item["preferred_label"], kind=item.get("type"),
                      lang="sv"), None
        if parent is not None:
            yield None, ConceptLink(scheme, str(code), Relation.BROADER, *parent)
        yield from _tree(item.get("narrower") or [], code_field, (scheme, str(code)))
