"""Case notes on a person's case; audit-log indexes for a case worker's caseload.

Revision ID: 0017_caseload
Revises: 0016_signin
Create Date: 2026-11-30 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017_caseload'
down_revision: str | None = '0016_signin'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('person_notes',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.String(length=64), nullable=False),
    sa.Column('author', sa.String(length=255), nullable=False),
    sa.Column('written_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'],
                            name=op.f('fk_person_notes_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'],
                            name=op.f('fk_person_notes_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_notes'))
    )
    with op.batch_alter_table('person_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_notes_person_id'), ['person_id'], unique=False)
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_actor_action', ['actor', 'action'], unique=False)
        batch_op.create_index('ix_audit_log_organisation_action', ['organisation_id', 'action'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_organisation_action')
        batch_op.drop_index('ix_audit_log_actor_action')
    with op.batch_alter_table('person_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_notes_person_id'))
    op.drop_table('person_notes')
