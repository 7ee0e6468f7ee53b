"""The warnings a ClientSession gives, worded as aiohttp 3.x words them so 3.x filters match."""

from __future__ import annotations

import asyncio
import gc
import os
import re
import subprocess
import sys
import warnings
from typing import Any

import pytest

from aiohttp import ClientSession


async def test_repr_is_the_3x_object_repr() -> None:
    session = ClientSession()
    try:
        assert re.fullmatch(
            r"<aiohttp\.client\.ClientSession object at 0x[0-9a-f]+>", repr(session)
        )
    finally:
        await session.close()


async def test_unclosed_session_warning_matches_the_stock_3x_filter() -> None:
    # The filter 3.x projects carry in pytest.ini / setup.cfg:
    # ignore:Unclosed client session <aiohttp.client.ClientSession object at 0x:ResourceWarning
    session = ClientSession()
    text = repr(session)
    seen: list[dict[str, Any]] = []
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: seen.append(ctx))
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings(
            "ignore",
            "Unclosed client session <aiohttp.client.ClientSession object at 0x",
            ResourceWarning,
        )
        warnings.simplefilter("always", DeprecationWarning)
        del session
        gc.collect()
    assert caught == []
    # As in 3.x, the loop's exception handler hears of it too.
    assert len(seen) == 1
    assert seen[0].keys() == {"client_session", "message"}
    assert seen[0]["message"] == "Unclosed client session"
    assert repr(seen[0]["client_session"]) == text


async def test_unclosed_session_in_loop_debug_mode_tells_where_it_was_made() -> None:
    loop = asyncio.get_running_loop()
    seen: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda loop, ctx: seen.append(ctx))
    loop.set_debug(True)
    try:
        session = ClientSession()
        line = sys._getframe().f_lineno - 1
    finally:
        loop.set_debug(False)
    with pytest.warns(ResourceWarning, match="^Unclosed client session"):
        del session
    made_at = seen[0]["source_traceback"][-1]
    assert (made_at.filename, made_at.lineno) == (__file__, line)


async def test_unclosed_session_warning_text() -> None:
    session = ClientSession()
    text = repr(session)
    asyncio.get_running_loop().set_exception_handler(lambda loop, ctx: None)
    with pytest.warns(ResourceWarning) as caught:
        del session
    assert [str(w.message) for w in caught] == [f"Unclosed client session {text}"]


def test_close_driven_by_run_until_complete_is_silent() -> None:
    # 3.x fixtures close sessions with loop.run_until_complete(session.close()).
    loop = asyncio.new_event_loop()
    try:
        session = loop.run_until_complete(_make_session())
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            loop.run_until_complete(session.close())
        assert session.closed
    finally:
        loop.close()


async def _make_session() -> ClientSession:
    return ClientSession()


@pytest.mark.parametrize(
    ("flags", "env", "warns"),
    [((), {}, False), (("-X", "dev"), {}, True), ((), {"PYTHONASYNCIODEBUG": "1"}, True)],
)
def test_custom_attribute_warns_in_debug_mode_only(
    flags: tuple[str, ...], env: dict[str, str], warns: bool
) -> None:
    # As in 3.x: helpers.DEBUG is Python's dev mode or PYTHONASYNCIODEBUG, and in that mode
    # setting an attribute a session does not have warns.
    code = (
        "import asyncio, warnings\n"
        "from aiohttp import ClientSession, helpers\n"
        "async def main():\n"
        "    s = ClientSession()\n"
        "    with warnings.catch_warnings(record=True) as caught:\n"
        "        warnings.simplefilter('always')\n"
        "        s.custom = 1\n"
        "        s._base_url = None\n"
        "    await s.close()\n"
        "    print(helpers.DEBUG, [str(w.message) for w in caught])\n"
        "asyncio.run(main())\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONASYNCIODEBUG"}
    out = subprocess.run(
        [sys.executable, *flags, "-c", code],
        env={**environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    expected = ["Setting custom ClientSession.custom attribute is discouraged"] if warns else []
    assert out.strip() == f"{warns} {expected}"


def test_subclassing_a_session_is_discouraged_as_in_3x() -> None:
    with pytest.warns(
        DeprecationWarning, match="^Inheritance class MySession from ClientSession is discouraged$"
    ):

        class MySession(ClientSession):
            pass
