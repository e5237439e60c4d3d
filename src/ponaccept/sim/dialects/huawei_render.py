"""Huawei SmartAX (MA5800) output text, byte-faithful to reference/vendor-cli-snmp.md §1 and the ntc-templates
fixtures (whose TextFSM templates are whitespace-strict: column padding and trailing blanks matter).

Pure functions from model values to text with ``"\\n"`` line ends. Layout sources: ``display ont info`` detail
and table, ``display ont optical-info P all``, ``display service-port all``, ``display ont autofind`` and
``ont add`` follow the ntc-templates test fixtures; the single-ONT optical block uses 39-character labels
(a public device transcript); ``display port state`` uses 29-character labels (a public device capture).
"""

from __future__ import annotations

from datetime import datetime

from ponaccept.sim.model import OntView
from ponaccept.sim.physics import OnuOptics, PortOptics
from ponaccept.sim.state import PhysicalOnu, ServicePort
from ponaccept.sim.topology import PonKey, sn_readable

DASH = "  " + "-" * 77
FAIL_BUSY = "  Failure: System is busy, please retry after a while"
FAIL_ONT_MISSING = "  Failure: The ONT does not exist"
FAIL_NOT_ONLINE = "  Failure: The ONT is not online"


def fsp_spaced(key: PonKey) -> str:
    """``0/ 1/0`` — how ``display ont info`` prints F/S/P (slot right-aligned in 2)."""
    return f"{key[0]}/{key[1]:>2}/{key[2]}"


def _t(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S%z")[:-2] + ":" + value.strftime("%z")[-2:] if value else "-"


def _duration(since: datetime | None, now: datetime) -> str:
    if since is None:
        return "-"
    s = max(0, int((now - since).total_seconds()))
    return f"{s // 86400} day(s), {s % 86400 // 3600} hour(s), {s % 3600 // 60} minute(s), {s % 60} second(s)"


def _kv(label: str, value: object, width: int = 24) -> str:
    return f"  {label:<{width}}: {value}"


def sn_with_vendor(sn: str) -> str:
    """``48575443A1000001 (HWTC-A1000001)`` — newer firmware style, accepted by the ntc template."""
    readable = sn_readable(sn)
    return f"{sn} ({readable[:4]}-{readable[4:]})" if readable != sn else sn


def ont_add_ok(port: int, ont_id: int) -> str:
    """Success text of ``ont add`` (ntc fixture ``ont_add``)."""
    return f"  Number of ONTs that can be added: 1, success: 1\n  PortID :{port}, ONTID :{ont_id}\n"


def ont_info_detail(v: OntView, now: datetime, line_profile_name: str, srv_profile_name: str) -> str:
    """``display ont info P ID`` / ``F S P ID`` / ``by-sn SN`` (24-char labels, values from column 29)."""
    online = v.online
    o = v.optics
    rows = [
        DASH,
        _kv("F/S/P", fsp_spaced(v.pon)),
        _kv("ONT-ID", v.ont_id),
        _kv("Control flag", "active"),
        _kv("Run state", "online" if online else "offline"),
        _kv("Config state", "normal" if online else "initial"),
        _kv("Match state", "match" if online else "initial"),
        _kv("ONT LLID", "-"),
        _kv("ONT distance(m)", o.distance_m if o else "-"),
        _kv("ONT last distance(m)", o.distance_m if o else "-"),
        _kv("ONT RTT(TQ)", "-"),
        _kv("Memory occupation", "31%" if online else "-"),
        _kv("CPU occupation", "4%" if online else "-"),
        _kv("Temperature", f"{o.temperature_c}(C)" if o else "-"),
        _kv("Authentic type", "SN-auth" if v.auth == "sn" else "password-auth"),
        _kv("SN", sn_with_vendor(v.sn) if v.sn else "0000000000000000"),
    ]
    if v.auth == "password":
        rows.append(_kv("Password", v.password or ""))
    rows += [
        _kv("Management mode", "OMCI"),
        _kv("Software work mode", "normal"),
        _kv("Isolation state", "normal"),
    ]
    desc = v.desc or "-"
    rows.append(_kv("Description", desc[:48]))
    rows.extend(" " * 28 + desc[i : i + 48] for i in range(48, len(desc), 48))
    rows += [
        _kv("Last down cause", v.down_cause if v.down_cause is not None else "-"),
        _kv("Last up time", _t(v.last_up)),
        _kv("Last down time", _t(v.last_down)),
        _kv("Last dying gasp time", _t(v.last_down) if v.down_cause == "dying-gasp" else "-"),
        _kv("ONT online duration", _duration(v.last_up, now) if online else "-"),
        _kv("Type D support", "Not support"),
        _kv("Interoperability-mode", "ITU-T"),
        _kv("Power reduction status", "-"),
        _kv("VS-ID", 0),
        _kv("VS name", "admin-vs"),
        _kv("Global ONT-ID", v.ont_id),
        _kv("Fiber route", "none"),
        DASH,
        _kv("Line profile ID", v.line_profile, 21),
        _kv("Line profile name", line_profile_name, 21),
        DASH,
        "  FEC upstream switch :Disable",
        "  OMCC Encrypt switch :On",
        "  Qos mode            :PQ",
        "  Mapping mode        :VLAN",
        "  TR069 management    :Disable",
        "  TR069 IP index      :0",
        DASH,
        "  Notes: * indicates Discrete TCONT(TCONT Unbound)",
        DASH,
        "  <T-CONT   0>          DBA Profile-ID:1",
        "  <T-CONT   1>          DBA Profile-ID:10",
        DASH,
        _kv("Service profile ID", v.srv_profile, 21),
        _kv("Service profile name", srv_profile_name, 21),
        DASH,
        "  Port-type     Port-number",
        DASH,
        "  POTS          0",
        "  ETH           4",
        "  TDM           0",
        "  MOCA          0",
        "  CATV          0",
        DASH,
        "  Alarm policy profile ID      : 0",
        "  Alarm policy profile name    : alarm-policy_0",
        DASH,
    ]
    return "\n".join(rows) + "\n"


def ont_info_table(key: PonKey, views: list[OntView]) -> str:
    """``display ont info F S P all`` / ``P all``: state table, description table, totals (ntc fixture)."""
    fsp = fsp_spaced(key)
    rows = [
        DASH,
        "  F/S/P   ONT         SN         Control     Run      Config   Match    Protect",
        "          ID                     flag        state    state    state    side ",
        DASH,
    ]
    for v in views:
        run, cfg, match = ("online", "normal", "match") if v.online else ("offline", "initial", "initial")
        sn = v.sn or "0000000000000000"
        rows.append(f"  {fsp}{v.ont_id:>5}  {sn}  {'active':<12}{run:<9}{cfg:<9}{match:<9}no ")
    rows += [DASH, "  F/S/P       ONT  Description  ", "              ID  ", DASH]
    rows += [f"  {fsp}{v.ont_id:>8}   {v.desc or '-'}" for v in views]
    online = sum(1 for v in views if v.online)
    rows += [DASH, f"  In port {fsp} , the total of ONTs are: {len(views)}, online: {online}", DASH]
    return "\n".join(rows) + "\n"


def optical_detail(o: OnuOptics, sn: str) -> str:
    """``display ont optical-info P ID`` (39-char labels; GPON ONU BOSA values)."""

    def kv(label: str, value: object) -> str:
        return f"  {label:<39}: {value}"

    rows = [
        DASH,
        kv("ONU NNI port ID", 0),
        kv("Module type", "GPON"),
        kv("Module sub-type", "CLASS B+"),
        kv("Used type", "ONU"),
        kv("Encapsulation Type", "BOSA ON BOARD"),
        kv("Optical power precision(dBm)", "3.0"),
        kv("Vendor name", "HUAWEI"),
        kv("Vendor rev", "-"),
        kv("Vendor PN", "HW-BOB-0007"),
        kv("Vendor SN", "2120" + sn[-8:] + "U"),
        kv("Date Code", "21-03-18"),
        kv("Rx optical power(dBm)", f"{o.rx_dbm:.2f}"),
        kv("Rx power current warning threshold(dBm)", "[-,-]"),
        kv("Rx power current alarm threshold(dBm)", "[-27.0,-8.0]"),
        kv("Tx optical power(dBm)", f"{o.tx_dbm:.2f}"),
        kv("Tx power current warning threshold(dBm)", "[-,-]"),
        kv("Tx power current alarm threshold(dBm)", "[0.5,5.0]"),
        kv("Laser bias current(mA)", o.bias_ma),
        kv("Tx bias current warning threshold(mA)", "[-,-]"),
        kv("Tx bias current alarm threshold(mA)", "[0.000,90.000]"),
        kv("Temperature(C)", o.temperature_c),
        kv("Temperature warning threshold(C)", "[-,-]"),
        kv("Temperature alarm threshold(C)", "[-10,85]"),
        kv("Voltage(V)", f"{o.voltage_v:.3f}"),
        kv("Supply voltage warning threshold(V)", "[-,-]"),
        kv("Supply voltage alarm threshold(V)", "[3.000,3.600]"),
        kv("OLT Rx ONT optical power(dBm)", f"{o.olt_rx_dbm:.2f}"),
        kv("CATV Rx optical power(dBm)", "-"),
        kv("CATV Rx power alarm threshold(dBm)", "[-,-]"),
        DASH,
    ]
    return "\n".join(rows) + "\n"


def optical_table(rows_in: list[tuple[int, OnuOptics]]) -> str:
    """``display ont optical-info P all`` (ntc fixture: 80-column rows with trailing padding)."""
    rows = [
        DASH + " ",
        "  ONT  Rx power  Tx power  OLT Rx ONT  Temperature  Voltage  Current  Distance  ",
        "  ID   (dBm)     (dBm)     power(dBm)  (C)          (V)      (mA)     (m)       ",
        DASH + " ",
    ]
    for ont_id, o in rows_in:
        rows.append(
            f"{ont_id:>5}  {o.rx_dbm:<10.2f}{o.tx_dbm:<10.2f}{o.olt_rx_dbm:<12.2f}{o.temperature_c:<13}"
            f"{o.voltage_v:<9.3f}{o.bias_ma:<9}{o.distance_m:<10}"
        )
    rows.append(DASH)
    return "\n".join(rows) + "\n"


def port_state(key: PonKey, p: PortOptics, max_km: int = 20) -> str:
    """``display port state P`` in ``interface gpon F/S`` (29-char labels, no colon)."""

    def kv(label: str, value: object) -> str:
        return f"  {label:<29}{value}"

    rows = [
        "  " + "-" * 76,
        kv("F/S/P", f"{key[0]}/{key[1]}/{key[2]}"),
        kv("Optical Module status", "Online"),
        kv("Port state", "Online"),
        kv("Laser state", "Normal"),
        kv("Available bandwidth(Kbps)", 1238110),
        kv("Temperature(C)", p.temperature_c),
        kv("TX Bias current(mA)", p.bias_ma),
        kv("Supply Voltage(V)", f"{p.voltage_v:.2f}"),
        kv("TX power(dBm)", f"{p.tx_dbm:.2f}"),
        kv("Illegal rogue ONT", "Inexistent"),
        kv("Max Distance(Km)", max_km),
        kv("Wave length(nm)", 1490),
        kv("Fiber type", "Single Mode"),
        kv("Length(9μm)(km)", f"{max_km:.1f}"),
        "  " + "-" * 76,
    ]
    return "\n".join(rows) + "\n"


SP_NOTE = """\
   Note : F--Frame, S--Slot, P--Port,
          VPI indicates ONT ID for PON, VCI indicates GEM index for GPON,
          v/e--vlan/encap, pritag--priority-tagged,
          ppp--pppoe, ip--ipoe, ip4--ipv4oe, ip6--ipv6oe, vxl--vxlan.
          When FLOW TYPE is plist, the value of FLOW PARA is a byte in
          hexadecimal format and indicates a priority list. Eight bits
          of its binary value indicate priorities 0-7 from the least
          significant bit to the most significant bit. Value 1 indicates
          that the priority is used. For example, if FLOW PARA is 0x23 and
          its binary format is 0010 0011, priorities 0, 1 and 5 are used
"""


def service_port_table(sps: list[tuple[ServicePort, bool]]) -> str:
    """``display service-port all`` / ``port F/S/P`` (ntc fixture layout; ``bool`` = ONT online → up)."""
    rows = [
        "Switch-Oriented Flow List",
        DASH,
        "   INDEX VLAN VLAN     PORT F/ S/ P VPI  VCI   FLOW  FLOW       RX   TX   STATE",
        "         ID   ATTR     TYPE                    TYPE  PARA",
        DASH,
    ]
    for sp, up in sps:
        f, s, p = sp.pon
        fsp = f"{f}/{s:<2}/{p:<2}"
        state = "up" if up else "down"
        rows.append(
            f"{sp.index:>8} {sp.svlan:<5}{'common':<9}{'gpon':<5}{fsp:<8}{sp.ont_id:<5}{sp.gemport:<6}"
            f"{'vlan':<6}{sp.user_vlan:<11}{'-':<5}{'-':<5}{state:<5}"
        )
    n_up = sum(1 for _, up in sps if up)
    rows += [DASH, f"   Total : {len(sps)}  (Up/Down :{n_up:>5}/{len(sps) - n_up})"]
    return "\n".join(rows) + "\n" + SP_NOTE


def autofind(found: list[tuple[PonKey, PhysicalOnu, datetime]]) -> str:
    """``display ont autofind all`` (ntc fixture: one block per ONU)."""
    dash = "   " + "-" * 76
    rows = [dash]
    for n, (key, onu, t) in enumerate(found, start=1):
        readable = sn_readable(onu.sn)
        rows += [
            f"   Number              : {n}",
            f"   F/S/P               : {key[0]}/{key[1]}/{key[2]}",
            f"   Ont SN              : {onu.sn} ({readable[:4]}-{readable[4:]})",
            "   Password            : 0x" + (onu.password or "").encode().hex().ljust(20, "0")[:20],
            "   Loid                :",
            "   Checkcode           :",
            f"   VendorID            : {readable[:4]}",
            "   Ont Version         : 1B2.A",
            "   Ont SoftwareVersion : V5R020C10S115",
            f"   Ont EquipmentID     : {onu.equipment}",
            "   Ont Customized Info : COMMON",
            "   Ont MAC             : 00E0-FC" + onu.sn[-6:-4] + "-" + onu.sn[-4:],
            "   Ont Equipment SN    : 2120" + onu.sn[-8:],
            f"   Ont autofind time   : {_t(t)}",
            "   Multi channel       : -",
            dash,
        ]
    return "\n".join(rows) + "\n"
