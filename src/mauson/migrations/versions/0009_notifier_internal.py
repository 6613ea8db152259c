"""petitions: whether a notifier may reach the server's own network (set by an administrator), so
that every delivery checks its target again, not only its registration

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "petition_notifiers",
        sa.Column("internal", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("petition_notifiers") as batch:
        batch.drop_column("internal")
