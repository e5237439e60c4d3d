"""Optical physics of the lab: what each ONU and the OLT actually measure.

The simulator plays "the real world", so it uses *typical actual* losses of installed plant, not the
planning maxima of reference/optics.md C2 (a planning table says 1:32 ≤ 17.2 dB; a real 1:32 PLC measures
about 16.9 dB). Downstream is computed at 1490 nm, upstream at 1310 nm; both directions cross the same
splitters, connectors and splices, so upstream attenuation exceeds downstream by ≈ 0.13 dB/km of fibre.

Noise is small and *deterministic*: it is drawn from a PRNG seeded with (lab seed, OLT, ONU identity), so
every read of an unchanged ONU returns the same numbers and CLI and SNMP agree to the last digit. All
powers are rounded to 0.01 dB, the finest step the vendors print.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass

from ponaccept.sim.topology import OdnSpec, PonKey, fsp_str

# Typical measured insertion loss of PLC splitters (dB) — between the ideal 10·log N and the datasheet max.
SPLITTER_IL_DB: dict[int, float] = {2: 3.7, 4: 7.1, 8: 10.4, 16: 13.6, 32: 16.9, 64: 20.6}
ALPHA_1490_DB_PER_KM = 0.22
ALPHA_1310_DB_PER_KM = 0.35
CONNECTOR_DB = 0.25
SPLICE_DB = 0.05

# Below this ONU Rx the ONU cannot range (real B+/C+ ONUs lose sync around −29…−30 dBm).
ONU_RANGING_SENSITIVITY_DBM = -30.0
# OLT receiver sensitivity per optical class: an ONU whose upstream arrives weaker cannot range either.
OLT_SENSITIVITY_DBM: dict[str, float] = {
    "gpon_b+": -30.0,
    "gpon_c+": -33.0,
    "xgspon_n1": -27.0,
    "xgspon_n2": -29.0,
    "xgspon_e1": -31.0,
}

RX_NOISE_DB = 0.15
OLT_RX_NOISE_DB = 0.2


@dataclass(frozen=True)
class PathLoss:
    """The passive path from a PON port to one splitter port (plus drop).

    ``elements`` are the ODN element references crossed, feeder first (see :mod:`ponaccept.sim.topology`);
    ``extra_db`` is the sum of dirty-connector faults on them; ``cut`` says a fibre on the path is cut.
    """

    fibre_km: float
    splitter_db: float
    connectors: int
    splices: int
    extra_db: float
    elements: tuple[str, ...]
    cut: bool

    @property
    def passive_db(self) -> float:
        """Loss common to both wavelengths (splitters, connectors, splices, dirt)."""
        return self.splitter_db + self.connectors * CONNECTOR_DB + self.splices * SPLICE_DB + self.extra_db

    @property
    def down_db(self) -> float:
        """Downstream (1490 nm) attenuation OLT → ONU."""
        return self.fibre_km * ALPHA_1490_DB_PER_KM + self.passive_db

    @property
    def up_db(self) -> float:
        """Upstream (1310 nm) attenuation ONU → OLT."""
        return self.fibre_km * ALPHA_1310_DB_PER_KM + self.passive_db

    @property
    def distance_m(self) -> int:
        """Fibre distance the OLT's ranging reports."""
        return round(self.fibre_km * 1000)


@dataclass(frozen=True)
class OnuOptics:
    """One ONU's DDM readings as the OLT reports them (powers in dBm, rounded to 0.01)."""

    rx_dbm: float
    tx_dbm: float
    olt_rx_dbm: float
    temperature_c: int
    voltage_v: float
    bias_ma: int
    distance_m: int


@dataclass(frozen=True)
class PortOptics:
    """The OLT PON port transceiver's own DDM readings."""

    tx_dbm: float
    temperature_c: int
    voltage_v: float
    bias_ma: int


class NoLight(Exception):
    """No usable light reaches the ONU (cut fibre) — the OLT sees LOS."""


def path_to(
    odn: OdnSpec,
    pon: PonKey,
    splitter: str,
    splitter_port: int,
    *,
    drop_km: float,
    drop_connectors: int,
    drop_splices: int,
    dirty: Mapping[str, float],
    cuts: frozenset[str] | set[str],
) -> PathLoss:
    """Walk the splitter tree from ``splitter:splitter_port`` back to the PON port and add up the losses.

    Raises ``KeyError`` if the splitter is not in this ODN.
    """
    chain = []
    node = odn.splitter(splitter)
    if node is None:
        raise KeyError(splitter)
    out_port = splitter_port
    elements: list[str] = []
    while node is not None:
        chain.append(node)
        elements.append(f"{node.name}:{out_port}")
        elements.append(node.name)
        if node.parent is None:
            break
        assert node.parent_port is not None
        out_port = node.parent_port
        node = odn.splitter(node.parent)
    elements.append(fsp_str(pon))
    elements.reverse()
    fibre = odn.feeder_km + sum(s.fibre_km for s in chain) + drop_km
    splitter_db = sum(SPLITTER_IL_DB[s.ratio] for s in chain)
    connectors = odn.connectors + sum(s.connectors for s in chain) + drop_connectors
    splices = odn.splices + sum(s.splices for s in chain) + drop_splices
    extra = sum(dirty.get(e, 0.0) for e in elements)
    return PathLoss(
        fibre_km=fibre,
        splitter_db=splitter_db,
        connectors=connectors,
        splices=splices,
        extra_db=extra,
        elements=tuple(elements),
        cut=any(e in cuts for e in elements),
    )


def _rng(seed: int, *parts: object) -> random.Random:
    # random.Random(str) hashes with SHA-512, so this is stable across processes (unlike hash()).
    return random.Random(":".join([str(seed), *map(str, parts)]))


def onu_optics(seed: int, olt: str, onu_key: str, path: PathLoss, olt_tx_dbm: float) -> OnuOptics:
    """The readings of one ONU behind ``path``; raises :class:`NoLight` if the path is cut.

    ``onu_key`` identifies the physical ONU (its SN): the same ONU keeps its laser power, temperature and
    noise wherever it is plugged, as a real transceiver does.
    """
    if path.cut:
        raise NoLight(onu_key)
    r = _rng(seed, olt, onu_key)
    tx = 2.0 + r.random() * 0.8
    rx_noise = (r.random() * 2 - 1) * RX_NOISE_DB
    olt_rx_noise = (r.random() * 2 - 1) * OLT_RX_NOISE_DB
    temperature = 40 + int(r.random() * 15)
    voltage = 3.22 + r.random() * 0.1
    bias = 8 + int(r.random() * 8)
    return OnuOptics(
        rx_dbm=round(olt_tx_dbm - path.down_db + rx_noise, 2),
        tx_dbm=round(tx, 2),
        olt_rx_dbm=round(tx - path.up_db + olt_rx_noise, 2),
        temperature_c=temperature,
        voltage_v=round(voltage, 3),
        bias_ma=bias,
        distance_m=path.distance_m,
    )


def can_range(optics: OnuOptics, optical_class: str) -> bool:
    """Whether the ONU can register: enough light both ways."""
    olt_sens = OLT_SENSITIVITY_DBM.get(optical_class, -30.0)
    return optics.rx_dbm >= ONU_RANGING_SENSITIVITY_DBM and optics.olt_rx_dbm >= olt_sens


def port_optics(seed: int, olt: str, pon: PonKey, tx_dbm: float) -> PortOptics:
    """The PON port transceiver's DDM: launch power as configured (±0.05 dB), plausible housekeeping."""
    r = _rng(seed, olt, fsp_str(pon), "port")
    return PortOptics(
        tx_dbm=round(tx_dbm + (r.random() * 2 - 1) * 0.05, 2),
        temperature_c=30 + int(r.random() * 12),
        voltage_v=round(3.2 + r.random() * 0.1, 2),
        bias_ma=9 + int(r.random() * 6),
    )
