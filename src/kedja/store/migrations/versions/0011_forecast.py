"""Establishments: the source and date of their headcounts (empty = the user's assumption).

Revision ID: 0011_forecast
Revises: 0009_own_data
Create Date: 2026-11-30 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_forecast'
down_revision: str | None = '0009_own_data'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('establishments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('headcount_source', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('headcount_as_of', sa.String(length=10), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('establishments', schema=None) as batch_op:
        batch_op.drop_column('headcount_as_of')
        batch_op.drop_column('headcount_source')
