"""Alembic environment: runs against the connection that ``kedja.store.schema`` passes in."""

from alembic import context

from kedja.store.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only for the plain alembic command line
    from kedja.store.database import open_engine

    connection = open_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # one migration history for SQLite and PostgreSQL
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
