"""Shared test configuration: the aiohttp pytest plugin gives every test ``aiohttp_client``,
``aiohttp_server``, ``aiohttp_raw_server`` and ``aiohttp_unused_port``."""

pytest_plugins = ["aiohttp.pytest_plugin"]
