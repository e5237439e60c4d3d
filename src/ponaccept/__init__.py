"""ponaccept: acceptance testing (挂测) of FTTH/GPON construction, and install/repair work orders."""

__version__ = "0.1.0"
