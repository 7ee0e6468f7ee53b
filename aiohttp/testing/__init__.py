"""The test kit: what :mod:`aiohttp.test_utils` and :mod:`aiohttp.pytest_plugin` are built on.

Nothing here is part of serving or making requests; only tests use it.

- :mod:`aiohttp.testing.faults`: :class:`~aiohttp.testing.faults.FaultServer`, a loopback
  HTTP/1.1 server that misbehaves on cue (resets, stalls, truncated heads and bodies, garbage),
  for testing clients;
- :mod:`aiohttp.testing.fakes`: the in-memory transport, protocol and match info behind
  :func:`aiohttp.test_utils.make_mocked_request`.

The public names stay where aiohttp 3.x users import them: ``aiohttp.test_utils.FaultServer``,
``aiohttp.test_utils.make_mocked_request`` and the fixtures of :mod:`aiohttp.pytest_plugin`.
"""
