"""``ponaccept serve``: run the HTTP service with uvicorn (``--demo``: with the embedded lab).

Demo mode (``--demo``, or automatically when the database is SQLite and either holds no OLT yet — the
state right after ``make run`` on a fresh checkout — or holds the demo project from an earlier demo run)
starts the simulated lab and seeds a demo project; see :mod:`ponaccept.cli.demo`. ``--no-demo`` turns
the automatic choice off.
"""

from __future__ import annotations

import typer
import uvicorn
from sqlmodel import Session, select

from ponaccept.config import get_settings
from ponaccept.db.engine import is_sqlite, make_engine
from ponaccept.db.migrate import upgrade_engine
from ponaccept.db.models import Olt, Project


def _wants_demo(url: str) -> bool:
    from ponaccept.cli.demo import DEMO_PROJECT  # the lab is imported only when serving

    if not is_sqlite(url):
        return False
    engine = make_engine(url)
    try:
        upgrade_engine(engine, "head")
        with Session(engine) as session:
            empty = session.exec(select(Olt)).first() is None
            return (
                empty or session.exec(select(Project).where(Project.code == DEMO_PROJECT)).first() is not None
            )
    finally:
        engine.dispose()


def serve(
    host: str | None = typer.Option(None, help="Bind address (default: PONACCEPT_HOST or 127.0.0.1)."),
    port: int | None = typer.Option(None, help="Port (default: PONACCEPT_PORT or 8000)."),
    demo: bool | None = typer.Option(
        None,
        "--demo/--no-demo",
        help="Start the simulated lab and seed a demo project (default: on for an empty embedded SQLite DB).",
    ),
) -> None:
    """Start the API service on the configured database and executor."""
    settings = get_settings()
    bind_host = host or settings.host
    bind_port = port or settings.port
    if demo is None:
        demo = _wants_demo(settings.database_url)
    if not demo:
        uvicorn.run(
            "ponaccept.api.app:create_app",
            factory=True,
            host=bind_host,
            port=bind_port,
            log_level=settings.log_level.lower(),
        )
        return

    from ponaccept.api.app import create_app
    from ponaccept.api.workers import make_jobs_lifespan
    from ponaccept.cli.demo import banner, start_demo

    engine = make_engine(settings.database_url)
    upgrade_engine(engine, "head")
    started = start_demo(engine)
    app = create_app(engine, settings=settings, lifespan_hooks=[make_jobs_lifespan(environ=started.environ)])
    typer.echo(banner(started, f"http://{bind_host}:{bind_port}"))
    try:
        uvicorn.run(app, host=bind_host, port=bind_port, log_level=settings.log_level.lower())
    finally:
        started.lab.stop()
        engine.dispose()
