"""Alembic environment: the engine comes from `intake.service.store.alembic_config` (or the URL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from intake.service import casework  # noqa: F401 - the web tables join the metadata
from intake.service.store import Base

config = context.config
engine = config.attributes.get("engine") or create_engine(config.get_main_option("sqlalchemy.url") or "")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite lacks most ALTER: copy the table
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
