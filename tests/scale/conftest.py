"""A small national-shaped instance and a LocalCluster of two thread workers, shared by the module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kedja.scale import NationalInstance, Runner, national_instance, open_runner


@pytest.fixture(scope="session")
def small_national() -> NationalInstance:
    """2,000 job seekers over the 290 municipalities, 500 opportunities with 750 places."""
    return national_instance(people=2_000, opportunities=500, places=750, employees=2_000, seed=11)


@pytest.fixture(scope="session")
def local_cluster() -> Iterator[Runner]:
    """A LocalCluster of two single-threaded workers inside this process (quick to start)."""
    with open_runner("local:2", processes=False) as runner:
        yield runner
