"""Pure domain logic: no I/O, no framework. Everything here is deterministic and typed (mypy strict)."""
