"""How a ``.. snippet: fragment CONTEXT`` block becomes a program, one function per context.

Each function takes the fragment's code (for the contexts in :data:`CUMULATIVE`, every fragment
of that context on the page, in order) and a working directory, and runs the completed program
on loopback, failing on any error. What each context supplies is written out below, so a reader
of the docs can see what a fragment leaves out.
"""

from __future__ import annotations

import shlex
import shutil
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from .runners import ECHO_SERVER, free_port, get, on_port, python, run, serving
from .snippets import ROOT

Context = Callable[[str, Path], None]

#: Contexts whose fragments build one program together, page by page (a page's routes, then its
#: named routes that refer to them ...).
CUMULATIVE = {"app"}


def _indent(code: str, spaces: int) -> str:
    return textwrap.indent(code, " " * spaces)


def _script(work: Path, source: str, *args: str) -> str:
    (work / "snippet.py").write_text(source, encoding="utf-8")
    return run(python("snippet.py", *args), work)


def _with_echo_server(work: Path, source: str) -> str:
    (work / "echo_server.py").write_text(ECHO_SERVER, encoding="utf-8")
    port = free_port()
    with serving(python("echo_server.py", str(port)), work, port):
        return _script(work, source, f"http://127.0.0.1:{port}/")


def session(code: str, work: Path) -> None:
    """Inside ``async def main()``: ``session`` (a ``ClientSession``), ``url`` (the echo
    server's ``/``) and ``path`` (a file to write)."""
    _with_echo_server(
        work,
        "import asyncio\nimport sys\n\nimport aiohttp\n\n\n"
        "async def main(url, path):\n"
        "    async with aiohttp.ClientSession() as session:\n"
        f"{_indent(code, 8)}\n\n"
        'asyncio.run(main(sys.argv[1], "download.bin"))\n',
    )


APP_PRELUDE = """\
import asyncio
import os
import time

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer


async def stub(request):
    return web.Response(text="stub")


list_users = create_user = show_user = show_post = any_method = login = stub
websocket_handler = stub


class Database:
    async def close(self):
        pass


async def connect():
    return Database()


def flask_app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"a WSGI application"]


os.makedirs("files", exist_ok=True)
app = web.Application()
"""

APP_POSTLUDE = """

async def serve():
    async with TestClient(TestServer(app)) as client:
        for method in ("GET", "POST"):
            response = await client.request(method, "/", data=b"a small body")
            assert response.status < 500, (method, response.status)
            await response.read()


asyncio.run(serve())
"""


def app(code: str, work: Path) -> None:
    """After :data:`APP_PRELUDE` (``app``, handlers the fragments name, ``Database``,
    ``connect``, ``flask_app``, a ``files/`` directory); then the final ``app`` is served and
    asked for ``/`` with GET and with POST (a small body): neither may fail (status below 500)."""
    _script(work, APP_PRELUDE + "\n" + code + APP_POSTLUDE)


HANDLER = """\
import asyncio

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer


async def events():
    for event in ("one", "two"):
        yield event


async def handler(request):
{body}


async def serve():
    app = web.Application()
    app.router.add_get("/", handler)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/", allow_redirects=False)
        assert response.status < 500, response.status
        await response.read()


asyncio.run(serve())
"""


def handler(code: str, work: Path) -> None:
    """The body of ``async def handler(request)`` (with an ``events()`` async generator),
    routed at ``/`` and asked for it: the answer must not be a server error."""
    _script(work, HANDLER.format(body=_indent(code, 4)))


def runner(code: str, work: Path) -> None:
    """Inside ``async def main()``, with ``app`` serving ``/``; ``8080`` becomes a free port."""
    _script(
        work,
        "import asyncio\n\nfrom aiohttp import web\n\n\n"
        "async def hello(request):\n    return web.Response(text='Hello')\n\n\n"
        "async def main():\n    app = web.Application()\n"
        "    app.router.add_get('/', hello)\n"
        f"{_indent(on_port(code, free_port()), 4)}\n\n\nasyncio.run(main())\n",
    )


def serve(code: str, work: Path) -> None:
    """A program: ``app`` serving ``/``, then the fragment, which serves it until stopped."""
    port = free_port()
    (work / "serve.py").write_text(
        "from aiohttp import web\n\n\nasync def hello(request):\n"
        "    return web.Response(text='Hello')\n\n\napp = web.Application()\n"
        f"app.router.add_get('/', hello)\n{on_port(code, port)}",
        encoding="utf-8",
    )
    with serving(python("serve.py"), work, port):
        assert get(port) == (200, b"Hello")


CLI_APP = """\
from aiohttp import web


def init(argv):
    async def show_argv(request):
        return web.Response(text=repr(argv))

    app = web.Application()
    app.router.add_get("/", show_argv)
    return app
"""


def _command(code: str, port: int) -> list[str]:
    line = on_port(code, port).replace("\\\n", " ").strip().removeprefix("$ ")
    argv = shlex.split(line)
    if argv[0] == "python":
        return python(*argv[1:])
    return [sys.executable, "-W", "error", "-m", *argv]


def cli(code: str, work: Path) -> None:
    """The command, with ``mypackage/app.py`` defining an ``init(argv)`` whose application
    answers ``/`` with the ``argv`` it was given."""
    (work / "mypackage").mkdir()
    (work / "mypackage" / "__init__.py").write_text("", encoding="utf-8")
    (work / "mypackage" / "app.py").write_text(CLI_APP, encoding="utf-8")
    port = free_port()
    with serving(_command(code, port), work, port):
        assert get(port) == (200, b"['--extra-option']")


def gunicorn(code: str, work: Path) -> None:
    """The command, next to a copy of ``examples/deploy/app.py``; ``/`` must answer."""
    shutil.copy(ROOT / "examples" / "deploy" / "app.py", work / "app.py")
    port = free_port()
    with serving(_command(code, port), work, port):
        status, body = get(port)
        assert (status, body) == (200, b"hello 127.0.0.1 over http\n")


WEBSOCKET = """\
import asyncio
import sys

import aiohttp


async def produce_lines():
    for line in ("one\\n", "two\\n"):
        yield line


chunks_of_bytes = [b"ab", b"cd"]


async def main(url):
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url + "ws") as ws:
{body}
            assert (await ws.receive_str()) == "one\\ntwo\\n"
            assert (await ws.receive_bytes()) == b"abcd"


asyncio.run(main(sys.argv[1]))
"""


def websocket(code: str, work: Path) -> None:
    """Inside ``async def main()``: ``ws``, a client WebSocket to the echo server,
    ``produce_lines()`` (an async generator of two lines) and ``chunks_of_bytes``; the echoed
    messages must come back whole."""
    _with_echo_server(work, WEBSOCKET.format(body=_indent(code, 12)))


SOCKET = """\
import socket

peer, sock = socket.socketpair()
key = bytes([1, 2, 3, 4])
peer.sendall(bytes([0x81, 0x82]) + key + bytes(b ^ key[i % 4] for i, b in enumerate(b"hi")))

{code}
assert peer.recv(100) == bytes([0x81, 5]) + b"hello"
"""


def socket_pair(code: str, work: Path) -> None:
    """``sock``: one end of a socket pair whose other end sent a masked text frame; what the
    fragment sends must arrive there as an unmasked text frame."""
    _script(work, SOCKET.format(code=code))


PARSER = """\
from aiohttp._sansio.http1 import RequestParser, serialize_response_head

parser = RequestParser()
data = b"POST / HTTP/1.1\\r\\nHost: example.com\\r\\nContent-Length: abc\\r\\n\\r\\n"

{code}
assert reply.startswith(b"HTTP/1.1 400 "), reply
"""


def parser(code: str, work: Path) -> None:
    """``parser`` (a ``RequestParser``) and ``data``, a request with an invalid
    Content-Length: the fragment must build a 400 ``reply``."""
    _script(work, PARSER.format(code=code))


CONTEXTS: dict[str, Context] = {
    "session": session,
    "app": app,
    "handler": handler,
    "runner": runner,
    "serve": serve,
    "cli": cli,
    "gunicorn": gunicorn,
    "websocket": websocket,
    "socket": socket_pair,
    "parser": parser,
}
