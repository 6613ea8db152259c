"""assistant questions: the log of questions (personal data masked) and what was answered

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assistant_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conversation_id", sa.String(length=64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("intents", sa.JSON(), nullable=False),
        sa.Column("procedures", sa.JSON(), nullable=False),
        sa.Column("abstained", sa.Boolean(), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assistant_questions")),
    )
    with op.batch_alter_table("assistant_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assistant_questions_abstained"), ["abstained"], unique=False)
        batch_op.create_index(batch_op.f("ix_assistant_questions_asked_at"), ["asked_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_assistant_questions_conversation_id"), ["conversation_id"], unique=False)


def downgrade() -> None:
    op.drop_table("assistant_questions")
