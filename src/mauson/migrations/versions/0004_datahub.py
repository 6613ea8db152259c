"""datahub: datasets, resources, versions, grants

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "datahub_datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("theme", sa.String(length=32), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("licence", sa.String(length=32), nullable=False),
        sa.Column("frequency", sa.String(length=100), nullable=True),
        sa.Column("temporal", sa.String(length=100), nullable=True),
        sa.Column("spatial", sa.String(length=200), nullable=True),
        sa.Column("contact", sa.String(length=200), nullable=True),
        sa.Column("access", sa.String(length=16), nullable=False),
        sa.Column("personal_columns", sa.JSON(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_datahub_datasets_organisation_id_organisations")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["datahub_datasets.id"], name=op.f("fk_datahub_datasets_source_id_datahub_datasets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_datasets")),
        sa.UniqueConstraint("name", name=op.f("uq_datahub_datasets_name")),
    )
    with op.batch_alter_table("datahub_datasets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datahub_datasets_access"), ["access"], unique=False)
        batch_op.create_index(batch_op.f("ix_datahub_datasets_organisation_id"), ["organisation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datahub_datasets_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datahub_datasets_theme"), ["theme"], unique=False)

    op.create_table(
        "datahub_resources",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datahub_datasets.id"], name=op.f("fk_datahub_resources_dataset_id_datahub_datasets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_resources")),
    )
    with op.batch_alter_table("datahub_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datahub_resources_dataset_id"), ["dataset_id"], unique=False)

    op.create_table(
        "datahub_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("format", sa.String(length=16), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("source_bytes", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("privacy", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["datahub_resources.id"], name=op.f("fk_datahub_versions_resource_id_datahub_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_versions")),
        sa.UniqueConstraint("resource_id", "number", name="uq_datahub_versions_resource_number"),
    )
    with op.batch_alter_table("datahub_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datahub_versions_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datahub_versions_sha256"), ["sha256"], unique=False)

    op.create_table(
        "datahub_columns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("unit", sa.String(length=64), nullable=False),
        sa.Column("present", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"], ["datahub_resources.id"], name=op.f("fk_datahub_columns_resource_id_datahub_resources")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_columns")),
        sa.UniqueConstraint("resource_id", "name", name="uq_datahub_columns_resource_name"),
    )
    with op.batch_alter_table("datahub_columns", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datahub_columns_resource_id"), ["resource_id"], unique=False)

    op.create_table(
        "datahub_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("granted_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["dataset_id"], ["datahub_datasets.id"], name=op.f("fk_datahub_grants_dataset_id_datahub_datasets")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"], name=op.f("fk_datahub_grants_organisation_id_organisations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_datahub_grants")),
        sa.UniqueConstraint("dataset_id", "organisation_id", name="uq_datahub_grants_dataset_org"),
    )
    with op.batch_alter_table("datahub_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_datahub_grants_dataset_id"), ["dataset_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_datahub_grants_organisation_id"), ["organisation_id"], unique=False)


def downgrade() -> None:
    op.drop_table("datahub_grants")
    op.drop_table("datahub_columns")
    op.drop_table("datahub_versions")
    op.drop_table("datahub_resources")
    op.drop_table("datahub_datasets")
