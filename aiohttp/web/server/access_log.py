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
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

if TYPE_CHECKING:
    from ..messages.request import BaseRequest
    from ..messages.response import StreamResponse

__all__ = ["AbstractAccessLogger", "AccessLogger", "KeyMethod"]


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


def _remote(request: BaseRequest | None, response: StreamResponse, time: float) -> str:
    ip = request.remote if request is not None else None
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


def _field_text(value: Any) -> Any:
    """A header value for the line: text escaped; anything else (an ``int`` set by the
    application) as it is, formatted by the line's ``%s``."""
    return escape(value) if isinstance(value, str) else value


def _pid(request: BaseRequest, response: StreamResponse, time: float) -> str:
    return f"<{os.getpid()}>"


def _first_line(request: BaseRequest | None, response: StreamResponse, time: float) -> str:
    if request is None:  # no request was read (3.x logs "-")
        return "-"
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


_ATOMS: dict[str, _Atom] = {
    "a": _remote,
    "t": _start_time,
    "P": _pid,
    "r": _first_line,
    "s": _status,
    "b": _size,
    "T": _seconds,
    "Tf": _seconds_frac,
    "D": _micros,
}


def _request_field(name: str) -> _Atom:
    def atom(request: BaseRequest | None, response: StreamResponse, time: float) -> Any:
        if request is None:
            return "(no headers)"
        return _field_text(request.headers.get(name, "-"))

    return atom


def _response_field(name: str) -> _Atom:
    def atom(request: BaseRequest, response: StreamResponse, time: float) -> Any:
        return _field_text(response.headers.get(name, "-"))

    return atom


_FIELDS: dict[str, Callable[[str], _Atom]] = {"i": _request_field, "o": _response_field}


class KeyMethod(NamedTuple):
    """One compiled atom: its ``extra`` key and the function producing its value.

    Attributes:
        key: The ``extra`` key (``"remote_address"`` ...), or for a header atom the pair
            (``"request_header"`` or ``"response_header"``, the field name).
        method: ``method(request, response, time)`` gives the atom's value.
    """

    key: str | tuple[str, str]
    method: _Atom


class AccessLogger(AbstractAccessLogger):
    """The default access logger: formats a line per request with the atoms above.

    Args:
        logger: Where the lines go (at ``INFO``).
        log_format: An Apache-like format; :attr:`LOG_FORMAT` by default.
    """

    __slots__ = ("_atoms", "_template")

    LOG_FORMAT = '%a %t "%r" %s %b "%{Referer}i" "%{User-Agent}i"'
    #: The atoms of a format: ``%{NAME}i``/``%{NAME}o``, ``%%``, or a letter of the table.
    FORMAT_RE = re.compile(r"%(?:\{([A-Za-z0-9\-_]+)\}([io])|(Tf|[atPrsbTD%]))")
    #: The ``%`` of the literal text between atoms, doubled for ``%``-formatting.
    CLEANUP_RE = re.compile("%")
    #: Each atom's ``extra`` key (``i`` and ``o`` with the field name: see :class:`KeyMethod`).
    LOG_FORMAT_MAP: ClassVar[dict[str, str]] = {
        "a": "remote_address",
        "t": "request_start_time",
        "P": "process_id",
        "r": "first_request_line",
        "s": "response_status",
        "b": "response_size",
        "T": "request_time",
        "Tf": "request_time_frac",
        "D": "request_time_micro",
        "i": "request_header",
        "o": "response_header",
    }

    def __init__(self, logger: logging.Logger, log_format: str = LOG_FORMAT) -> None:
        super().__init__(logger, log_format)
        self._template, atoms = self.compile_format(log_format)
        self._atoms = tuple(atoms)

    def compile_format(self, log_format: str) -> tuple[str, list[KeyMethod]]:
        """Turn an Apache-like format into a ``%s`` template and its atoms.

        Args:
            log_format: The format, e.g. ``'%a "%r" %s'``.

        Returns:
            The template (literal ``%`` doubled) and a :class:`KeyMethod` per atom, in order.
        """
        template: list[str] = []
        atoms: list[KeyMethod] = []
        pos = 0
        for match in self.FORMAT_RE.finditer(log_format):
            template.append(self.CLEANUP_RE.sub("%%", log_format[pos : match.start()]))
            pos = match.end()
            field, kind, simple = match.groups()
            if simple == "%":
                template.append("%%")  # "%%" is a literal percent sign, as in Apache
                continue
            template.append("%s")
            if simple is not None:
                atoms.append(KeyMethod(self.LOG_FORMAT_MAP[simple], _ATOMS[simple]))
            else:
                key = (self.LOG_FORMAT_MAP[kind], field)
                atoms.append(KeyMethod(key, _FIELDS[kind](field)))
        template.append(self.CLEANUP_RE.sub("%%", log_format[pos:]))
        return "".join(template), atoms

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
            for key, method in self._atoms:
                value = method(request, response, time)
                values.append(value)
                if type(key) is str:
                    extra[key] = value
                else:
                    extra.setdefault(key[0], {})[key[1]] = value
            self.logger.info(self._template % tuple(values), extra=extra)
        except Exception:
            self.logger.exception("Error in logging")
