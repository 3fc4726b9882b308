"""The packs are what the project's scripts make from the official sources, byte for byte."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA, shared_data

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "kedja" / "demo" / "data"


@pytest.mark.shared_data
@pytest.mark.parametrize(("script", "pack"), [
    ("build_region_pack.py", "region_pack.json"),
    ("build_taxonomy_pack.py", "taxonomy_pack.json"),
])
def test_script_rebuilds_the_committed_pack(script: str, pack: str, tmp_path: Path) -> None:
    pytest.importorskip("shapely")
    shared_data("geo")
    out = tmp_path / pack
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), "--data", str(SHARED_DATA), "--out", str(out)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (DATA / pack).read_bytes(), f"{pack} is stale: rerun scripts/{script}"
