"""Shared test configuration.

The suite is written the aiohttp 3.x way: ``aiohttp.pytest_plugin`` runs every ``async def``
test and fixture on the ``loop`` fixture's loop (pytest-asyncio is installed, in strict mode,
and runs nothing here). ``pytester`` runs user projects in a subprocess.
"""

pytest_plugins = ["aiohttp.pytest_plugin", "pytester"]
