"""The access log: one line per answered request, in an Apache-like format.

The format is compiled once, when the logger is built, into a ``%``-format string and a tuple of
small functions, one per atom:

==========  ===========================================================
``%a``      the peer's address (``request.remote``)
``%t``      when the request started, ``[20/Nov/2026:23:31:03 +0000]``
``%P``      the server's process id
``%r``      the request line, ``GET /path?q=1 HTTP/1.1``
``%s``      the response status
``%b``      the response size in bytes, head included
``%T``      the time taken, in whole seconds
``%Tf``     the time taken, in seconds with a fraction (``0.000123``)
``%D``      the time taken, in microseconds
``%{X}i``   the request header field ``X`` (``-`` when absent)
``%{X}o``   the response header field ``X`` (``-`` when absent)
``%%``      a literal ``%``
==========  ===========================================================

Text that comes from the peer (``%r``, ``%{X}i``) and header values are escaped as Apache
does: control characters become ``\\xhh``, quotes and backslashes get a backslash, so a request
cannot forge a log line or reach a terminal with escape sequences.

Each atom's value is also passed to the log record as an ``extra`` (``remote_address``,
``request_start_time``, ``first_request_line``, ``request_header`` ...), so structured handlers
can use them. When the logger is not enabled for ``INFO`` the server does not call
:meth:`AccessLogger.log` at all, so a disabled access log costs nothing.
"""

from __future__ import annotations

import datetime
import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .request import BaseRequest
    from .response import StreamResponse

__all__ = ["AbstractAccessLogger", "AccessLogger"]


class AbstractAccessLogger(ABC):
    """Base for access loggers: the server calls :meth:`log` once per response.

    Args:
        logger: Where the lines go.
        log_format: The format string (its meaning is up to the subclass).
    """

    __slots__ = ("log_format", "logger")

    def __init__(self, logger: logging.Logger, log_format: str) -> None:
        self.logger = logger
        self.log_format = log_format

    @abstractmethod
    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """Record one answered request.

        Args:
            request: The request.
            response: The response sent.
            time: Seconds between the start of the request and the end of the response.
        """

    @property
    def enabled(self) -> bool:
        """Whether the server should call :meth:`log` at all (checked before every call)."""
        return True


_Atom = Callable[["BaseRequest", "StreamResponse", float], Any]

_ATOM_RE = re.compile(r"%(?:\{([A-Za-z0-9\-_]+)\}([io])|(Tf|[atPrsbTD%]))")


def _remote(request: BaseRequest, response: StreamResponse, time: float) -> str:
    ip = request.remote
    return ip if ip is not None else "-"


def _start_time(request: BaseRequest, response: StreamResponse, time: float) -> str:
    now = datetime.datetime.now(datetime.UTC).astimezone()  # local time, DST included
    return (now - datetime.timedelta(seconds=time)).strftime("[%d/%b/%Y:%H:%M:%S %z]")


# Peer-controlled text is escaped as Apache does (control bytes, quotes and backslashes become
# \xhh, \" and \\), so a request cannot forge log lines or send escape sequences to a terminal.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\]')


def _escape_char(found: re.Match[str]) -> str:
    char = found.group(0)
    return "\\" + char if char in '"\\' else f"\\x{ord(char):02x}"


def escape(value: str) -> str:
    """``value`` with control characters, ``"`` and ``\\`` escaped for a log line."""
    if _UNSAFE.search(value) is None:
        return value
    return _UNSAFE.sub(_escape_char, value)


def _pid(request: BaseRequest, response: StreamResponse, time: float) -> str:
    return f"<{os.getpid()}>"


def _first_line(request: BaseRequest, response: StreamResponse, time: float) -> str:
    version = request.version
    return escape(f"{request.method} {request.path_qs} HTTP/{version.major}.{version.minor}")


def _status(request: BaseRequest, response: StreamResponse, time: float) -> int:
    return response.status


def _size(request: BaseRequest, response: StreamResponse, time: float) -> int:
    return response.body_length


def _seconds(request: BaseRequest, response: StreamResponse, time: float) -> str:
    return str(round(time))


def _seconds_frac(request: BaseRequest, response: StreamResponse, time: float) -> str:
    return f"{time:06f}"


def _micros(request: BaseRequest, response: StreamResponse, time: float) -> str:
    return str(round(time * 1_000_000))


_SIMPLE: dict[str, tuple[str, _Atom]] = {
    "a": ("remote_address", _remote),
    "t": ("request_start_time", _start_time),
    "P": ("process_id", _pid),
    "r": ("first_request_line", _first_line),
    "s": ("response_status", _status),
    "b": ("response_size", _size),
    "T": ("request_time", _seconds),
    "Tf": ("request_time_frac", _seconds_frac),
    "D": ("request_time_micro", _micros),
}


def _request_field(name: str) -> _Atom:
    def atom(request: BaseRequest, response: StreamResponse, time: float) -> str:
        return escape(request.headers.get(name, "-"))

    return atom


def _response_field(name: str) -> _Atom:
    def atom(request: BaseRequest, response: StreamResponse, time: float) -> str:
        return escape(response.headers.get(name, "-"))

    return atom


def compile_format(log_format: str) -> tuple[str, tuple[tuple[str, str | None, _Atom], ...]]:
    """Turn an Apache-like format into a ``%s`` template and its atoms.

    Args:
        log_format: The format, e.g. ``'%a "%r" %s'``.

    Returns:
        The template (literal ``%`` doubled) and, per atom, its ``extra`` key, the header field
        name for ``%{X}i``/``%{X}o`` atoms (else ``None``) and the function producing its value.
    """
    template: list[str] = []
    atoms: list[tuple[str, str | None, _Atom]] = []
    pos = 0
    for match in _ATOM_RE.finditer(log_format):
        template.append(log_format[pos : match.start()].replace("%", "%%"))
        pos = match.end()
        field, kind, simple = match.groups()
        if simple == "%":
            template.append("%%")  # "%%" is a literal percent sign, as in Apache
            continue
        template.append("%s")
        if simple is not None:
            key, func = _SIMPLE[simple]
            atoms.append((key, None, func))
        elif kind == "i":
            atoms.append(("request_header", field, _request_field(field)))
        else:
            atoms.append(("response_header", field, _response_field(field)))
    template.append(log_format[pos:].replace("%", "%%"))
    return "".join(template), tuple(atoms)


class AccessLogger(AbstractAccessLogger):
    """The default access logger: formats a line per request with the atoms above.

    Args:
        logger: Where the lines go (at ``INFO``).
        log_format: An Apache-like format; :attr:`LOG_FORMAT` by default.
    """

    __slots__ = ("_atoms", "_template")

    LOG_FORMAT = '%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"'

    def __init__(self, logger: logging.Logger, log_format: str = LOG_FORMAT) -> None:
        super().__init__(logger, log_format)
        self._template, self._atoms = compile_format(log_format)

    @property
    def enabled(self) -> bool:
        """Whether the logger would emit an ``INFO`` record."""
        return self.logger.isEnabledFor(logging.INFO)

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        """Format and emit the line for one request; a failure is logged, never raised.

        Args:
            request: The request.
            response: The response sent.
            time: Seconds taken.
        """
        try:
            values = []
            extra: dict[str, Any] = {}
            for key, field, func in self._atoms:
                value = func(request, response, time)
                values.append(value)
                if field is None:
                    extra[key] = value
                else:
                    extra.setdefault(key, {})[field] = value
            self.logger.info(self._template % tuple(values), extra=extra)
        except Exception:
            self.logger.exception("Error in logging")
