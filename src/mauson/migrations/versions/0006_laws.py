"""laws: legal texts split into articles, cited by the assistant

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "laws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=True),
        sa.Column("articles_count", sa.Integer(), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_laws")),
        sa.UniqueConstraint("slug", name=op.f("uq_laws_slug")),
    )
    op.create_index(op.f("ix_laws_number"), "laws", ["number"])
    op.create_table(
        "law_articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("law_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=16), nullable=False),
        sa.Column("heading", sa.Text(), nullable=False),
        sa.Column("chapter", sa.Text(), nullable=True),
        sa.Column("section", sa.Text(), nullable=True),
        sa.Column("citation", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["law_id"], ["laws.id"], name=op.f("fk_law_articles_law_id_laws"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_law_articles")),
    )
    op.create_index(op.f("ix_law_articles_law_id"), "law_articles", ["law_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_law_articles_law_id"), table_name="law_articles")
    op.drop_table("law_articles")
    op.drop_index(op.f("ix_laws_number"), table_name="laws")
    op.drop_table("laws")
