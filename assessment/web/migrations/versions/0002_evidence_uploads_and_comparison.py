"""Uploaded evidence files; an assessment's previous assessment and whether respondents see
their own answers after submitting.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "evidence_files",
        sa.Column("sha256", sa.String(length=64), primary_key=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "evidence_uploads",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "assessment_id",
            sa.Integer(),
            sa.ForeignKey("assessments.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "respondent_id",
            sa.Integer(),
            sa.ForeignKey("respondents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column(
            "sha256", sa.String(length=64), sa.ForeignKey("evidence_files.sha256"), nullable=False
        ),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("respondent_id", "question_id", "sha256"),
    )
    op.create_index("ix_evidence_uploads_assessment_id", "evidence_uploads", ["assessment_id"])
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column("show_own_answers", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("previous_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_assessments_previous_id",
            "assessments",
            ["previous_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_constraint("fk_assessments_previous_id", type_="foreignkey")
        batch.drop_column("previous_id")
        batch.drop_column("show_own_answers")
    op.drop_table("evidence_uploads")
    op.drop_table("evidence_files")
