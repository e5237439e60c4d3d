"""FastAPI application factory.

``create_app()`` builds everything from settings (``ponaccept serve``); tests pass an engine on an
already migrated database. Start-up migrates (when ``auto_migrate`` and the app owns its engine),
seeds the threshold presets, then runs the registered lifespan hooks (``api/lifespan.py``).
``app.state`` holds ``engine``, ``sessionmaker`` and ``settings`` for dependencies and hooks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from ponaccept import __version__
from ponaccept.api.errors import install_error_handlers
from ponaccept.api.lifespan import LIFESPAN_HOOKS, LifespanHook
from ponaccept.api.openapi import API_DESCRIPTION, OPENAPI_TAGS
from ponaccept.api.routes import all_routers
from ponaccept.config import Settings, get_settings
from ponaccept.db.engine import make_engine, make_sessionmaker, session_scope
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.repositories.thresholds import seed_presets

API_PREFIX = "/api/v1"


def _prepare_database(engine: Engine, *, migrate: bool) -> None:
    if migrate:
        upgrade_engine(engine, "head")
    with session_scope(engine) as session:
        seed_presets(session)


def create_app(
    engine: Engine | None = None,
    *,
    settings: Settings | None = None,
    lifespan_hooks: Sequence[LifespanHook] | None = None,
) -> FastAPI:
    """The API application. ``engine`` (tests) must already be migrated; without it one is made."""
    settings = settings or get_settings()
    owns_engine = engine is None
    engine = engine if engine is not None else make_engine(settings.database_url)
    hooks = list(LIFESPAN_HOOKS if lifespan_hooks is None else lifespan_hooks)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_prepare_database, engine, migrate=owns_engine and settings.auto_migrate)
        async with AsyncExitStack() as stack:
            for hook in hooks:
                await stack.enter_async_context(hook(app))
            yield
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        title="ponaccept",
        version=__version__,
        description=API_DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    app.state.settings = settings
    install_error_handlers(app)
    for router in all_routers():
        app.include_router(router, prefix=API_PREFIX)

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        """Liveness probe: answers while the process serves requests."""
        return {"status": "ok", "version": __version__}

    return app
