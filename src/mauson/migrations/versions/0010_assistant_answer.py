"""assistant: the start of the answer given, beside the question, so that officers reviewing the
questions left unanswered or answered with doubt read what the citizen was told

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assistant_questions", sa.Column("answer", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assistant_questions") as batch:
        batch.drop_column("answer")
