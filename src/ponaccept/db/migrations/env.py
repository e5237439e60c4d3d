"""Alembic environment for ponaccept (configured in code by ``ponaccept.db.migrate``).

``render_as_batch`` is on for SQLite because SQLite cannot ALTER most things; Alembic then
rewrites such changes as "copy table". ``render_item`` keeps generated scripts free of ponaccept
and sqlmodel imports: our column types are rendered as the plain SQLAlchemy types they store as,
so an old migration keeps working whatever later happens to the models.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import ponaccept.db.models  # noqa: F401 - registers every table on SQLModel.metadata
from ponaccept.db.engine import make_engine
from ponaccept.db.types import ENUM_LENGTH, EnumText, UtcDateTime

target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    if type_ == "type":
        if isinstance(obj, AutoString):
            length = getattr(obj.impl_instance, "length", None)
            return f"sa.String(length={length})" if length else "sa.String()"
        if isinstance(obj, EnumText):
            return f"sa.String(length={ENUM_LENGTH})"
        if isinstance(obj, UtcDateTime):
            return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        render_item=render_item,
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("ponaccept migrations need a connection or sqlalchemy.url")
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as conn:
        _configure(conn)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(
        url=context.config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
