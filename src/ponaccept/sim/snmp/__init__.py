"""SNMP v2c agent of the simulated PON lab (see README.md in this directory).

- ``view``: the immutable per-OLT snapshot the encoders consume.
- ``mib_huawei`` / ``mib_zte`` / ``mib_system``: pure encoders, view → ``{OID: value}``.
- ``mib``: the live per-OLT MIB (re-encoded only when the model's version changes).
- ``agent``: one pysnmp engine serving many OLTs, one UDP port each.
- ``adapter``: lab model → views, and ``start_agent(model)`` for ``ponaccept.sim.lab``.

Submodules are imported explicitly so that the encoders stay importable without the lab model.
"""
