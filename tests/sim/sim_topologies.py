"""Small in-code topologies for model/physics tests (independent of inventories/lab/topology.yaml)."""

from __future__ import annotations

from typing import Any

from ponaccept.sim.topology import Topology


def twin_ports(ratio_a: int = 32, ratio_b: int = 64) -> Topology:
    """One Huawei OLT with two PON ports identical except for their single splitter's ratio."""

    def port(p: int, name: str, ratio: int) -> dict[str, Any]:
        return {
            "slot": 1, "port": p, "tx_dbm": 3.5, "svlan": 100,
            "odn": {"feeder_km": 3.0, "connectors": 2, "splices": 2,
                    "splitters": [{"name": name, "ratio": ratio}]},
        }  # fmt: skip

    return Topology.model_validate(
        {
            "seed": 7,
            "olts": [
                {
                    "name": "olt-a", "dialect": "huawei_ma5800", "hostname": "OLT-A", "username": "u",
                    "password": "p", "vlans": [100],
                    "pon_ports": [port(0, "SPL-A", ratio_a), port(1, "SPL-B", ratio_b)],
                }
            ],
        }
    )  # fmt: skip


def two_stage() -> Topology:
    """A 1:4 feeding two 1:16 (0.8 km and 1.3 km away) with one customer on each branch."""
    return Topology.model_validate(
        {
            "olts": [
                {
                    "name": "olt-t", "dialect": "huawei_ma5800", "hostname": "OLT-T", "username": "u",
                    "password": "p",
                    "pon_ports": [{
                        "slot": 2, "port": 0, "tx_dbm": 3.0,
                        "odn": {
                            "feeder_km": 2.0,
                            "splitters": [
                                {"name": "S1", "ratio": 4},
                                {"name": "S2a", "ratio": 16, "stage": 2, "parent": "S1", "parent_port": 1,
                                 "fibre_km": 0.8},
                                {"name": "S2b", "ratio": 16, "stage": 2, "parent": "S1", "parent_port": 2,
                                 "fibre_km": 1.3},
                            ],
                            "onus": [
                                {"sn": "48575443000000A1", "ont_id": 0, "splitter": "S2a",
                                 "splitter_port": 1},
                                {"sn": "48575443000000B1", "ont_id": 1, "splitter": "S2b",
                                 "splitter_port": 1},
                            ],
                        },
                    }],
                }
            ]
        }
    )  # fmt: skip
