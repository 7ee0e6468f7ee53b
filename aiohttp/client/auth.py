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
import warnings
from typing import TYPE_CHECKING, NamedTuple

from yarl import URL

if TYPE_CHECKING:
    from multidict import CIMultiDict

    from .middlewares import ClientHandlerType
    from .request import ClientRequest
    from .response import ClientResponse
    from .settings import SessionDefaults

__all__ = (
    "BasicAuth",
    "auth_step",
    "basic_auth",
    "check_credentials",
    "encode_basic_auth",
    "first_hop_auth",
    "split_userinfo",
    "warn_auth_arguments",
)


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


def encode_basic_auth(login: str, password: str = "", encoding: str = "utf-8") -> str:
    """The ``Authorization`` (or ``Proxy-Authorization``) value for Basic credentials:
    ``Basic`` and the base64 of ``login:password`` (RFC 7617 §2).

    The modern spelling of :class:`BasicAuth`:
    ``headers={"Authorization": aiohttp.encode_basic_auth("user", "pass")}``.

    Raises:
        ValueError: A ``:`` in the login, which the scheme cannot carry.
    """
    if ":" in login:
        raise ValueError('A ":" is not allowed in login (RFC 7617 §2)')
    creds = f"{login}:{password}".encode(encoding)
    return "Basic " + base64.b64encode(creds).decode(encoding)


AUTH_DEPRECATED = (
    "The 'auth' parameter is deprecated and will be removed in v4; pass "
    "headers={'Authorization': aiohttp.encode_basic_auth(login, password)} instead"
)
PROXY_AUTH_DEPRECATED = (
    "The 'proxy_auth' parameter is deprecated and will be removed in v4; pass "
    "proxy_headers={'Proxy-Authorization': aiohttp.encode_basic_auth(login, password)} instead"
)


def warn_auth_arguments(auth: object, proxy_auth: object, stacklevel: int) -> None:
    """aiohttp 3.14's warnings for the ``auth=`` and ``proxy_auth=`` arguments, when given."""
    if auth is not None:
        warnings.warn(AUTH_DEPRECATED, DeprecationWarning, stacklevel=stacklevel + 1)
    if proxy_auth is not None:
        warnings.warn(PROXY_AUTH_DEPRECATED, DeprecationWarning, stacklevel=stacklevel + 1)


class _Credentials(NamedTuple):
    login: str
    password: str
    encoding: str


class BasicAuth(_Credentials):
    """Credentials for the ``Basic`` scheme (RFC 7617).

    Deprecated since aiohttp 3.14 (constructing one warns): send
    ``headers={"Authorization": aiohttp.encode_basic_auth(login, password)}`` instead.

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
        warnings.warn(
            "BasicAuth is deprecated and will be removed in aiohttp 4.0; use "
            "aiohttp.encode_basic_auth() with headers={'Authorization': ...} instead",
            DeprecationWarning,
            stacklevel=2,
        )
        return tuple.__new__(cls, (login, password, encoding))

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
        return basic_auth(login, password, encoding, cls)

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
        return basic_auth(url.user or "", url.password or "", encoding, cls)

    def encode(self) -> str:
        """The ``Authorization`` header value: ``Basic`` and the base64 of ``login:password``."""
        return encode_basic_auth(self.login, self.password, self.encoding)


def basic_auth(
    login: str, password: str = "", encoding: str = "latin1", cls: type[BasicAuth] = BasicAuth
) -> BasicAuth:
    """A :class:`BasicAuth` made by the library itself (from a URL, ``.netrc``, a header),
    which the deprecation of the class does not concern.

    Raises:
        ValueError: On a ``None`` login or password, or a ``:`` in the login.
    """
    check_credentials(login, password, 'A ":" is not allowed in login (RFC 7617 §2)')
    return tuple.__new__(cls, (login, password, encoding))


def split_userinfo(url: URL) -> tuple[URL, BasicAuth | None]:
    """``url`` without its userinfo, and the Basic credentials that userinfo carried: a
    request's URL, its response's and its errors' never show the password (as in 3.x)."""
    if url.raw_user is None and url.raw_password is None:
        return url, None
    return url.with_user(None), basic_auth(url.user or "", url.password or "")


def first_hop_auth(
    auth: BasicAuth | None,
    url_auth: BasicAuth | None,
    headers: CIMultiDict[str],
    defaults: SessionDefaults,
    url: URL,
) -> BasicAuth | None:
    """The credentials of a request's first hop: ``auth=``, else the URL's userinfo.

    Raises:
        ValueError: As in 3.x, ``auth=`` together with userinfo, or an ``Authorization`` field
            together with either of them or with the session's ``auth`` for this origin.
    """
    if url_auth is not None:
        if auth is not None:
            raise ValueError("Cannot combine AUTH argument with credentials encoded in URL")
        auth = url_auth
    if "Authorization" in headers:
        base_url = defaults.base_url
        session_auth = defaults.auth is not None and (
            base_url is None or base_url.origin() == url.origin()
        )
        if auth is not None or session_auth:
            raise ValueError(
                "Cannot combine AUTHORIZATION header with AUTH argument or "
                "credentials encoded in URL"
            )
    return auth


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
