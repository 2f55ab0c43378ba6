"""Indicator store and milestone reports.

Each progress record is a value of its target's indicator with a quality, the source it came
from, and whether it is a comparison (shown beside, never judging); milestone reports hold the
reported states of the measures' milestones; assigned goals hold the figures the plan leaves to
the province's assignment, once entered.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "milestone_reports",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("milestone_id", sa.String(length=64), nullable=False),
        sa.Column("district", sa.String(length=64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("reported_by", sa.String(length=64), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_milestone_reports_plan_id"), "milestone_reports", ["plan_id"], unique=False
    )
    op.create_table(
        "assigned_goals",
        sa.Column("plan_id", sa.String(length=64), nullable=False),
        sa.Column("target_id", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("actor", sa.String(length=128), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("plan_id", "target_id"),
    )
    with op.batch_alter_table("progress_records") as batch:
        batch.add_column(
            sa.Column("quality", sa.String(length=16), nullable=False, server_default="reported")
        )
        batch.add_column(
            sa.Column(
                "source_kind", sa.String(length=16), nullable=False, server_default="reported"
            )
        )
        batch.add_column(
            sa.Column("comparison", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("change_u95", sa.Float(), nullable=True))
        batch.drop_constraint("uq_progress_period", type_="unique")
        batch.create_unique_constraint(
            "uq_progress_period",
            ["plan_id", "target_id", "district", "period_end", "comparison"],
        )
    records = sa.table(
        "progress_records",
        sa.column("demo", sa.Boolean()),
        sa.column("reported_by", sa.String()),
        sa.column("quality", sa.String()),
        sa.column("source_kind", sa.String()),
    )
    op.execute(records.update().where(records.c.demo.is_(True)).values(quality="demo"))
    op.execute(
        records.update()
        .where(records.c.reported_by == "inventory")
        .values(quality="derived", source_kind="inventory")
    )


def downgrade() -> None:
    op.drop_table("assigned_goals")
    op.drop_index(op.f("ix_milestone_reports_plan_id"), table_name="milestone_reports")
    op.drop_table("milestone_reports")
    with op.batch_alter_table("progress_records") as batch:
        batch.drop_constraint("uq_progress_period", type_="unique")
        batch.create_unique_constraint(
            "uq_progress_period", ["plan_id", "target_id", "district", "period_end"]
        )
        batch.drop_column("change_u95")
        batch.drop_column("computed_at")
        batch.drop_column("comparison")
        batch.drop_column("source_kind")
        batch.drop_column("quality")
