"""Report building: the SQL query (``query``) and the CSV/XLSX writers (``builders``)."""
