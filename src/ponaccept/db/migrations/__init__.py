"""Alembic scripts, shipped inside the package so an installed ponaccept can migrate its database.

Run them through :mod:`ponaccept.db.migrate`, never by importing ``env`` (it executes on import).
"""
