"""Bad configuration stops with advice, not a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kedja.core.errors import ConfigurationError
from kedja.store import database_url, open_engine


def test_unknown_scheme_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="SQLite and PostgreSQL only"):
        database_url("mysql://root@localhost/kedja")


def test_environment_variable_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KEDJA_DATABASE_URL", "postgresql://u@h/d")
    assert database_url() == "postgresql+psycopg://u@h/d"


def test_unreachable_postgres_is_explained() -> None:
    with pytest.raises(ConfigurationError) as caught:
        open_engine("postgresql://kedja@127.0.0.1:1/kedja")
    message = str(caught.value)
    assert "cannot reach the database" in message and "pg_isready" in message


def test_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="does not exist"):
        open_engine(tmp_path / "no" / "such" / "k.db")


def test_unwritable_folder_is_explained(tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root ignores permissions; /proc refuses new files even to root
        with pytest.raises(ConfigurationError, match="writable disk"):
            open_engine("/proc/kedja-test.db")
        return
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    with pytest.raises(ConfigurationError, match="not writable"):
        open_engine(folder / "k.db")
