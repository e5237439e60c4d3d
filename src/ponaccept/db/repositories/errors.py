"""Errors raised by repositories (the API maps them to HTTP statuses)."""

from __future__ import annotations


class RepositoryError(Exception):
    """Base class for expected, reportable repository failures."""


class NotFound(RepositoryError):
    """The named row does not exist."""


class PoolExhausted(RepositoryError):
    """Every CVLAN in the pool is allocated or quarantined."""


class AllocationContention(RepositoryError):
    """Concurrent writers kept taking the candidate values; the bounded retries ran out."""
