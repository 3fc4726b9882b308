"""Persistence: SQLAlchemy 2 tables, repositories mapping rows to core types, Alembic migrations."""

from kedja.store.database import database_url, open_engine, session_scope
from kedja.store.schema import current_revision, downgrade, head_revision, upgrade

__all__ = [
    "current_revision",
    "database_url",
    "downgrade",
    "head_revision",
    "open_engine",
    "session_scope",
    "upgrade",
]
