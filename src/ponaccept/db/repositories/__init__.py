"""Queries and multi-statement writes. Models stay declarative; SQL lives here.

Repository functions take the caller's session and never commit: the caller owns the unit of
work (``session_scope``). They may flush, and use SAVEPOINTs to retry after a unique-constraint
conflict without losing the caller's transaction.
"""

from ponaccept.db.repositories.errors import AllocationContention, NotFound, PoolExhausted

__all__ = ["AllocationContention", "NotFound", "PoolExhausted"]
