"""Persistence: SQLModel tables, engine/session helpers, repositories and Alembic migrations.

Only this package talks SQL. Callers get an engine from :func:`ponaccept.db.engine.make_engine`, a
session from :func:`ponaccept.db.engine.session_scope`, and use the repositories for anything that
needs more than a plain ``session.get``/``session.add``.
"""
