"""The access log: atoms, compiled format, extras, a custom logger class, disabled cost."""

from __future__ import annotations

import logging
import os
import re
from typing import Any

import pytest
from multidict import CIMultiDict, CIMultiDictProxy

from aiohttp._sansio.http1.events import HttpVersion11
from aiohttp.web.messages.full_response import Response
from aiohttp.web.server.access_log import AbstractAccessLogger, AccessLogger, KeyMethod


class LogRequest:
    """The request attributes the access log reads."""

    def __init__(self, remote: str | None = "10.0.0.1", **headers: str) -> None:
        self.remote = remote
        self.version = HttpVersion11
        self.method = "GET"
        self.path_qs = "/path?q=1"
        self.headers = CIMultiDictProxy(CIMultiDict(headers))


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def capture() -> Any:
    logger = logging.getLogger("test.access")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = ListHandler()
    logger.addHandler(handler)
    yield logger, handler
    logger.removeHandler(handler)


def line(capture: Any, fmt: str, request: Any = None, response: Any = None, t: float = 0.0):
    logger, handler = capture
    access = AccessLogger(logger, fmt)
    access.log(request or LogRequest(), response or Response(status=201), t)
    record = handler.records[-1]
    return record.getMessage(), record


ATOM_CASES = [
    ("%a", "10.0.0.1"),
    ("%r", "GET /path?q=1 HTTP/1.1"),
    ("%s", "201"),
    ("%b", "0"),
    ("%T", "2"),
    ("%Tf", "1.500000"),
    ("%D", "1500000"),
    ("%P", f"<{os.getpid()}>"),
    ("%{User-Agent}i", "curl/8"),
    ("%{X-Missing}i", "-"),
    ("%{X-Out}o", "yes"),
    ("100%% %s", "100% 201"),
    ("literal % sign %s", "literal % sign 201"),
]


@pytest.mark.parametrize(("fmt", "expected"), ATOM_CASES)
def test_atoms(capture: Any, fmt: str, expected: str) -> None:
    response = Response(status=201, headers={"X-Out": "yes"})
    message, _ = line(capture, fmt, LogRequest(**{"User-Agent": "curl/8"}), response, 1.5)
    assert message == expected


def test_default_format(capture: Any) -> None:
    request = LogRequest(Referer="http://ref/", **{"User-Agent": "ua"})
    message, record = line(capture, AccessLogger.LOG_FORMAT, request)
    pattern = (
        r"10\.0\.0\.1 \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d [+-]\d{4}\] "
        r'"GET /path\?q=1 HTTP/1\.1" 201 0 "http://ref/" "ua"'
    )
    assert re.fullmatch(pattern, message), message
    assert record.first_request_line == "GET /path?q=1 HTTP/1.1"  # type: ignore[attr-defined]
    assert record.request_header == {"Referer": "http://ref/", "User-Agent": "ua"}  # type: ignore[attr-defined]
    assert record.response_status == 201  # type: ignore[attr-defined]


def test_missing_remote_is_dash(capture: Any) -> None:
    assert line(capture, "%a", LogRequest(remote=None))[0] == "-"


def test_format_is_compiled_once() -> None:
    template, atoms = AccessLogger(logging.getLogger("test")).compile_format(
        '%a "%r" %{Host}i %% 50%'
    )
    assert template == '%s "%s" %s %% 50%%'
    assert all(isinstance(atom, KeyMethod) for atom in atoms)
    assert [atom.key for atom in atoms] == [
        "remote_address",
        "first_request_line",
        ("request_header", "Host"),
    ]


def test_a_subclass_may_compile_its_own_format(capture: Any) -> None:
    class Tagged(AccessLogger):
        def compile_format(self, log_format: str) -> tuple[str, list[KeyMethod]]:
            template, atoms = super().compile_format(log_format)
            tag = KeyMethod("tag", lambda request, response, time: "T")
            return template + " %s", [*atoms, tag]

    logger, handler = capture
    Tagged(logger, "%s").log(LogRequest(), Response(), 0.5)
    assert handler.records[-1].getMessage() == "200 T"
    assert handler.records[-1].tag == "T"


def test_enabled_follows_logger_level() -> None:
    logger = logging.getLogger("test.access.level")
    logger.setLevel(logging.WARNING)
    assert not AccessLogger(logger).enabled
    logger.setLevel(logging.INFO)
    assert AccessLogger(logger).enabled


def test_a_failing_atom_is_logged_not_raised(capture: Any) -> None:
    logger, handler = capture

    class Broken:
        @property
        def remote(self) -> str:
            raise RuntimeError("no peer")

    AccessLogger(logger, "%a").log(Broken(), Response(), 0.0)  # type: ignore[arg-type]
    assert handler.records[-1].getMessage() == "Error in logging"


def test_custom_logger_class(capture: Any) -> None:
    logger, handler = capture

    class Short(AbstractAccessLogger):
        def log(self, request: Any, response: Any, time: float) -> None:
            self.logger.info("%s %s", request.method, response.status)

    access = Short(logger, "")
    assert access.enabled
    access.log(LogRequest(), Response(status=204), 0.0)
    assert handler.records[-1].getMessage() == "GET 204"


@pytest.mark.parametrize(
    ("raw", "logged"),
    [
        ("plain client/1.0", "plain client/1.0"),
        ('say "hi"', 'say \\"hi\\"'),
        ("back\\slash", "back\\\\slash"),
        ("esc\x1b[31mred", "esc\\x1b[31mred"),
        ("tab\there", "tab\\x09here"),
        ("del\x7f", "del\\x7f"),
        ("caf\u00e9", "caf\u00e9"),
    ],
)
def test_peer_text_is_escaped_like_apache(capture: Any, raw: str, logged: str) -> None:
    request = LogRequest(**{"User-Agent": raw})
    assert line(capture, '"%{User-Agent}i"', request)[0] == f'"{logged}"'


def test_request_line_is_escaped(capture: Any) -> None:
    request = LogRequest()
    request.path_qs = '/x?q="a"'
    assert line(capture, "%r", request)[0] == 'GET /x?q=\\"a\\" HTTP/1.1'


def test_a_non_text_header_value_is_logged_as_it_is(capture: Any) -> None:
    # An application may set an int; 3.x logs it (text and extra) rather than failing the line.
    class Headers:
        def __init__(self) -> None:
            self.headers = {"Content-Length": 123}

    message, record = line(capture, "%{Content-Length}o", response=Headers())
    assert message == "123"
    assert record.response_header == {"Content-Length": 123}


def test_without_a_request_the_atoms_say_so(capture: Any) -> None:
    logger, handler = capture
    AccessLogger(logger, "%a %r %{content-type}i").log(None, None, 0.0)  # type: ignore[arg-type]
    record = handler.records[-1]
    assert record.getMessage() == "- - (no headers)"
    assert record.request_header == {"content-type": "(no headers)"}
