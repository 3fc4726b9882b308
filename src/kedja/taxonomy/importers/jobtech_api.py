"""Fetching the JobTech taxonomy from its live GraphQL API (httpx), as the exports look.

Each export Kedja reads is the answer to one GraphQL query of the taxonomy API
(``https://taxonomy.api.jobtechdev.se/v1/taxonomy/graphql``); :func:`fetched_exports` asks the
queries and returns the answers by export file name, ready for
:func:`~kedja.taxonomy.importers.jobtech.jobtech_batch`. The client is passed in, so tests run
against recorded responses (``httpx.MockTransport``) and never the network.
"""

from __future__ import annotations

import httpx

from kedja.core.errors import ConfigurationError, InvalidInput
from kedja.taxonomy.importers.files import SourceFiles
from kedja.taxonomy.importers.jobtech import NO_EDUCATION_FILE

__all__ = ["API_URL", "QUERIES", "fetched_exports"]

API_URL = "https://taxonomy.api.jobtechdev.se/v1/taxonomy/graphql"
NO_EDUCATION_COLLECTION = "UdVa_jRr_9DE"
BASE = "id preferred_label type definition"
SSYK = f"{BASE} ssyk_code_2012"


def _tree(kind: str, code: str, depth: int) -> str:
    fields = f"{BASE} {code}"
    inner = fields
    for _ in range(depth):
        inner = f"{fields} narrower {{ {inner} }}"
    return f'concepts(type: "{kind}-1") {{ {inner} }}'


def _flat(kind: str, code: str) -> str:
    return f'concepts(type: "{kind}") {{ id preferred_label type {code} }}'


QUERIES = {
    "ssyk-level-1-groups.json": f'concepts(type: "ssyk-level-1") {{ {SSYK} }}',
    "ssyk-level-2-groups.json": f'concepts(type: "ssyk-level-2") {{ {SSYK} }}',
    "ssyk-level-4-groups.json": f'concepts(type: "ssyk-level-4") {{ {SSYK} }}',
    "ssyk-level-4-with-related-isco-level-4-groups.json":
        f'concepts(type: "ssyk-level-4") {{ {SSYK} related(type: "isco-level-4") '
        f"{{ {BASE} isco_code_08 }} }}",
    "ssyk-level-4-groups-with-related-occupations.json":
        f'concepts(type: "ssyk-level-4") {{ {SSYK} narrower(type: "occupation-name") '
        f"{{ id preferred_label type }} }}",
    "ssyk-level-4-groups-with-related-skills.json":
        f'concepts(type: "ssyk-level-4") {{ {BASE} related(type: "skill") '
        f"{{ id preferred_label type }} }}",
    NO_EDUCATION_FILE: f'concepts(id: "{NO_EDUCATION_COLLECTION}") {{ id preferred_label '
                       f'related(type: "occupation-name") {{ id preferred_label type }} }}',
    "sun-level-hierarchy.json": _tree("sun-education-level", "sun_education_level_code_2020", 2),
    "sun-field-hierarchy.json": _tree("sun-education-field", "sun_education_field_code_2020", 3),
    "languages.json": _flat("language", "iso_639_1_2002"),
    "sni-level-1.json": _flat("sni-level-1", "sni_level_code_2007"),
    "sni-level-2.json": _flat("sni-level-2", "sni_level_code_2007"),
}


def fetched_exports(client: httpx.Client, *, url: str = API_URL) -> SourceFiles:
    """Ask the taxonomy API every query and return the answers by export file name.

    Raises:
        ConfigurationError: the API cannot be reached or answers with an error status.
    """
    contents = {}
    for name, query in QUERIES.items():
        try:
            response = client.get(url, params={"query": f"query Kedja {{ {query} }}"},
                                  timeout=60)
        except httpx.HTTPError as error:
            raise ConfigurationError(f"the JobTech taxonomy API at {url} did not answer: {error}",
                                     field="--api", value=url,
                                     hint="check the network, or import the JSON exports from "
                                          "a folder instead") from None
        if response.status_code != 200:
            raise InvalidInput(f"the JobTech taxonomy API answered {response.status_code} to the "
                               f"query for {name}", field="--api", value=url,
                               location=f"{url} ({name})",
                               hint="check the API address and version")
        contents[name] = response.content
    return SourceFiles(contents=contents)
