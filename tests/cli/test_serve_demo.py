"""``ponaccept serve --demo``: seeding from the lab topology, credentials via the environment mapping."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ponaccept.cli.demo import DEMO_PORTS, DEMO_PROJECT, DEMO_SPLITTER, credential_environ, seed_from_lab
from ponaccept.cli.serve import _wants_demo
from ponaccept.db.models import CvlanPool, Olt, PonPort, Project, Splitter, SplitterPort
from ponaccept.netops.credentials import load_credentials
from ponaccept.sim.lab import Lab


def test_seed_mirrors_the_lab_and_owns_the_demo_ports(engine: Engine, lab: Lab) -> None:
    with Session(engine) as session:
        project_id, splitter_id = seed_from_lab(session, lab)
        session.commit()
        assert {o.name for o in session.exec(select(Olt)).all()} == set(lab.endpoints())
        assert len(session.exec(select(PonPort)).all()) == sum(len(o.pon_ports) for o in lab.topology.olts)
        splitter = session.get(Splitter, splitter_id)
        assert splitter is not None and splitter.name == DEMO_SPLITTER and splitter.project_id == project_id
        ports = session.exec(select(SplitterPort).where(SplitterPort.splitter_id == splitter_id)).all()
        assert sorted(p.number for p in ports) == list(DEMO_PORTS)
        child = session.exec(select(Splitter).where(Splitter.stage == 2)).first()
        assert child is not None and child.parent_splitter_id is not None
        assert session.exec(select(CvlanPool)).one().range_start == 3000
        project = session.get(Project, project_id)
        assert project is not None and project.code == DEMO_PROJECT


def test_credentials_reach_the_product_only_through_the_environment(lab: Lab) -> None:
    store = load_credentials(None, credential_environ(lab))
    for name, endpoint in lab.endpoints().items():
        creds = store.resolve(name)
        assert (creds.username, creds.password, creds.community) == (
            endpoint["username"],
            endpoint["password"],
            endpoint["community"],
        )


def test_demo_is_automatic_only_on_an_empty_or_demo_sqlite_database(
    db_url: str, engine: Engine, lab: Lab
) -> None:
    if not db_url.startswith("sqlite"):
        assert _wants_demo(db_url) is False
        return
    assert _wants_demo(db_url) is True
    with Session(engine) as session:
        seed_from_lab(session, lab)
        session.commit()
    assert _wants_demo(db_url) is True  # the demo's own data: keep serving the demo
    with Session(engine) as session:
        project = session.exec(select(Project)).one()
        project.code = "REAL-1"
        session.add(project)
        session.commit()
    assert _wants_demo(db_url) is False
