"""A region's own data (issue 15): encrypted identities of loaded people, organisations' own ids.

Revision ID: 0009_own_data
Revises: 0008_gate
Create Date: 2026-11-30 12:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009_own_data'
down_revision: str | None = '0008_gate'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('person_identities',
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('owner_id', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=True),
    sa.Column('name_token', sa.Text(), nullable=False),
    sa.Column('number_token', sa.Text(), nullable=True),
    sa.Column('number_index', sa.String(length=64), nullable=True),
    sa.Column('key_id', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_person_identities_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_person_identities')),
    sa.UniqueConstraint('owner_id', 'external_id', name='uq_person_identities_owner')
    )
    with op.batch_alter_table('person_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_identities_number_index'), ['number_index'], unique=False)

    op.create_table('external_keys',
    sa.Column('owner_id', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('external_id', sa.String(length=128), nullable=False),
    sa.Column('entity_id', sa.String(length=64), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('owner_id', 'kind', 'external_id', name=op.f('pk_external_keys'))
    )
    with op.batch_alter_table('external_keys', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_keys_entity_id'), ['entity_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('external_keys', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_external_keys_entity_id'))
    op.drop_table('external_keys')
    with op.batch_alter_table('person_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_identities_number_index'))
    op.drop_table('person_identities')
