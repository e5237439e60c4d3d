"""Every router of ``/api/v1``.

A new resource adds its module (``api/routes/<name>.py`` defining ``router = APIRouter(...)``) and
ONE line to :data:`ROUTERS` — the module path, imported by :func:`all_routers` — so parallel work
on different routers never edits the same line.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import APIRouter

ROUTERS: list[str] = [
    "ponaccept.api.routes.meta",
    "ponaccept.api.routes.olts",
    "ponaccept.api.routes.pon_ports",
    "ponaccept.api.routes.splitters",
    "ponaccept.api.routes.projects",
    "ponaccept.api.routes.thresholds",
    "ponaccept.api.routes.reports",
    "ponaccept.api.routes.activations",
    "ponaccept.api.routes.line_tests",
    "ponaccept.api.routes.service_tests",
    "ponaccept.api.routes.reviews",
    "ponaccept.api.routes.webhooks",
    "ponaccept.api.routes.orders",
    "ponaccept.api.routes.order_metrics",
]


def all_routers() -> list[APIRouter]:
    routers = []
    for path in ROUTERS:
        router = getattr(import_module(path), "router", None)
        if not isinstance(router, APIRouter):
            raise TypeError(f"{path} must define `router = APIRouter(...)`")
        routers.append(router)
    return routers
