"""The public portal's feedback (意见建议, 举报, 咨询) and the bureau's triage of it: status
and reply.

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
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("receipt", sa.String(32), nullable=False, unique=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(100), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("contact", sa.String(100)),
        sa.Column("district", sa.String(32)),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reply", sa.Text),
        sa.Column("updated_by", sa.String(128)),
        sa.Column("updated_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_feedback_client", "feedback", ["client"])
    op.create_index("ix_feedback_status", "feedback", ["status"])


def downgrade() -> None:
    op.drop_index("ix_feedback_status", "feedback")
    op.drop_index("ix_feedback_client", "feedback")
    op.drop_table("feedback")
