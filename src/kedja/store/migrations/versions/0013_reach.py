"""Reach and calibration (issue 20): the imported GTFS feed and versioned score weights.

Revision ID: 0013_reach
Revises: 0012_chains_plans
Create Date: 2026-11-30 12:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_reach'
down_revision: str | None = '0012_chains_plans'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('transit_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('publisher', sa.String(length=255), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=True),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_transit_feeds'))
    )
    op.create_table('transit_stops',
    sa.Column('stop_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.PrimaryKeyConstraint('stop_id', name=op.f('pk_transit_stops'))
    )
    op.create_table('transit_trips',
    sa.Column('trip_id', sa.String(length=64), nullable=False),
    sa.Column('route_id', sa.String(length=64), nullable=False),
    sa.Column('service_id', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('trip_id', name=op.f('pk_transit_trips'))
    )
    with op.batch_alter_table('transit_trips', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_transit_trips_service_id'), ['service_id'], unique=False)
    op.create_table('transit_stop_times',
    sa.Column('trip_id', sa.String(length=64), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('stop_id', sa.String(length=64), nullable=False),
    sa.Column('arrival', sa.Integer(), nullable=False),
    sa.Column('departure', sa.Integer(), nullable=False),
    sa.Column('pickup', sa.Boolean(), nullable=False),
    sa.Column('drop_off', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('trip_id', 'sequence', name=op.f('pk_transit_stop_times'))
    )
    op.create_table('transit_services',
    sa.Column('service_id', sa.String(length=64), nullable=False),
    sa.Column('dates', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('service_id', name=op.f('pk_transit_services'))
    )
    op.create_table('transit_transfers',
    sa.Column('from_stop', sa.String(length=64), nullable=False),
    sa.Column('to_stop', sa.String(length=64), nullable=False),
    sa.Column('seconds', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('from_stop', 'to_stop', name=op.f('pk_transit_transfers'))
    )
    op.create_table('score_weights',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('weights', sa.JSON(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('decided_by', sa.String(length=255), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('version', name=op.f('pk_score_weights'))
    )
    with op.batch_alter_table('score_weights', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_weights_status'), ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('score_weights', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_weights_status'))
    op.drop_table('score_weights')
    op.drop_table('transit_transfers')
    op.drop_table('transit_services')
    op.drop_table('transit_stop_times')
    with op.batch_alter_table('transit_trips', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_transit_trips_service_id'))
    op.drop_table('transit_trips')
    op.drop_table('transit_stops')
    op.drop_table('transit_feeds')
