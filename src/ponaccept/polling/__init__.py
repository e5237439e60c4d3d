"""ponaccept.polling — SNMP optical reads, many OLTs concurrently (DESIGN.md §3, §6).

- ``oids``: vendor OID maps, scalings, "no reading" sentinels, PON ifIndex encode/decode (pure).
- ``decode``: raw integers of one ONU → ``ponaccept.domain.optics.OpticalReadings`` (pure).
- ``client``: ``SnmpTarget``, ``SnmpClient`` and ``read_onu`` / ``read_port`` / ``read_olt`` (pysnmp asyncio;
  raise ``SnmpTimeout`` / ``SnmpError`` naming the OLT).
- ``poller``: ``Poller`` / ``poll_many`` (never raise for SNMP trouble; per-OLT circuit breaker) and
  ``Poller.poll_onu`` (a silent OLT gives ``Missing(timeout)`` readings naming it).

Submodules are imported explicitly so that the pure ones do not pull in pysnmp.
"""
