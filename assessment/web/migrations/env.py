"""Alembic's entry point for crmm's schema: run on the engine `crmm db upgrade` passes."""

from __future__ import annotations

from alembic import context

from assessment.web.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
