"""People's requests (access requests and consent changes) as the handling organisation recorded them.

Revision ID: 0008_gate
Revises: 0007_consent_purposes
Create Date: 2026-11-30 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_gate'
down_revision: str | None = '0007_consent_purposes'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'data_requests',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('person_id', sa.String(length=64), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('organisation_id', sa.String(length=64), nullable=False),
        sa.Column('requester', sa.String(length=255), nullable=False),
        sa.Column('received', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('identity_check', sa.Text(), nullable=True),
        sa.Column('recorded_by', sa.String(length=255), nullable=False),
        sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_data_requests_organisation_id_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_requests')),
    )
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_requests_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_requests_organisation_id'), ['organisation_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('data_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_requests_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_data_requests_person_id'))
    op.drop_table('data_requests')
