"""Line-quality test (线路质量): read the four powers, judge them, store an append-only LineTest.

The profile is the project's assigned version, else the newest ``construction`` preset; its row id
is stored so the verdict always points at the limits it was judged against (a later revision never
re-judges). When the profile is in ``predicted_plus_tolerance`` mode, the prediction comes from the
splitter chain in the database (fibre lengths, ratios, connectors, splices, drop length).

Stability mode: ``samples`` readings spread over ``duration_s``; each power is the mean of the samples
that measured it and ``spread_db`` is the max − min ONU Rx (what an engineer watches on a flaky line).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from statistics import fmean
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from ponaccept.api.errors import ConflictError, InvalidRequest
from ponaccept.api.services.optics_read import OpticsUnavailable, read_activation_optics
from ponaccept.api.services.test_status import refresh_test_status
from ponaccept.api.thresholds_map import profile_for_project, to_domain_profile
from ponaccept.db.models import (
    Activation,
    LineTest,
    Olt,
    OpticsMethod,
    PonPort,
    Project,
    Splitter,
    SplitterPort,
)
from ponaccept.db.types import utcnow
from ponaccept.domain.choices import ActivationStatus
from ponaccept.domain.link_budget import LinkBudget, OdnPath, predict
from ponaccept.domain.optics import OpticalReadings, Quantity
from ponaccept.domain.thresholds import ThresholdMode, judge
from ponaccept.jobs.devices import DeviceAccess

Reader = Callable[[], tuple[OpticalReadings, OpticsMethod]]


def predicted_budget(session: Session, activation: Activation) -> LinkBudget | None:
    """Link budget from the PON port to the activation's splitter port (stage 1 first)."""
    port = session.get(SplitterPort, activation.splitter_port_id)
    pon = session.get(PonPort, activation.pon_port_id)
    if port is None or pon is None:
        return None
    chain: list[Splitter] = []
    splitter = session.get(Splitter, port.splitter_id)
    while splitter is not None:
        chain.insert(0, splitter)
        splitter = session.get(Splitter, splitter.parent_splitter_id) if splitter.parent_splitter_id else None
    fibre = [s.fibre_length_km for s in chain] + [port.drop_length_km or 0.0]
    path = OdnPath(
        fibre_km=tuple(fibre),
        splitter_ratios=tuple(s.ratio for s in chain),
        connectors=sum(s.connectors for s in chain),
        splices=sum(s.splices for s in chain),
    )
    return predict(path, optical_class=pon.optical_class)


def _mean(values: list[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return round(fmean(present), 2) if present else None


def _round(value: float | None) -> float | None:
    """Powers come in 0.01 dB steps; a difference of two should not show float noise."""
    return None if value is None else round(value, 2)


def combine(samples: list[OpticalReadings]) -> tuple[OpticalReadings, float | None]:
    """Mean readings of ``samples`` and the ONU Rx spread (None with one sample or no Rx)."""
    if len(samples) == 1:
        return samples[0], None
    quantities = {q: [s.dbm(q) for s in samples] for q in Quantity}
    rx = [v for v in quantities[Quantity.ONU_RX] if v is not None]
    spread = round(max(rx) - min(rx), 2) if len(rx) > 1 else None
    combined = OpticalReadings.from_dbm(
        olt_tx=_mean(quantities[Quantity.OLT_TX]),
        olt_rx=_mean(quantities[Quantity.OLT_RX]),
        onu_tx=_mean(quantities[Quantity.ONU_TX]),
        onu_rx=_mean(quantities[Quantity.ONU_RX]),
    )
    return combined, spread


def run_line_test(
    engine: Engine,
    session: Session,
    devices: DeviceAccess,
    activation: Activation,
    *,
    samples: int = 1,
    duration_s: float = 0.0,
    reader: Reader | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> LineTest:
    if activation.status is not ActivationStatus.ACTIVATION_SUCCEEDED:
        raise ConflictError(
            f"activation {activation.id} is {activation.status.value}: "
            "a line test needs a provisioned test ONU",
            current_state=activation.status.value,
        )
    if samples < 1 or (samples > 1 and duration_s < 0):
        raise InvalidRequest("bad stability settings", errors=[("body.samples", "must be ≥ 1")])
    project = session.get(Project, activation.project_id)
    assert project is not None
    row = profile_for_project(session, project)
    profile = to_domain_profile(row)
    olt = session.get(Olt, activation.olt_id)
    pon = session.get(PonPort, activation.pon_port_id)
    assert olt is not None and pon is not None
    prediction = (
        predicted_budget(session, activation)
        if profile.mode is ThresholdMode.PREDICTED_PLUS_TOLERANCE
        else None
    )
    session.commit()  # end the read transaction before device work (see optics_read.read_cli)
    read = reader or (lambda: read_activation_optics(engine, devices, activation, olt, pon))
    readings: list[OpticalReadings] = []
    method = OpticsMethod.CLI
    for index in range(samples):
        if index:
            sleep(duration_s / (samples - 1))
        try:
            reading, method = read()
        except OpticsUnavailable as exc:
            raise ConflictError(f"cannot read the ONU's optics: {exc}") from exc
        readings.append(reading)
    combined, spread = combine(readings)
    verdict = judge(combined, profile, prediction)
    raw: dict[str, Any] = {
        "samples": [r.model_dump(mode="json") for r in readings],
        "judgement": verdict.model_dump(mode="json"),
    }
    assert activation.id is not None and row.id is not None
    test = LineTest(
        activation_id=activation.id,
        measured_at=utcnow(),
        olt_tx_dbm=combined.dbm(Quantity.OLT_TX),
        olt_rx_dbm=combined.dbm(Quantity.OLT_RX),
        onu_tx_dbm=combined.dbm(Quantity.ONU_TX),
        onu_rx_dbm=combined.dbm(Quantity.ONU_RX),
        down_att_db=_round(verdict.downstream_attenuation_db),
        up_att_db=_round(verdict.upstream_attenuation_db),
        method=method,
        threshold_profile_id=row.id,
        verdict=verdict.verdict,
        reasons=[f"{r.code.value}: {r.message}" for r in verdict.reasons],
        raw=raw,
        samples=samples,
        spread_db=spread,
    )
    session.add(test)
    session.flush()
    refresh_test_status(session, activation)
    return test
