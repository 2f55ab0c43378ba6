"""Alembic environment: runs migrations on the engine handed in by xietong.store.database."""

from alembic import context

from xietong.store.tables import Base

config = context.config
engine = config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
