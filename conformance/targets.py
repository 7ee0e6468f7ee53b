"""What a runner talks to: a server under test, or a driver that makes a client under test fetch.

A server target is just an address. A client target is a :class:`ClientDriver`: the harness asks
it to make one or more requests to a loopback URL and reads back what the client reported. Two
drivers ship here: :class:`CommandClient` runs any command template (curl, a script using
``urllib``), and the aiohttp adapter (``conformance.adapters.aiohttp_adapter``) drives this
library's ``ClientSession`` in-process.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import re
import shlex
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Protocol
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class ServerTarget:
    """A server under test, reached over TCP.

    Attributes:
        host: address to connect to.
        port: TCP port.
        name: label for reports.
        tls_port: the port of the same server over TLS, if it has one (cases with ``"tls"``).
    """

    host: str
    port: int
    name: str
    tls_port: int | None = None

    @property
    def authority(self) -> str:
        """``host:port`` as a client would put it in ``Host``."""
        return f"{self.host}:{self.port}"

    @classmethod
    def from_url(cls, url: str, tls_url: str | None = None) -> ServerTarget:
        """A target from an ``http://host:port/`` URL (the path is ignored), and optionally the
        ``https://host:port/`` of the same server over TLS.

        Raises:
            ValueError: for another scheme or a URL without a host.
        """
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"--url needs http://host[:port]/, not {url!r}")
        tls_port = None
        if tls_url is not None:
            secure = urlsplit(tls_url)
            if secure.scheme != "https" or secure.hostname != parts.hostname:
                raise ValueError(f"--tls-url needs https://{parts.hostname}[:port]/")
            tls_port = secure.port or 443
        return cls(parts.hostname, parts.port or 80, url, tls_port)


@dataclass(frozen=True, slots=True)
class FetchRequest:
    """One request the client under test is asked to make.

    Attributes:
        method: request method.
        url: absolute URL on the harness's loopback server.
        headers: extra header fields to send.
        body: content to send, or ``None`` for none.
        timeout: seconds the client should allow in total before giving up.
        pause: seconds the client waits before making this request (after the previous
            request's outcome), keeping its idle connections meanwhile.
    """

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None
    timeout: float = 2.0
    pause: float = 0.0


@dataclass(slots=True)
class Observation:
    """What a client under test reported for one request.

    Attributes:
        kind: ``"response"`` (it reported a response), ``"error"`` (it raised or exited non-zero)
            or ``"hang"`` (it did neither in time).
        status: the status code it reported, when it reports one.
        body: the body it reported.
        error: the exception or error output.
        elapsed: seconds from the start of the request.
    """

    kind: str
    status: int | None = None
    body: bytes | None = None
    error: str = ""
    elapsed: float = 0.0
    details: dict[str, str] = field(default_factory=dict)


class ClientDriver(Protocol):
    """Makes a client under test fetch URLs.

    A driver may also set ``keeps_connections = False`` when its client cannot keep a
    connection across the requests of one case (a command run once per request): cases about
    connection reuse are then not applicable.
    """

    name: str

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        """Make ``requests`` in order (in one client session where the client has sessions).

        Each request is made ``request.pause`` seconds after the previous one's outcome.
        """
        ...


_STATUS = re.compile(rb"^status: ([0-9]{3})\s*$", re.MULTILINE)

#: Command templates shipped with the harness, by short name.
TEMPLATES: dict[str, str] = {
    "curl": (
        "curl --silent --show-error --max-time {timeout} --no-keepalive "
        "--write-out '%{stderr}status: %{http_code}\\n' {url}"
    ),
    "urllib": f"{shlex.quote(sys.executable)} -m conformance.clients.urllib_client {{url}}",
    "http.client": (
        f"{shlex.quote(sys.executable)} -m conformance.clients.httpclient_client {{url}}"
    ),
}


class CommandClient:
    """A client under test run as a command, one process per request.

    The template gets ``{url}`` and ``{timeout}`` replaced (nothing else, so ``%{...}`` in curl's
    ``--write-out`` is safe). The method, extra headers and body are passed in the environment as
    ``CONFORMANCE_METHOD``, ``CONFORMANCE_HEADERS`` (a JSON list of pairs) and
    ``CONFORMANCE_BODY`` (base64); a command that ignores them sends a plain GET, and the
    harness notices and marks method-specific cases INFORMATIONAL. Exit status 0 means the client
    reported a response: its stdout is the body and a ``status: NNN`` line on stderr, if any, is
    the status. Any other exit status is an error.
    """

    #: One process per request: a connection is never reused across requests.
    keeps_connections = False

    def __init__(self, template: str) -> None:
        self.template = TEMPLATES.get(template, template)
        self.name = template if template in TEMPLATES else "command"
        if "{url}" not in self.template:
            raise ValueError("the client command template must contain {url}")

    async def fetch_all(self, requests: list[FetchRequest]) -> list[Observation]:
        """Run the command once per request, each after its pause."""
        observed = []
        for request in requests:
            if request.pause:
                await asyncio.sleep(request.pause)
            observed.append(await self._fetch(request))
        return observed

    async def _fetch(self, request: FetchRequest) -> Observation:
        command = self.template.replace("{url}", shlex.quote(request.url)).replace(
            "{timeout}", f"{request.timeout:g}"
        )
        env = dict(os.environ)
        env["CONFORMANCE_METHOD"] = request.method
        env["CONFORMANCE_HEADERS"] = json.dumps([list(pair) for pair in request.headers])
        env["CONFORMANCE_TIMEOUT"] = f"{request.timeout:g}"
        if request.body is not None:
            env["CONFORMANCE_BODY"] = base64.b64encode(request.body).decode("ascii")
        started = time.monotonic()
        proc = await asyncio.create_subprocess_shell(
            command,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        try:
            out, err = await proc.communicate()
        except asyncio.CancelledError:
            _kill_group(proc)
            await proc.wait()
            raise
        elapsed = time.monotonic() - started
        details = {"exit": str(proc.returncode), "stderr": err.decode("latin-1")[-2000:]}
        if proc.returncode != 0:
            lines = [
                line
                for line in err.decode("latin-1").strip().splitlines()
                if not _STATUS.match(line.encode("latin-1"))
            ]
            message = lines[-1] if lines else f"exit status {proc.returncode}"
            return Observation("error", error=message, elapsed=elapsed, details=details)
        found = _STATUS.findall(err)
        status = int(found[-1]) if found else None
        return Observation("response", status=status, body=out, elapsed=elapsed, details=details)


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
