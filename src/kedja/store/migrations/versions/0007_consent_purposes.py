"""Consent per purpose: the purposes a consent covers (none recorded: every purpose).

Revision ID: 0007_consent_purposes
Revises: 0006_reliability
Create Date: 2026-11-23 17:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_consent_purposes'
down_revision: str | None = '0006_reliability'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purposes', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('consents', schema=None) as batch_op:
        batch_op.drop_column('purposes')
