"""API keys: generation, hashing, lookup, and role checks.

A key is ``pak_`` + 8 lookup characters + ``_`` + 43 random URL-safe characters (256 bits). Only
``sha256(key)`` is stored; the lookup prefix (``pak_xxxxxxxx``) finds the row, and the hash is
compared in constant time. A plain (unsalted) sha256 is enough because the key is random and long —
there is nothing to brute-force as with a human password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlmodel import Session, col, select

from ponaccept.db.models import ApiKey, ApiRole
from ponaccept.db.types import utcnow

Role = ApiRole
"""Re-exported under the name routes use: ``require(Role.ENGINEER)``."""

KEY_PREFIX = "pak_"
_LOOKUP_CHARS = 8
PREFIX_LENGTH = len(KEY_PREFIX) + _LOOKUP_CHARS


@dataclass(frozen=True)
class Principal:
    """The authenticated caller (never carries the key itself)."""

    key_id: int
    name: str
    role: Role
    prefix: str
    scope: str
    """sha256 of the presented key: partitions Idempotency-Key records per client."""


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_key() -> str:
    lookup = secrets.token_hex(_LOOKUP_CHARS // 2)
    return f"{KEY_PREFIX}{lookup}_{secrets.token_urlsafe(32)}"


def create_api_key(session: Session, *, name: str, role: Role) -> tuple[ApiKey, str]:
    """Store a new key and return (row, plaintext key). The plaintext is never retrievable again."""
    key = generate_key()
    row = ApiKey(name=name, role=role, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key))
    session.add(row)
    session.flush()
    return row, key


def lookup_key(session: Session, key: str) -> Principal | None:
    """The principal for ``key``, or None when it is malformed, unknown or revoked."""
    if not key.startswith(KEY_PREFIX) or len(key) <= PREFIX_LENGTH:
        return None
    row = session.exec(select(ApiKey).where(col(ApiKey.prefix) == key[:PREFIX_LENGTH])).first()
    if row is None or row.revoked_at is not None or row.id is None:
        return None
    digest = hash_key(key)
    if not hmac.compare_digest(digest, row.key_hash):
        return None
    return Principal(key_id=row.id, name=row.name, role=row.role, prefix=row.prefix, scope=digest)


def revoke_key(session: Session, prefix_or_id: str) -> ApiKey | None:
    """Revoke by id or by prefix; returns the row (None when there is no such key)."""
    statement = select(ApiKey)
    if prefix_or_id.isdigit():
        statement = statement.where(col(ApiKey.id) == int(prefix_or_id))
    else:
        statement = statement.where(col(ApiKey.prefix) == prefix_or_id)
    row = session.exec(statement).first()
    if row is None:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        session.flush()
    return row


def presented_key(authorization: str | None, x_api_key: str | None) -> str | None:
    """The key from ``Authorization: Bearer <key>`` or ``X-API-Key`` (Bearer wins)."""
    if authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    if x_api_key and x_api_key.strip():
        return x_api_key.strip()
    return None
