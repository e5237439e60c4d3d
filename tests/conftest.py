"""Shared fixtures for the whole suite.

Fixture families live in ``tests/fixtures/`` (one module per family, registered below) so that each
layer's tests can use a database, a running simulated lab or an API client without repeating setup.
"""

pytest_plugins = ["fixtures.services", "fixtures.db", "fixtures.lab", "fixtures.netops", "fixtures.api"]
