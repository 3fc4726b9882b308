"""The waiting list of a full receiver: the day a referral was put on it.

Revision ID: 0019_roster
Revises: 0017_caseload
Create Date: 2026-11-30 15:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019_roster'
down_revision: str | None = '0017_caseload'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waitlisted_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('referrals', schema=None) as batch_op:
        batch_op.drop_column('waitlisted_on')
