"""Schema migrations with Alembic, driven from code (no alembic.ini needed).

``upgrade`` brings a database to the newest revision; ``downgrade`` takes it back. The same
history serves SQLite (batch mode) and PostgreSQL.
"""

from __future__ import annotations

import functools
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine

from kedja.core.errors import ConfigurationError

__all__ = ["alembic_config", "current_revision", "downgrade", "head_revision", "upgrade"]

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    """Alembic configuration pointing at Kedja's migration scripts."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate ``engine``'s database up to ``revision`` in one transaction."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except CommandError as error:
        shown = engine.url.render_as_string(hide_password=True)
        raise ConfigurationError(
            f"the database {shown} has a schema this version of Kedja does not know ({error})",
            field="--db",
            value=current_revision(engine),
            hint="use the Kedja version that made it, restore a backup, "
            "or rebuild the demo with kedja demo --db PATH",
        ) from None


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Migrate ``engine``'s database down to ``revision``."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


@functools.cache
def head_revision() -> str | None:
    """The newest revision in the migration scripts (read once: they do not change at run time)."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
