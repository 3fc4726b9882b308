"""Importers parse official files into batches and refuse damaged ones with file, line, field."""

from __future__ import annotations

import zipfile
from pathlib import Path

import httpx
import pytest

from kedja.core.concepts import Relation, Scheme
from kedja.core.errors import InvalidInput
from kedja.taxonomy.importers import (
    esco_batch,
    fetched_exports,
    jobtech_batch,
    jsonstat_records,
    scb_key_batch,
)
from kedja.taxonomy.importers.jobtech_api import API_URL, QUERIES
from tests.conftest import shared_data
from tests.taxonomy.esco_files import FILES, write_esco


@pytest.fixture
def tiny_esco(tmp_path: Path) -> Path:
    return write_esco(tmp_path / "esco_v9.9.9")


def test_tiny_esco_folder_gives_concepts_links_and_reports_the_orphan(tiny_esco: Path) -> None:
    batch = esco_batch([tiny_esco])
    counts = batch.counts()
    assert batch.version == "v9.9.9"
    assert counts[Scheme.ESCO_OCCUPATION] == 3 and counts[Scheme.ESCO_SKILL] == 5
    assert counts["esco-occupation->essential"] == 6 and counts["esco-occupation->optional"] == 2
    assert any("1 esco-occupation -optional-> esco-skill" in note for note in batch.notes)
    welder = next(c for c in batch.concepts if c.code.endswith("/o1"))
    assert welder.alt_labels == ("welding operator", "steel welder")
    members = [link.from_code for link in batch.links if link.relation == Relation.MEMBER]
    assert members == ["http://data.europa.eu/esco/skill/s4"]


def test_zip_and_folder_give_the_same_batch(tiny_esco: Path, tmp_path: Path) -> None:
    archive = tmp_path / "esco.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in tiny_esco.rglob("*.csv"):
            out.write(path, path.relative_to(tiny_esco))
    assert esco_batch([archive]).counts() == esco_batch([tiny_esco]).counts()


def damaged(tmp_path: Path, name: str, lines: list[str]) -> Path:
    return write_esco(tmp_path / "bad", {**FILES, name: lines})


def test_truncated_row_names_file_line_and_field(tmp_path: Path) -> None:
    lines = [*FILES["relations/occupationSkillRelations.csv"]]
    lines[3] = lines[3].rsplit(",", 1)[0]  # the skill URI is cut off
    with pytest.raises(InvalidInput) as error:
        esco_batch([damaged(tmp_path, "relations/occupationSkillRelations.csv", lines)])
    assert error.value.location.endswith("occupationSkillRelations.csv, line 4")
    assert error.value.field == "skillUri"


def test_unclosed_quote_at_the_end_is_refused(tmp_path: Path) -> None:
    lines = [*FILES["en/occupations_en.csv"][:-1], 'Occupation,x,8121,"cut off']
    with pytest.raises(InvalidInput, match="malformed CSV") as error:
        esco_batch([damaged(tmp_path, "en/occupations_en.csv", lines)])
    assert "occupations_en.csv, line" in error.value.location


def test_unknown_column_is_refused(tmp_path: Path) -> None:
    lines = [FILES["en/skills_en.csv"][0] + ",colour", *(r + ",red" for r in FILES["en/skills_en.csv"][1:])]
    with pytest.raises(InvalidInput, match="unknown column 'colour'") as error:
        esco_batch([damaged(tmp_path, "en/skills_en.csv", lines)])
    assert error.value.field == "colour" and error.value.location.endswith("skills_en.csv, line 1")


def test_bad_encoding_names_the_line(tmp_path: Path) -> None:
    root = write_esco(tmp_path / "bad")
    path = root / "en" / "skills_en.csv"
    path.write_bytes(path.read_bytes().replace(b"metallurgy", "metallurgi\u00e4".encode("latin-1")))
    with pytest.raises(InvalidInput, match="not valid UTF-8") as error:
        esco_batch([root])
    assert error.value.location.endswith("skills_en.csv, line 6") and error.value.field == "encoding"


def test_bad_relation_type_and_isco_code_are_refused(tmp_path: Path) -> None:
    lines = [*FILES["relations/occupationSkillRelations.csv"]]
    lines[1] = lines[1].replace("essential", "vital")
    with pytest.raises(InvalidInput, match="'vital'") as error:
        esco_batch([damaged(tmp_path, "relations/occupationSkillRelations.csv", lines)])
    assert error.value.field == "relationType"
    occupations = [*FILES["en/occupations_en.csv"]]
    occupations[2] = occupations[2].replace(",5322,", ",53x2,", 1)
    with pytest.raises(InvalidInput, match="four-digit ISCO-08") as error:
        esco_batch([damaged(tmp_path / "2", "en/occupations_en.csv", occupations)])
    assert error.value.location.endswith("occupations_en.csv, line 4")  # the welder spans 2-3


def test_missing_file_says_which(tmp_path: Path) -> None:
    root = write_esco(tmp_path / "bad")
    (root / "relations" / "occupationSkillRelations.csv").unlink()
    with pytest.raises(InvalidInput, match=r"'occupationSkillRelations.csv' is missing"):
        esco_batch([root])


def test_jsonstat_reads_dict_and_list_indexes() -> None:
    doc = (b'{"version":"2.0","class":"dataset","id":["y","t"],"size":[2,2],'
           b'"dimension":{"y":{"category":{"index":{"5321":0,"7212":1}}},'
           b'"t":{"category":{"index":["2023","2024"]}}},"value":[1,2,3,null]}')
    records = jsonstat_records(doc, file="x.json")
    assert records == [{"y": "5321", "t": "2023", "value": 1}, {"y": "5321", "t": "2024", "value": 2},
                       {"y": "7212", "t": "2023", "value": 3}]
    with pytest.raises(InvalidInput, match="3 values for 4 cells"):
        jsonstat_records(doc.replace(b",null]", b"]"), file="x.json")


@pytest.mark.shared_data
def test_real_esco_counts() -> None:
    batch = esco_batch([shared_data("esco_v1.1.1", "en"), shared_data("esco_v1.1.1", "relations")])
    counts = batch.counts()
    assert counts[Scheme.ESCO_OCCUPATION] == 3007 and counts[Scheme.ESCO_SKILL] == 13896
    relations = counts["esco-occupation->essential"] + counts["esco-occupation->optional"]
    orphans = sum(int(n.split()[1]) for n in batch.notes if "esco-skill link" in n)
    assert relations + orphans == 123_855 and orphans == 67


@pytest.mark.shared_data
def test_real_jobtech_and_scb_key() -> None:
    counts = jobtech_batch(shared_data("jobtech_taxonomy")).counts()
    assert counts["ssyk->skill"] == 17_517 and counts["jobtech-occupation"] == 2_412
    assert counts["ssyk->isco"] == 565
    key = scb_key_batch(shared_data("scb", "scb_ssyk2012_isco08_key_20160905.xlsx"))
    assert key.counts()["scb-title"] > 8_500
    assert any(link.from_code == "5321" and link.to_code == "5321" for link in key.links)


def recorded_api(folder: Path, calls: list[str]) -> httpx.Client:
    """A client answering each GraphQL query with the export the API gave for it."""

    def answer(request: httpx.Request) -> httpx.Response:
        query = request.url.params["query"]
        calls.append(query)
        name = next(n for n, q in QUERIES.items() if q in query)
        return httpx.Response(200, content=(folder / name).read_bytes())

    return httpx.Client(transport=httpx.MockTransport(answer))


@pytest.mark.shared_data
def test_live_api_answers_give_the_same_batch_as_the_exports() -> None:
    folder = shared_data("jobtech_taxonomy")
    calls: list[str] = []
    fetched = jobtech_batch(fetched_exports(recorded_api(folder, calls)), location=API_URL)
    assert len(calls) == len(QUERIES)
    assert fetched.counts() == jobtech_batch(folder).counts()


def test_api_error_is_reported() -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda r: httpx.Response(503)))
    with pytest.raises(InvalidInput, match="answered 503"):
        fetched_exports(client)


def test_jobtech_export_cut_off_or_missing_a_field_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "jobtech"
    folder.mkdir()
    (folder / "ssyk-level-1-groups.json").write_text('{"data": {"concepts": [\n{"id": "a",\n')
    with pytest.raises(InvalidInput, match="not valid JSON") as error:
        jobtech_batch(folder)
    assert error.value.location.endswith("ssyk-level-1-groups.json, line 3")
    (folder / "ssyk-level-1-groups.json").write_text(
        '{"data": {"concepts": [{"id": "a", "preferred_label": "Chefsyrken"}]}}')
    with pytest.raises(InvalidInput, match="no 'ssyk_code_2012'") as error:
        jobtech_batch(folder)
    assert error.value.location.endswith("ssyk-level-1-groups.json, concept 0")
