"""HSDS records: imported HSDS objects kept as they came, so that an import loses nothing.

Revision ID: 0015_standards
Revises: 0013_reach
Create Date: 2026-11-30 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_standards'
down_revision: str | None = '0013_reach'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('hsds_records',
    sa.Column('object_type', sa.String(length=32), nullable=False),
    sa.Column('id', sa.String(length=255), nullable=False),
    sa.Column('mapped', sa.Boolean(), nullable=False),
    sa.Column('document', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('object_type', 'id')
    )


def downgrade() -> None:
    op.drop_table('hsds_records')
