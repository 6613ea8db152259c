"""assistant: the two procedures a reply offered to choose between, so that "cái thứ hai" picks
only from an offer that was made

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("assistant_questions", sa.Column("offered", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("assistant_questions") as batch:
        batch.drop_column("offered")
