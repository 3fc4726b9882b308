"""Privacy (issue 9): a person's row remembers that it was erased (pseudonymised).

Revision ID: 0009_privacy
Revises: 0004_web_shell
Create Date: 2026-11-23 15:35:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_privacy'
down_revision: str | None = '0004_web_shell'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('erased_on')
