"""Generations of derived data shared by every server process, and triggers that count the
changes of the data that decides who may see whom.

``region`` counts invalidations of the region-wide results (``kedja.services.cache``);
``grants`` is counted up by the database itself on every change of consents, referrals and
people (triggers), so that an organisation's grants read once can be reused exactly as long as
nothing they depend on has changed (``kedja.store.records.organisation_grants``).

Revision ID: 0022_speed
Revises: 0019_roster
Create Date: 2026-11-30 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022_speed'
down_revision: str | None = '0019_roster'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WATCHED = ("consents", "referrals", "people")
BUMP = "UPDATE cache_generations SET generation = generation + 1 WHERE name = 'grants'"


def upgrade() -> None:
    op.create_table('cache_generations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_generations'))
    )
    op.execute("INSERT INTO cache_generations (name, generation) VALUES ('grants', 0)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE FUNCTION kedja_grants_changed() RETURNS trigger AS $$ BEGIN "
                   f"{BUMP}; RETURN NULL; END; $$ LANGUAGE plpgsql")
        for table in WATCHED:
            op.execute(f"CREATE TRIGGER {table}_grants AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                       f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION kedja_grants_changed()")
        return
    for table in WATCHED:
        for event in ("INSERT", "UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER {table}_grants_{event.lower()} AFTER {event} ON {table} "
                       f"BEGIN {BUMP}; END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in WATCHED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_grants ON {table}")
        op.execute("DROP FUNCTION IF EXISTS kedja_grants_changed()")
    else:
        for table in WATCHED:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_grants_{event}")
    op.drop_table('cache_generations')
