"""HTTP Basic authentication (RFC 7617): :class:`BasicAuth`, and the chain's auth step.

Where a request's credentials come from, first found wins: the ``Authorization`` header the
caller set; the request's ``auth=``; the userinfo of its URL; the session's ``auth=`` (only
on the origin the request started on: a redirect to another host does not take the session's
credentials along, where aiohttp 3.x would); with ``trust_env=True``, the ``.netrc`` entry of
the host.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import TYPE_CHECKING, NamedTuple

from yarl import URL

if TYPE_CHECKING:
    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse

__all__ = ("BasicAuth", "auth_step", "check_credentials")


def check_credentials(login: str, password: str, colon_message: str) -> None:
    """Refuse credentials no scheme can carry.

    Raises:
        ValueError: A ``None`` login or password, or a ``:`` in the login (``colon_message``).
    """
    if login is None:
        raise ValueError("None is not allowed as login value")
    if password is None:
        raise ValueError("None is not allowed as password value")
    if ":" in login:
        raise ValueError(colon_message)


class _Credentials(NamedTuple):
    login: str
    password: str
    encoding: str


class BasicAuth(_Credentials):
    """Credentials for the ``Basic`` scheme (RFC 7617).

    Args:
        login: The user-id; it may not contain ``:`` (RFC 7617 §2).
        password: The password.
        encoding: The charset used to turn ``login:password`` into bytes.

    Raises:
        ValueError: On a ``None`` login or password, or a ``:`` in the login.
    """

    __slots__ = ()

    def __new__(cls, login: str, password: str = "", encoding: str = "latin1") -> BasicAuth:
        check_credentials(login, password, 'A ":" is not allowed in login (RFC 7617 §2)')
        return super().__new__(cls, login, password, encoding)

    @classmethod
    def decode(cls, auth_header: str, encoding: str = "latin1") -> BasicAuth:
        """Parse an ``Authorization: Basic ...`` header value.

        Raises:
            ValueError: When the value is not well-formed Basic credentials.
        """
        try:
            scheme, encoded = auth_header.split(" ", 1)
        except ValueError:
            raise ValueError("Could not parse authorization header.") from None
        if scheme.lower() != "basic":
            raise ValueError(f"Unknown authorization method {scheme}")
        try:
            decoded = base64.b64decode(encoded.encode("ascii"), validate=True).decode(encoding)
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError("Invalid base64 encoding.") from None
        login, sep, password = decoded.partition(":")
        if not sep:
            raise ValueError("Invalid credentials.")
        return cls(login, password, encoding)

    @classmethod
    def from_url(cls, url: URL, *, encoding: str = "latin1") -> BasicAuth | None:
        """Take credentials from a URL's userinfo, or ``None`` when it has none.

        Raises:
            TypeError: When ``url`` is not a :class:`yarl.URL`.
        """
        if not isinstance(url, URL):
            raise TypeError("url should be yarl.URL instance")
        if url.raw_user is None and url.raw_password is None:
            return None
        return cls(url.user or "", url.password or "", encoding)

    def encode(self) -> str:
        """The ``Authorization`` header value: ``Basic`` and the base64 of ``login:password``."""
        creds = f"{self.login}:{self.password}".encode(self.encoding)
        return "Basic " + base64.b64encode(creds).decode(self.encoding)


async def auth_step(req: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
    """The chain's auth step, for each hop: the session's credentials, or ``.netrc``'s, on a
    request that carries none."""
    if "Authorization" not in req.headers:
        options = req._options
        defaults = options.defaults
        auth = defaults.auth
        if auth is not None and req.url.origin() != _origin_of(options.url, defaults.base_url):
            auth = None
        if auth is None and defaults.trust_env and req.url.host:
            from .proxy import netrc_auth  # noqa: PLC0415 - only with trust_env

            auth = await asyncio.get_running_loop().run_in_executor(None, netrc_auth, req.url.host)
        if auth is not None:
            req.headers["Authorization"] = auth.encode()
    return await handler(req)


def _origin_of(url: URL, base_url: URL | None) -> URL:
    """The origin the session's credentials belong to: its ``base_url``'s, else the URL's."""
    return (base_url or url).origin()
