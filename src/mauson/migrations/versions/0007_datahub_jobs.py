"""datahub: background ingest jobs for web uploads (status, progress, error)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datahub_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("stage", sa.String(length=200), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("source_bytes", sa.BigInteger(), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=True),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("dataset", sa.String(length=100), nullable=True),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_datahub_jobs_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_jobs")),
    )
    op.create_index(op.f("ix_datahub_jobs_status"), "datahub_jobs", ["status"])
    op.create_index(op.f("ix_datahub_jobs_user_id"), "datahub_jobs", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_datahub_jobs_user_id"), table_name="datahub_jobs")
    op.drop_index(op.f("ix_datahub_jobs_status"), table_name="datahub_jobs")
    op.drop_table("datahub_jobs")
