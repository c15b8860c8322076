"""Alembic's entry point for crmm's schema: run on the engine `crmm db upgrade` passes.

On SQLite, foreign keys are off while migrating: Alembic's batch mode rebuilds a table
(copy, drop the old one, rename), and dropping `assessments` with foreign keys on would
cascade-delete every respondent and answer. They are checked after, and back on."""

from __future__ import annotations

from alembic import context

from assessment.web.models import Base

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction
        connection.commit()
    try:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=sqlite,
        )
        with context.begin_transaction():
            context.run_migrations()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise RuntimeError(f"migration broke foreign keys: {broken[:5]}")
        connection.commit()
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()
