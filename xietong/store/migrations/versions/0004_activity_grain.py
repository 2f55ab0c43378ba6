"""Activity grain: each activity row gains the entity (enterprise or facility, e.g. its unified
social credit code) and the period (a quarter or month of the year) it covers; '' for an
aggregate and for the whole year, so that existing rows keep their meaning.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(
            sa.Column("entity", sa.String(length=64), nullable=False, server_default="")
        )
        batch.add_column(
            sa.Column("period", sa.String(length=16), nullable=False, server_default="")
        )


def downgrade() -> None:
    # rows that differ only by entity or period then look alike: the old grain has no unique
    # constraint that would refuse them, and the inventory sums them as before
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("period")
        batch.drop_column("entity")
