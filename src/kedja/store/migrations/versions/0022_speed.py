"""The generation of the region's derived data, shared by every server process.

Revision ID: 0022_speed
Revises: 0016_signin
Create Date: 2026-11-30 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022_speed'
down_revision: str | None = '0016_signin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('cache_generations',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('generation', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_generations'))
    )


def downgrade() -> None:
    op.drop_table('cache_generations')
