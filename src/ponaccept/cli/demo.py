"""``ponaccept serve --demo``: the API with an embedded simulated lab and a seeded demo project.

What it does, in order:

1. starts the lab from ``inventories/lab/topology.yaml`` in a background thread on the topology's fixed
   ports (SSH/SNMP) and its HTTP control endpoint on :data:`CONTROL_PORT`;
2. hands the lab's (lab-only) login credentials to the product through an environment mapping
   (``PONACCEPT_DEVICE_<OLT>_USERNAME`` …) — the product reads credentials from nowhere else;
3. seeds the database: every OLT, PON port and splitter of the lab (OLTs read optics over CLI), a global
   test CVLAN pool 3000–3099, and project ``DEMO-001`` owning splitter ``HW1-A-1x32`` with ports 3 and 4
   under acceptance (only those two rows, so the demo can be completed by hand);
4. creates an admin API key and prints the URL, the key and a curl walkthrough, including how to plug
   the test ONU into the lab.

Seeding is skipped when the database already has OLTs (restarting the demo keeps its data; a new key
is printed each time).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from ponaccept.api.security import Role, create_api_key
from ponaccept.db.engine import session_scope
from ponaccept.db.models import CvlanPool, Olt, OpticsMethod, PonPort, Project, Splitter, SplitterPort
from ponaccept.domain.choices import OpticalClass, Vendor
from ponaccept.sim.lab import Lab, LabThread

TOPOLOGY = Path(__file__).resolve().parents[3] / "inventories" / "lab" / "topology.yaml"
CONTROL_PORT = 10080
DEMO_PROJECT = "DEMO-001"
DEMO_SPLITTER = "HW1-A-1x32"
DEMO_PORTS = (3, 4)


@dataclass
class Demo:
    lab: LabThread
    environ: dict[str, str]
    api_key: str
    project_id: int
    splitter_id: int


def credential_environ(lab: Lab) -> dict[str, str]:
    """The lab's credentials in the product's environment format (see netops.credentials)."""
    env: dict[str, str] = {}
    for name, endpoint in lab.endpoints().items():
        key = name.upper().replace("-", "_")
        env[f"PONACCEPT_DEVICE_{key}_USERNAME"] = endpoint["username"]
        env[f"PONACCEPT_DEVICE_{key}_PASSWORD"] = endpoint["password"]
        env[f"PONACCEPT_DEVICE_{key}_COMMUNITY"] = endpoint["community"]
        if endpoint.get("enable_password"):
            env[f"PONACCEPT_DEVICE_{key}_SECRET"] = endpoint["enable_password"]
    return env


def seed_from_lab(session: Session, lab: Lab) -> tuple[int, int]:
    """Resources of the lab topology, a CVLAN pool and the demo project; returns (project, splitter) ids."""
    endpoints = lab.endpoints()
    project = Project(
        code=DEMO_PROJECT, name="Demo community 演示小区", contractor="Demo Builders", test_required=True
    )
    session.add(project)
    session.add(CvlanPool(name="demo-test", range_start=3000, range_end=3099))
    session.flush()
    demo_splitter: Splitter | None = None
    for spec in lab.topology.olts:
        endpoint = endpoints[spec.name]
        olt = Olt(
            name=spec.name,
            vendor=Vendor(endpoint["vendor"]),
            platform=endpoint["platform"],
            management_ip=endpoint["host"],
            ssh_port=endpoint["ssh_port"],
            snmp_port=endpoint["snmp_port"],
            optics_method=OpticsMethod.CLI,
        )
        session.add(olt)
        session.flush()
        assert olt.id is not None
        for port_spec in spec.pon_ports:
            pon = PonPort(
                olt_id=olt.id,
                frame=port_spec.frame,
                slot=port_spec.slot,
                port=port_spec.port,
                svlan=port_spec.svlan,
                optical_class=OpticalClass(port_spec.optical_class),
                tx_power_dbm=port_spec.tx_dbm,
            )
            session.add(pon)
            session.flush()
            assert pon.id is not None
            by_name: dict[str, Splitter] = {}
            for s in port_spec.odn.splitters:
                parent = by_name.get(s.parent) if s.parent else None
                splitter = Splitter(
                    name=s.name,
                    ratio=s.ratio,
                    stage=s.stage,
                    parent_splitter_id=parent.id if parent else None,
                    pon_port_id=pon.id,
                    fibre_length_km=port_spec.odn.feeder_km if s.stage == 1 else s.fibre_km,
                    connectors=s.connectors,
                    splices=s.splices,
                    port_count=s.ratio,
                    project_id=project.id if s.name == DEMO_SPLITTER else None,
                )
                session.add(splitter)
                session.flush()
                by_name[s.name] = splitter
                if s.name == DEMO_SPLITTER:
                    demo_splitter = splitter
    assert demo_splitter is not None and demo_splitter.id is not None and project.id is not None
    session.add_all(SplitterPort(splitter_id=demo_splitter.id, number=n) for n in DEMO_PORTS)
    return project.id, demo_splitter.id


def start_demo(engine: Engine) -> Demo:
    handle = Lab.start_in_thread(TOPOLOGY, control_port=CONTROL_PORT)
    lab = handle.lab
    with session_scope(engine) as session:
        if session.exec(select(Olt)).first() is None:
            project_id, splitter_id = seed_from_lab(session, lab)
        else:
            project = session.exec(select(Project).where(Project.code == DEMO_PROJECT)).first()
            splitter = session.exec(select(Splitter).where(Splitter.name == DEMO_SPLITTER)).first()
            project_id = project.id if project and project.id else 0
            splitter_id = splitter.id if splitter and splitter.id else 0
        _row, key = create_api_key(session, name="demo-admin", role=Role.ADMIN)
    return Demo(handle, {**os.environ, **credential_environ(lab)}, key, project_id, splitter_id)


def banner(demo: Demo, url: str) -> str:
    control = demo.lab.lab.control_url
    api = f"{url}/api/v1"
    auth = f'-H "Authorization: Bearer {demo.api_key}"'
    return f"""
ponaccept demo — API {url}  (interactive docs: {url}/docs)
  admin API key (shown once): {demo.api_key}
  simulated lab control: {control}   (OLT olt-hw-1 PON 0/1/0, splitter {DEMO_SPLITTER})

  1. dispatch:  curl -s -X POST {auth} -H 'Content-Type: application/json' \\
                  -d '{{"splitter_ids": [{demo.splitter_id}]}}' {api}/projects/{demo.project_id}/activations
  2. watch:     curl -s {auth} '{api}/activations?project_id={demo.project_id}'
  3. plug the test ONU into splitter port 3 with the activation's PASSWORD:
                curl -s -X POST -H 'Content-Type: application/json' \\
                  -d '{{"splitter": "{DEMO_SPLITTER}", "port": 3, "password": "<PASSWORD>"}}' \\
                  {control}/olts/olt-hw-1/plug
  4. line test: curl -s -X POST {auth} {api}/activations/<ID>/line-tests
  (README.md, section "Walkthrough", has the rest: service test with photo, revoke, submit, approve.)
"""
