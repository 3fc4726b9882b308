"""SCB's key and O*NET from small workbooks written here, and their refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from kedja.core.errors import InvalidInput
from kedja.taxonomy.importers import onet_batch, scb_key_batch
from tests.conftest import shared_data


def workbook(path: Path, sheets: dict[str, list[tuple[Any, ...]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


KEY = {"Grunden": [("SSYK 2012 kod", "ISCO-08 ", "Yrkesbenämning"),
                   ("7212", "7212", "Svetsare"), ("7212", "7212", "MIG-svetsare"),
                   ("5321", "5322", "Undersköterska, hemtjänst")],
       "Nyckel": [("Nyckel SSYK 2012 - ISCO-08",), (None,), ("SSYK 2012 kod", None, "ISCO-08 kod"),
                  ("0110", None, 110), ("5321", None, "5322, 5321"), ("7212", None, "7212")]}


def test_scb_key_gives_isco_links_and_titles(tmp_path: Path) -> None:
    batch = scb_key_batch(workbook(tmp_path / "key_20160905.xlsx", KEY))
    assert batch.version == "20160905"
    links = {(link.from_code, link.to_code) for link in batch.links if link.relation == "isco"}
    assert links == {("0110", "0110"), ("5321", "5322"), ("5321", "5321"), ("7212", "7212")}
    assert sorted(c.label for c in batch.concepts) == ["MIG-svetsare", "Svetsare",
                                                       "Undersköterska, hemtjänst"]


def test_scb_key_refuses_a_bad_code_and_a_missing_sheet(tmp_path: Path) -> None:
    bad = {**KEY, "Grunden": [*KEY["Grunden"], ("72x2", "7212", "Svetsare")]}
    with pytest.raises(InvalidInput, match="'72x2' is not a four-digit code") as error:
        scb_key_batch(workbook(tmp_path / "bad.xlsx", bad))
    assert error.value.location.endswith("Grunden, line 5")
    with pytest.raises(InvalidInput, match="no sheet 'Nyckel'"):
        scb_key_batch(workbook(tmp_path / "half.xlsx", {"Grunden": KEY["Grunden"]}))
    (tmp_path / "junk.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InvalidInput, match="not a readable xlsx"):
        scb_key_batch(tmp_path / "junk.xlsx")


RATING = ("O*NET-SOC Code", "Title", "Element ID", "Element Name", "Scale ID", "Data Value")


def onet_folder(root: Path, soc: str = "51-4121.06") -> Path:
    workbook(root / "Occupation Data.xlsx", {"s": [("O*NET-SOC Code", "Title"), (soc, "Welders")]})
    for name, element in (("Skills.xlsx", "Monitoring"), ("Knowledge.xlsx", "Mechanical")):
        workbook(root / name, {"s": [RATING, (soc, "Welders", f"2.{name[0]}", element, "IM", 3.5),
                                     (soc, "Welders", f"2.{name[0]}", element, "LV", 4.0)]})
    workbook(root / "Job Zones.xlsx", {"s": [("O*NET-SOC Code", "Job Zone"), (soc, 2)]})
    workbook(root / "Education, Training, and Experience.xlsx",
             {"s": [("O*NET-SOC Code", "Scale ID", "Category", "Data Value"), (soc, "RL", 2, 60.0),
                    (soc, "RW", 1, 10.0)]})
    return root


def test_onet_ratings_zones_and_education(tmp_path: Path) -> None:
    counts = onet_batch(onet_folder(tmp_path / "onet_29.2")).counts()
    assert counts["onet-occupation"] == 1 and counts["onet-element"] == 2
    assert counts["onet-occupation->importance"] == 2 and counts["onet-occupation->level"] == 2
    assert counts["onet-occupation->job-zone"] == 1 and counts["onet-occupation->education"] == 1


def test_onet_refuses_a_bad_code(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="not an O\\*NET-SOC code") as error:
        onet_batch(onet_folder(tmp_path / "onet", soc="51-4121"))
    assert error.value.location == "Occupation Data.xlsx, line 2"


@pytest.mark.shared_data
@pytest.mark.slow
def test_real_onet_counts() -> None:
    counts = onet_batch(shared_data("onet_29.2")).counts()
    assert counts["onet-occupation"] == 1016 and counts["onet-element"] == 68
    assert counts["onet-occupation->importance"] == counts["onet-occupation->level"] > 50_000
