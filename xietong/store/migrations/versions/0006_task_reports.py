"""The task ledger's reporting cycle: reporting periods, the task reports of bodies and
districts (draft, submitted, returned, accepted) and their evidence files (name, size and
SHA-256; the bytes outside the database) and the bureau's reminders; the audit log indexed
by entity, so that the history of a task, target or upload is read on its page.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "reporting_periods",
        sa.Column(
            "plan_id",
            sa.String(64),
            sa.ForeignKey("plans.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("id", sa.String(8), primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("period_start", sa.Date, nullable=False),
        sa.Column("period_end", sa.Date, nullable=False),
        sa.Column("due", sa.Date, nullable=False),
        sa.Column("opened_by", sa.String(128), nullable=False),
        sa.Column("opened_at", _TS, nullable=False),
        sa.Column("closed_by", sa.String(128)),
        sa.Column("closed_at", _TS),
    )
    op.create_table(
        "task_reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("period_id", sa.String(8), nullable=False),
        sa.Column("task_id", sa.String(32), nullable=False),
        sa.Column("unit_kind", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("round", sa.Integer, nullable=False),
        sa.Column("progress", sa.Text, nullable=False),
        sa.Column("figures", sa.JSON, nullable=False),
        sa.Column("milestones", sa.JSON, nullable=False),
        sa.Column("updated_by", sa.String(128)),
        sa.Column("updated_at", _TS),
        sa.Column("submitted_by", sa.String(128)),
        sa.Column("submitted_at", _TS),
        sa.Column("reviewed_by", sa.String(128)),
        sa.Column("reviewed_at", _TS),
        sa.Column("comment", sa.Text),
        sa.UniqueConstraint("plan_id", "period_id", "task_id", "unit_kind", "unit"),
        sa.ForeignKeyConstraint(
            ["plan_id", "period_id"],
            ["reporting_periods.plan_id", "reporting_periods.id"],
            ondelete="CASCADE",
        ),
    )
    op.create_table(
        "task_attachments",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("task_reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(128), nullable=False),
        sa.Column("uploaded_at", _TS, nullable=False),
    )
    op.create_index("ix_task_attachments_report_id", "task_attachments", ["report_id"])
    op.create_index("ix_task_reports_task_id", "task_reports", ["task_id"])
    op.create_index("ix_task_reports_unit", "task_reports", ["unit"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("plan_id", sa.String(64), nullable=False),
        sa.Column("period_id", sa.String(8), nullable=False),
        sa.Column("unit_kind", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(64), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("overdue", sa.Integer, nullable=False),
        sa.Column("sent_by", sa.String(128), nullable=False),
        sa.Column("sent_at", _TS, nullable=False),
    )
    op.create_index("ix_reminders_unit", "reminders", ["unit"])
    op.create_index("ix_audit_log_entity", "audit_log", ["entity"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_entity", "audit_log")
    op.drop_table("reminders")
    op.drop_table("task_attachments")
    op.drop_table("task_reports")
    op.drop_table("reporting_periods")
