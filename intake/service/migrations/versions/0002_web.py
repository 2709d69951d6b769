"""web: accounts, cases of a body, review decisions, audit log, page images (issue 14)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 12:45:00
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
        "web_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("lang", sa.String(length=2), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_user")),
        sa.UniqueConstraint("name", name=op.f("uq_web_user_name")),
    )
    op.create_index(op.f("ix_web_user_body"), "web_user", ["body"], unique=False)
    op.create_table(
        "web_case",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("body", sa.String(length=120), nullable=False),
        sa.Column("region", sa.String(length=120), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("upload", sa.String(length=255), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("verdict", sa.String(length=10), nullable=True),
        sa.Column("applicant_name", sa.String(length=300), nullable=True),
        sa.Column("applicant_id", sa.String(length=12), nullable=True),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("notice_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["web_user.id"], name=op.f("fk_web_case_created_by_web_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_case")),
    )
    for column in ("job_id", "body", "status", "verdict", "applicant_id"):
        op.create_index(op.f(f"ix_web_case_{column}"), "web_case", [column], unique=False)
    op.create_table(
        "web_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=24), nullable=False),
        sa.Column("finding", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["web_case.id"], name=op.f("fk_web_review_case_id_web_case"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["web_user.id"], name=op.f("fk_web_review_user_id_web_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_review")),
        sa.UniqueConstraint("case_id", "finding", name="uq_web_review_case_finding"),
    )
    op.create_table(
        "web_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.String(length=24), nullable=True),
        sa.Column("user", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_audit")),
    )
    op.create_index(op.f("ix_web_audit_case_id"), "web_audit", ["case_id"], unique=False)
    op.create_table(
        "web_page_image",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("large", sa.String(length=64), nullable=False),
        sa.Column("small", sa.String(length=64), nullable=False),
        sa.Column("frame_width", sa.Integer(), nullable=False),
        sa.Column("frame_height", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_web_page_image")),
    )
    op.create_index(op.f("ix_web_page_image_job_id"), "web_page_image", ["job_id"], unique=False)


def downgrade() -> None:
    op.drop_table("web_page_image")
    op.drop_table("web_audit")
    op.drop_table("web_review")
    op.drop_table("web_case")
    op.drop_table("web_user")
