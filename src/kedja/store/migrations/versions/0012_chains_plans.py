"""Employers' saved workforce plans (vacancy-chain steps), shareable with the Employment Service.

Revision ID: 0012_chains_plans
Revises: 0011_forecast
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_chains_plans'
down_revision: str | None = '0011_forecast'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'chain_plans',
        sa.Column('id', sa.String(length=64), nullable=False),
        sa.Column('organisation_id', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('created_by', sa.String(length=255), nullable=False),
        sa.Column('created', sa.DateTime(timezone=True), nullable=False),
        sa.Column('steps', sa.JSON(), nullable=False),
        sa.Column('shared_with', sa.String(length=64), nullable=True),
        sa.Column('shared_on', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                                name=op.f('fk_chain_plans_organisation_id_organisations')),
        sa.ForeignKeyConstraint(['shared_with'], ['organisations.id'],
                                name=op.f('fk_chain_plans_shared_with_organisations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_plans')),
    )
    with op.batch_alter_table('chain_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_plans_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chain_plans_shared_with'), ['shared_with'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('chain_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_plans_shared_with'))
        batch_op.drop_index(batch_op.f('ix_chain_plans_organisation_id'))
    op.drop_table('chain_plans')
