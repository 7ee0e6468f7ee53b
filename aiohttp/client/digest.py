"""HTTP Digest authentication (RFC 7616) as a client middleware: :class:`DigestAuthMiddleware`.

``ClientSession(middlewares=(DigestAuthMiddleware("user", "password"),))`` answers a server's
``WWW-Authenticate: Digest`` challenge by sending the request again with an ``Authorization:
Digest`` computed from it (RFC 7616 §3.4):

========================= ====================================================================
what                      how
========================= ====================================================================
algorithms                MD5, SHA-256 and SHA-512-256 (RFC 7616 §3.2) and their ``-sess``
                          variants (§3.4.2: HA1 hashes the server's and the client's nonce
                          too); SHA, SHA256, SHA512 and SHA-512 (and ``-sess``), which 3.x
                          also takes
qop                       ``auth`` when offered (RFC 7616 §3.9.1's choice; aiohttp 3.x prefers
                          ``auth-int``), else ``auth-int``, which hashes the body and so needs
                          it in memory; without ``qop`` the RFC 2069 form
nonce count               ``nc`` counts the requests sent with one nonce, from 00000001
``stale=true``            the nonce expired, not the credentials (§3.3): one more attempt
                          with the new nonce, on top of the one retry after a challenge
preemptive                once challenged, later requests in the protection space carry an
                          ``Authorization`` computed from the last challenge, as in 3.x
``userhash=true``         the username is sent hashed (§3.4.4); a name that is not ASCII goes
                          as ``username*`` (RFC 8187 encoding)
origins                   the credentials belong to the origin of the first request; another
                          one gets them only inside a ``domain`` the challenge declared (§3.3),
                          as in 3.x
========================= ====================================================================

Errors in the challenge (an unknown algorithm, only unknown ``qop`` values, no ``realm`` or
``nonce``, an empty ``nonce``) are a :class:`~aiohttp.ClientError` naming what is wrong. Every
value sent back as a quoted-string has its ``"`` and ``\\`` escaped (RFC 9110 §5.6.4).

This module is also the aiohttp 3.x module ``aiohttp.client_middleware_digest_auth``.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any, Final, TypedDict
from urllib.parse import quote

from yarl import URL

from .._io.payload import AsyncIterablePayload
from .auth import check_credentials
from .body import Body
from .exceptions import ClientError
from .middlewares import ClientHandlerType
from .request import ClientRequest
from .response import ClientResponse

__all__ = (
    "CHALLENGE_FIELDS",
    "QUOTED_AUTH_FIELDS",
    "SUPPORTED_ALGORITHMS",
    "DigestAuthChallenge",
    "DigestAuthMiddleware",
    "DigestFunctions",
    "escape_quotes",
    "parse_header_pairs",
    "unescape_quotes",
)


class DigestAuthChallenge(TypedDict, total=False):
    """The parameters of a ``WWW-Authenticate: Digest`` challenge this middleware reads."""

    realm: str
    nonce: str
    qop: str
    algorithm: str
    opaque: str
    domain: str
    stale: str
    userhash: str


def _sha512_256(data: bytes = b"") -> Any:
    return hashlib.new("sha512_256", data)


DigestFunctions: dict[str, Callable[..., Any]] = {
    "MD5": hashlib.md5,
    "SHA": hashlib.sha1,
    "SHA256": hashlib.sha256,
    "SHA-256": hashlib.sha256,
    "SHA-512-256": _sha512_256,
    "SHA512": hashlib.sha512,
    "SHA-512": hashlib.sha512,
}
"""The hash of each algorithm name (upper case); a ``-SESS`` suffix uses the same hash."""

SUPPORTED_ALGORITHMS: Final = tuple(
    sorted({*DigestFunctions, *(f"{name}-SESS" for name in DigestFunctions)})
)
CHALLENGE_FIELDS: Final = ("realm", "nonce", "qop", "algorithm", "opaque", "domain", "stale")
QUOTED_AUTH_FIELDS: Final = frozenset(
    {"username", "realm", "nonce", "uri", "response", "opaque", "cnonce"}
)
"""The ``Authorization`` parameters sent as quoted strings; ``algorithm``, ``qop`` and ``nc``
never are (RFC 7616 §3.4)."""

# auth-param = token BWS "=" BWS ( token / quoted-string )  (RFC 9110 §11.2). The "=" and its
# value are optional, so a token without them (the auth-scheme) matches alone: a run of token
# characters is then matched once, never again for each shorter prefix; and the search skips
# whitespace itself, so no leading \s* rescans a run of it from every start (either would be
# quadratic on a hostile header). Groups: the name, the quoted value's content, the token.
_PAIR = re.compile(
    r'([!#$%&\'*+.^_`|~0-9A-Za-z-]+)(?:\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*)))?\s*,?',
    re.ASCII,
)


_QUOTED_PAIR = re.compile(r"\\(.)", re.DOTALL)
# What an RFC 3986 URI-reference may contain (unreserved, reserved and "%").
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+", re.ASCII)


def escape_quotes(value: str) -> str:
    """``value`` made the content of a quoted-string: ``\\`` and ``"`` escaped (RFC 9110
    §5.6.4)."""
    return value.replace("\\", "\\\\").replace('"', '\\"')


def unescape_quotes(value: str) -> str:
    """The content of a quoted-string with each quoted-pair taken back to its character."""
    return _QUOTED_PAIR.sub(r"\1", value)


def parse_header_pairs(header: str) -> dict[str, str]:
    """The ``name=value`` parameters of the first challenge in an authentication header.

    Names are lower-cased; a quoted-string loses its quotes and the backslash of each
    quoted-pair (RFC 9110 §5.6.4). A bare token followed by a parameter rather than a comma is
    the scheme of another challenge (RFC 9110 §11.6.1: ``Digest ..., Basic realm="x"``), which
    ends this one.
    """
    pairs: dict[str, str] = {}
    for match in _PAIR.finditer(header):
        name, quoted, token = match.groups()
        if quoted is not None:
            pairs[name.lower()] = unescape_quotes(quoted)
        elif token is not None:
            pairs[name.lower()] = token
        elif pairs and not match.group(0).endswith(","):
            break  # "Basic realm=...": a scheme, the next challenge (a stray "x," is skipped)
    return pairs


class DigestAuthMiddleware:
    """Answer HTTP Digest challenges (RFC 7616) with ``login`` and ``password``.

    Args:
        login: The user name (a ``:`` is not allowed, RFC 7616 §3.4).
        password: The password.
        preemptive: Once challenged, send credentials with later requests in the protection
            space without waiting for another challenge.

    Raises:
        ValueError: A ``None`` login or password, or a ``:`` in the login.
    """

    def __init__(self, login: str, password: str, preemptive: bool = True) -> None:
        check_credentials(login, password, 'A ":" is not allowed in username (RFC 7616 §3.4)')
        self._login = login
        self._password = password
        self._preemptive = preemptive
        self._challenge: dict[str, str] = {}
        self._last_nonce_bytes = b""
        self._nonce_count = 0
        self._protection_space: list[str] = []
        self._origin: URL | None = None

    async def __call__(self, request: ClientRequest, handler: ClientHandlerType) -> ClientResponse:
        """Send ``request``, answering a Digest challenge (and one ``stale`` nonce)."""
        origin = request.url.origin()
        if self._origin is None:
            self._origin = origin
        elif origin != self._origin and not self._in_protection_space(request.url):
            return await handler(request)  # another origin: these credentials are not its
        if self._preemptive and self._challenge and self._in_protection_space(request.url):
            request.headers["Authorization"] = await self._authorization(request)
        response = await handler(request)
        retried = stale_retried = False
        while self._authenticate(response):
            if retried:
                # Refused again: the answer, unless only the nonce had expired (once).
                if stale_retried or self._challenge.get("stale", "").lower() != "true":
                    break
                stale_retried = True
            retried = True
            response.release()
            request.headers["Authorization"] = await self._authorization(request)
            response = await handler(request)
        return response

    # -- the challenge ---------------------------------------------------------------------

    def _authenticate(self, response: ClientResponse) -> bool:
        """Keep the Digest challenge of a 401; ``False`` for another answer or no challenge."""
        if response.status != 401:
            return False
        header = response.headers.get("www-authenticate", "")
        scheme, _, params = header.strip().partition(" ")
        if scheme.lower() != "digest" or not params:
            return False
        pairs = parse_header_pairs(params)
        if not pairs:
            return False
        self._challenge = pairs
        origin = response.url.origin()
        space = []
        for uri in pairs.get("domain", "").split():
            if _URI_CHARS.fullmatch(uri):  # RFC 7616 §3.3: URIs; anything else is skipped
                space.append(str(origin.join(URL(uri)) if uri.startswith("/") else URL(uri)))
        self._protection_space = space or [str(origin)]
        return True

    def _in_protection_space(self, url: URL) -> bool:
        """Whether ``url`` starts with one of the challenge's protection-space URIs at a path
        boundary (RFC 7616 §3.3, ``domain``)."""
        target = str(url)
        for prefix in self._protection_space:
            if target.startswith(prefix) and (
                len(target) == len(prefix) or prefix.endswith("/") or target[len(prefix)] == "/"
            ):
                return True
        return False

    # -- the answer ------------------------------------------------------------------------

    async def _authorization(self, request: ClientRequest) -> str:
        return await self._encode(request.method, request.url, request.body)

    async def _encode(self, method: str, url: URL, body: Any) -> str:
        """The ``Authorization: Digest`` value for a request under the kept challenge.

        ``body`` is the request's body (``b""`` for none); only ``qop=auth-int`` reads it.

        Raises:
            ClientError: The challenge names an algorithm or ``qop`` values not supported, or
                asks ``auth-int`` of a streamed body.
        """
        challenge = self._challenge
        algorithm = challenge.get("algorithm", "MD5")
        hash_name = algorithm.upper().removesuffix("-SESS")
        if hash_name not in DigestFunctions:
            raise ClientError(
                f"Digest auth error: Unsupported hash algorithm: {algorithm}. "
                f"Supported algorithms: {', '.join(SUPPORTED_ALGORITHMS)}"
            )
        for name in ("realm", "nonce"):
            if name not in challenge:
                raise ClientError(f"Malformed Digest auth challenge: Missing '{name}' parameter")
        if not challenge["nonce"]:
            raise ClientError("Security issue: Digest auth challenge contains empty 'nonce' value")
        qop = _qop(challenge.get("qop", ""))
        nonce = challenge["nonce"].encode()
        same = nonce == self._last_nonce_bytes
        self._nonce_count = self._nonce_count + 1 if same else 1
        self._last_nonce_bytes = nonce
        return digest_authorization(
            DigestFunctions[hash_name],
            login=self._login,
            password=self._password,
            challenge=challenge,
            method=method,
            uri=url.raw_path_qs,
            body=await _body_bytes(body) if qop == "auth-int" else b"",
            qop=qop,
            nonce_count=self._nonce_count,
            cnonce=self._new_cnonce(),
        )

    @staticmethod
    def _new_cnonce() -> str:
        """A fresh client nonce (RFC 7616 §3.4: unpredictable to the server): 128 bits, drawn
        through ``hashlib.sha1`` as in 3.x, so a test that patches it gets a fixed one."""
        return hashlib.sha1(secrets.token_bytes(32)).hexdigest()[:32]


def _qop(offered: str) -> str:
    values = {value.strip().lower() for value in offered.split(",") if value.strip()}
    if not values:
        return ""
    if "auth" in values:
        return "auth"
    if "auth-int" in values:
        return "auth-int"
    raise ClientError(f"Digest auth error: Unsupported Quality of Protection (qop): {offered}")


async def _body_bytes(body: Any) -> bytes:
    """The body ``qop=auth-int`` hashes; a streamed one can't be read ahead and sent after."""
    payload = body.payload if isinstance(body, Body) else body
    if isinstance(payload, AsyncIterablePayload):
        raise ClientError("Digest auth error: qop=auth-int needs the body in memory")
    return await body.as_bytes() if body else b""


def digest_authorization(
    new_hash: Callable[..., Any],
    *,
    login: str,
    password: str,
    challenge: dict[str, str],
    method: str,
    uri: str,
    body: bytes,
    qop: str,
    nonce_count: int,
    cnonce: str,
) -> str:
    """The ``Authorization`` value for one request (RFC 7616 §3.4.1-§3.4.4).

    Fields are written in the order of RFC 7616 §3.9.1's example.
    """

    def h(data: str | bytes) -> str:
        return str(new_hash(data.encode() if isinstance(data, str) else data).hexdigest())

    algorithm = challenge.get("algorithm", "MD5")
    realm, nonce = challenge.get("realm", ""), challenge["nonce"]
    ha1 = h(f"{login}:{realm}:{password}")
    if algorithm.upper().endswith("-SESS"):
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}:{h(body)}" if qop == "auth-int" else f"{method}:{uri}")
    nc = f"{nonce_count:08x}"
    response = h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}" if qop else f"{ha1}:{nonce}:{ha2}")
    fields = [_username(h, login, realm, challenge), f'realm="{escape_quotes(realm)}"']
    fields += [
        f'uri="{escape_quotes(uri)}"',
        f"algorithm={algorithm}",
        f'nonce="{escape_quotes(nonce)}"',
    ]
    if qop:
        fields += [f"nc={nc}", f'cnonce="{cnonce}"', f"qop={qop}"]
    fields.append(f'response="{response}"')
    if "opaque" in challenge:
        fields.append(f'opaque="{escape_quotes(challenge["opaque"])}"')
    if challenge.get("userhash", "").lower() == "true":
        fields.append("userhash=true")
    return "Digest " + ", ".join(fields)


def _username(h: Callable[[str], str], login: str, realm: str, challenge: dict[str, str]) -> str:
    """The ``username`` parameter: hashed with ``userhash=true``, RFC 8187-encoded as
    ``username*`` when it is not ASCII (RFC 7616 §3.4.4)."""
    if challenge.get("userhash", "").lower() == "true":
        return f'username="{h(f"{login}:{realm}")}"'
    if not login.isascii():
        return "username*=UTF-8''" + quote(login, safe="")
    return f'username="{escape_quotes(login)}"'
