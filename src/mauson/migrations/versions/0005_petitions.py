"""petitions: petitions, triage results, workflow events, corrections, alerts, notifiers

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('petition_notifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_petition_notifiers_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_notifiers'))
    )
    op.create_index(op.f('ix_petition_notifiers_organisation_id'), 'petition_notifiers', ['organisation_id'], unique=False)
    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('public_text', sa.Text(), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('location_text', sa.String(length=500), nullable=True),
    sa.Column('public_location', sa.Text(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('photos', sa.JSON(), nullable=False),
    sa.Column('client_key', sa.String(length=32), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('agency', sa.String(length=40), nullable=True),
    sa.Column('urgency', sa.String(length=20), nullable=True),
    sa.Column('commune_code', sa.String(length=10), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('officer_id', sa.Integer(), nullable=True),
    sa.Column('escalated_to_id', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reply', sa.Text(), nullable=True),
    sa.Column('public_reply', sa.Text(), nullable=True),
    sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.String(length=500), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('rating_comment', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['petitions.id'], name=op.f('fk_petitions_duplicate_of_id_petitions')),
    sa.ForeignKeyConstraint(['escalated_to_id'], ['organisations.id'], name=op.f('fk_petitions_escalated_to_id_organisations')),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_petitions_officer_id_users')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_petitions_organisation_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_petitions_tracking_code'))
    )
    op.create_index(op.f('ix_petitions_agency'), 'petitions', ['agency'], unique=False)
    op.create_index(op.f('ix_petitions_category'), 'petitions', ['category'], unique=False)
    op.create_index(op.f('ix_petitions_client_key'), 'petitions', ['client_key'], unique=False)
    op.create_index(op.f('ix_petitions_commune_code'), 'petitions', ['commune_code'], unique=False)
    op.create_index(op.f('ix_petitions_due_at'), 'petitions', ['due_at'], unique=False)
    op.create_index(op.f('ix_petitions_duplicate_of_id'), 'petitions', ['duplicate_of_id'], unique=False)
    op.create_index(op.f('ix_petitions_escalated_to_id'), 'petitions', ['escalated_to_id'], unique=False)
    op.create_index(op.f('ix_petitions_officer_id'), 'petitions', ['officer_id'], unique=False)
    op.create_index(op.f('ix_petitions_organisation_id'), 'petitions', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_petitions_status'), 'petitions', ['status'], unique=False)
    op.create_index(op.f('ix_petitions_submitted_at'), 'petitions', ['submitted_at'], unique=False)
    op.create_index(op.f('ix_petitions_urgency'), 'petitions', ['urgency'], unique=False)
    op.create_table('petition_alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.String(length=64), nullable=True),
    sa.Column('deliveries', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_petition_alerts_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_alerts_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_alerts'))
    )
    op.create_index(op.f('ix_petition_alerts_organisation_id'), 'petition_alerts', ['organisation_id'], unique=False)
    op.create_index(op.f('ix_petition_alerts_petition_id'), 'petition_alerts', ['petition_id'], unique=False)
    op.create_table('petition_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('old_value', sa.String(length=40), nullable=True),
    sa.Column('new_value', sa.String(length=40), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_corrections_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_petition_corrections_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_corrections'))
    )
    op.create_index(op.f('ix_petition_corrections_petition_id'), 'petition_corrections', ['petition_id'], unique=False)
    op.create_table('petition_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('from_status', sa.String(length=20), nullable=True),
    sa.Column('to_status', sa.String(length=20), nullable=False),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_petition_events_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_events_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_events'))
    )
    op.create_index(op.f('ix_petition_events_petition_id'), 'petition_events', ['petition_id'], unique=False)
    op.create_table('petition_triages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('category_confidence', sa.Float(), nullable=False),
    sa.Column('agency', sa.String(length=40), nullable=False),
    sa.Column('agency_confidence', sa.Float(), nullable=False),
    sa.Column('urgency', sa.String(length=20), nullable=False),
    sa.Column('urgency_confidence', sa.Float(), nullable=False),
    sa.Column('commune_code', sa.String(length=10), nullable=True),
    sa.Column('commune_confidence', sa.Float(), nullable=True),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('milliseconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_triages_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_triages'))
    )
    op.create_index(op.f('ix_petition_triages_petition_id'), 'petition_triages', ['petition_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_petition_triages_petition_id'), table_name='petition_triages')
    op.drop_table('petition_triages')
    op.drop_index(op.f('ix_petition_events_petition_id'), table_name='petition_events')
    op.drop_table('petition_events')
    op.drop_index(op.f('ix_petition_corrections_petition_id'), table_name='petition_corrections')
    op.drop_table('petition_corrections')
    op.drop_index(op.f('ix_petition_alerts_petition_id'), table_name='petition_alerts')
    op.drop_index(op.f('ix_petition_alerts_organisation_id'), table_name='petition_alerts')
    op.drop_table('petition_alerts')
    op.drop_index(op.f('ix_petitions_urgency'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_submitted_at'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_status'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_organisation_id'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_officer_id'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_escalated_to_id'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_duplicate_of_id'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_due_at'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_commune_code'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_client_key'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_category'), table_name='petitions')
    op.drop_index(op.f('ix_petitions_agency'), table_name='petitions')
    op.drop_table('petitions')
    op.drop_index(op.f('ix_petition_notifiers_organisation_id'), table_name='petition_notifiers')
    op.drop_table('petition_notifiers')
