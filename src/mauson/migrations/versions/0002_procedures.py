"""procedures: the national catalogue of administrative procedures

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

The three portal tables of a procedure (channels, documents, legal bases) are JSON lists:
they are always read whole with their procedure, on SQLite and PostgreSQL alike.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('procedures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_folded', sa.Text(), nullable=False),
    sa.Column('levels', sa.String(length=200), nullable=True),
    sa.Column('field', sa.String(length=300), nullable=True),
    sa.Column('agency', sa.Text(), nullable=True),
    sa.Column('receiving_place', sa.Text(), nullable=True),
    sa.Column('subjects', sa.Text(), nullable=True),
    sa.Column('conditions', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('steps', sa.Text(), nullable=True),
    sa.Column('url', sa.String(length=500), nullable=True),
    sa.Column('decision', sa.String(length=100), nullable=True),
    sa.Column('channels', sa.JSON(), nullable=False),
    sa.Column('documents', sa.JSON(), nullable=False),
    sa.Column('legal_bases', sa.JSON(), nullable=False),
    sa.Column('source_hash', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedures')),
    sa.UniqueConstraint('code', name=op.f('uq_procedures_code'))
    )
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_procedures_field'), ['field'], unique=False)
        batch_op.create_index(batch_op.f('ix_procedures_levels'), ['levels'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('procedures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_procedures_levels'))
        batch_op.drop_index(batch_op.f('ix_procedures_field'))

    op.drop_table('procedures')
