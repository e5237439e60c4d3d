"""Raw SNMP integers of one ONU → :class:`~ponaccept.domain.optics.OpticalReadings` (as the CLI path gives).

Rules, so that no sentinel or decoding slip is ever judged as a power:

- A row the OLT did not serve (noSuchInstance, or absent from a walk) is ``Missing(not_supported)``; an ONU
  with no row at all is ``Missing(offline)`` "not configured".
- An offline ONU (Huawei run status not up; ZTE "not in service") makes every ONU-side value *and* the
  OLT Rx (the OLT hears nothing from it) ``Missing(offline)``; the PON port's Tx is still measured.
- A vendor sentinel is ``Missing(not_available)`` (``los`` for ZTE's "no signal").
- A decoded value outside the domain's plausible range is ``Missing(not_available)`` with the raw value in
  the detail — never an exception, because one odd ONU must not lose the whole table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ponaccept.domain.choices import Vendor
from ponaccept.domain.errors import InvalidOpticalValue
from ponaccept.domain.optics import (
    BIAS_RANGE_MA,
    DISTANCE_RANGE_M,
    TEMPERATURE_RANGE_C,
    VOLTAGE_RANGE_V,
    Measured,
    Missing,
    MissingReason,
    OpticalReadings,
    Quantity,
    check_finite_in_range,
    measured,
)
from ponaccept.polling import oids
from ponaccept.polling.oids import OnuField

RawRow = Mapping[OnuField, int]
"""The integers served for one ONU, by field; a field the OLT did not serve is absent."""

NOT_CONFIGURED = "no SNMP row: ONU not configured on the OLT"
NOT_SERVED = "not served by the OLT over SNMP"


def power(
    raw: int | None,
    scale: Callable[[int], float],
    quantity: Quantity,
    sentinels: Mapping[int, MissingReason],
) -> Measured | Missing:
    """Decode one power: absent → not_supported, sentinel → its reason, implausible → not_available."""
    if raw is None:
        return Missing(reason=MissingReason.NOT_SUPPORTED, detail=NOT_SERVED)
    if raw in sentinels:
        return Missing(reason=sentinels[raw], detail=f"OLT sent {raw} (no reading)")
    dbm = scale(raw)
    try:
        return measured(dbm, quantity.value)
    except InvalidOpticalValue:
        return Missing(
            reason=MissingReason.NOT_AVAILABLE,
            detail=f"raw {raw} decodes to {dbm:g} dBm, outside the plausible range",
        )


def _diagnostic(
    raw: int | None, scale: Callable[[int], float], bounds: tuple[float, float], sentinel: int
) -> float | None:
    """Temperature/voltage/bias/distance: ``None`` when absent, a sentinel or implausible (never raises)."""
    if raw is None or raw == sentinel:
        return None
    value = scale(raw)
    try:
        return check_finite_in_range(value, "diagnostic", bounds[0], bounds[1], "")
    except InvalidOpticalValue:
        return None


def _offline(detail: str) -> Missing:
    return Missing(reason=MissingReason.OFFLINE, detail=detail)


def _pon_tx(raw: int | None, scale: Callable[[int], float], sentinel: int) -> Measured | Missing:
    return power(raw, scale, Quantity.OLT_TX, {sentinel: MissingReason.NOT_AVAILABLE})


def decode_huawei(row: RawRow, pon_tx_raw: int | None) -> OpticalReadings:
    """One SmartAX ONT: DDM columns, run status and ranging, plus its PON port's Tx."""
    olt_tx = _pon_tx(pon_tx_raw, oids.huawei_power_dbm, oids.HUAWEI_INVALID)
    status = row.get(OnuField.RUN_STATUS)
    if not row:
        gone = _offline(NOT_CONFIGURED)
        return OpticalReadings(olt_tx=olt_tx, olt_rx=gone, onu_tx=gone, onu_rx=gone)
    if status is not None and status != oids.HUAWEI_RUN_UP:
        label = "down" if status == oids.HUAWEI_RUN_DOWN else f"invalid ({status})"
        down = _offline(f"ONT run status {label}")
        return OpticalReadings(olt_tx=olt_tx, olt_rx=down, onu_tx=down, onu_rx=down)
    # Run status up: the sentinel means "no value right now". Run status not served: the reference's
    # reading of 2147483647 (offline) is the best guess.
    invalid = MissingReason.NOT_AVAILABLE if status == oids.HUAWEI_RUN_UP else MissingReason.OFFLINE
    sentinels = {oids.HUAWEI_INVALID: invalid}
    return OpticalReadings(
        olt_tx=olt_tx,
        olt_rx=power(row.get(OnuField.OLT_RX), oids.huawei_olt_rx_dbm, Quantity.OLT_RX, sentinels),
        onu_tx=power(row.get(OnuField.ONU_TX), oids.huawei_power_dbm, Quantity.ONU_TX, sentinels),
        onu_rx=power(row.get(OnuField.ONU_RX), oids.huawei_power_dbm, Quantity.ONU_RX, sentinels),
        onu_temperature_c=_diagnostic(
            row.get(OnuField.TEMPERATURE), float, TEMPERATURE_RANGE_C, oids.HUAWEI_INVALID
        ),
        onu_voltage_v=_diagnostic(
            row.get(OnuField.VOLTAGE), oids.huawei_voltage_v, VOLTAGE_RANGE_V, oids.HUAWEI_INVALID
        ),
        onu_bias_ma=_diagnostic(row.get(OnuField.BIAS), float, BIAS_RANGE_MA, oids.HUAWEI_INVALID),
        distance_m=_diagnostic(row.get(OnuField.DISTANCE), float, DISTANCE_RANGE_M, oids.HUAWEI_NOT_RANGED),
    )


def decode_zte(row: RawRow, pon_tx_raw: int | None) -> OpticalReadings:
    """One ZTE ONU: OLT Rx from the ZXAN table, ONU Rx/Tx from the legacy table, plus the PON Tx."""
    olt_tx = _pon_tx(pon_tx_raw, oids.zte_milli_dbm, oids.ZTE_MODULE_NA)
    if not row:
        gone = _offline(NOT_CONFIGURED)
        return OpticalReadings(olt_tx=olt_tx, olt_rx=gone, onu_tx=gone, onu_rx=gone)
    if row.get(OnuField.OLT_RX) == oids.ZTE_PON_RX_NOT_IN_SERVICE:
        down = _offline("ONU not in service")
        return OpticalReadings(olt_tx=olt_tx, olt_rx=down, onu_tx=down, onu_rx=down)
    legacy = {oids.ZTE_LEGACY_NA: MissingReason.NOT_AVAILABLE}
    return OpticalReadings(
        olt_tx=olt_tx,
        olt_rx=power(
            row.get(OnuField.OLT_RX),
            oids.zte_milli_dbm,
            Quantity.OLT_RX,
            {oids.ZTE_PON_RX_NO_SIGNAL: MissingReason.LOS},
        ),
        onu_tx=power(row.get(OnuField.ONU_TX), oids.zte_legacy_dbm, Quantity.ONU_TX, legacy),
        onu_rx=power(row.get(OnuField.ONU_RX), oids.zte_legacy_dbm, Quantity.ONU_RX, legacy),
    )


_DECODERS: Mapping[Vendor, Callable[[RawRow, int | None], OpticalReadings]] = {
    Vendor.HUAWEI: decode_huawei,
    Vendor.ZTE: decode_zte,
}


def decode(vendor: Vendor | str, row: RawRow, pon_tx_raw: int | None) -> OpticalReadings:
    """Readings of one ONU from its raw row and its PON port's raw Tx (``None`` = not served)."""
    return _DECODERS[oids.vendor_mib(vendor).vendor](row, pon_tx_raw)


def unreachable(detail: str, reason: MissingReason = MissingReason.TIMEOUT) -> OpticalReadings:
    """All four powers missing with ``detail`` (naming the OLT) — what a silent OLT yields for one ONU."""
    gone = Missing(reason=reason, detail=detail[:200])
    return OpticalReadings(olt_tx=gone, olt_rx=gone, onu_tx=gone, onu_rx=gone)
