"""CLI dialects of the simulated OLTs and their registry.

``dialect_class(name)`` imports the built-in dialect modules on first use (each registers itself with
``@register_dialect``), so callers never import vendor modules directly.
"""

from __future__ import annotations

import importlib

from ponaccept.sim.dialects.base import DIALECTS, Dialect, PendingHandler, Reply, register_dialect

# topology dialect name → module under ponaccept.sim.dialects that registers it
BUILTIN_MODULES: dict[str, str] = {"huawei_ma5800": "huawei", "zte_c300": "zte"}


def dialect_class(name: str) -> type[Dialect]:
    """The Dialect subclass registered as ``name``; ``KeyError`` if no module provides it."""
    if name not in DIALECTS and name in BUILTIN_MODULES:
        importlib.import_module(f"{__name__}.{BUILTIN_MODULES[name]}")
    return DIALECTS[name]


__all__ = [
    "BUILTIN_MODULES",
    "DIALECTS",
    "Dialect",
    "PendingHandler",
    "Reply",
    "dialect_class",
    "register_dialect",
]
