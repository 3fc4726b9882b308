"""Record keys for the cell-key method of the published indicators.

Revision ID: 0016_signin
Revises: 0007_consent_purposes
Create Date: 2026-11-30 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0016_signin'
down_revision: str | None = '0007_consent_purposes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('record_keys',
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('key', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_record_keys_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_record_keys'))
    )


def downgrade() -> None:
    op.drop_table('record_keys')
