"""aiohttp 3.x client names and hooks that programs and their test helpers rely on."""

from __future__ import annotations

import asyncio

import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

import aiohttp
from aiohttp.client.protocol import ResponseHandler
from aiohttp.client.request import RequestInfo
from aiohttp.client.response import ClientResponse, ContentDisposition, HeadersMixin
from aiohttp.client.session import ClientSession
from aiohttp.client.timeouts import TimerNoop
from aiohttp.connector import Connection


def bare_response(headers: dict[str, str] | None = None) -> ClientResponse:
    """A response built the way 3.x test helpers build one: the 3.x keyword set, no connection."""
    url = URL("http://example.com/file")
    info = RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()), url)
    resp = ClientResponse(
        "GET",
        url,
        request_info=info,
        writer=None,
        continue100=None,
        timer=TimerNoop(),
        traces=[],
        loop=None,
        session=None,
    )
    resp._headers = CIMultiDictProxy(CIMultiDict(headers or {}))
    return resp


def test_content_disposition_absent_is_none() -> None:
    assert bare_response().content_disposition is None


@pytest.mark.parametrize(
    ("header", "dtype", "params", "filename"),
    [
        pytest.param(
            'attachment; filename="report.pdf"',
            "attachment",
            {"filename": "report.pdf"},
            "report.pdf",
            id="RFC 6266 §4.1 quoted filename",
        ),
        pytest.param("INLINE", "inline", {}, None, id="RFC 6266 §4.2 type is case-insensitive"),
        pytest.param(
            "attachment; filename*=UTF-8''%E2%82%AC.txt",
            "attachment",
            {"filename*": "\u20ac.txt"},
            "\u20ac.txt",
            id="RFC 6266 §4.3 extended filename",
        ),
    ],
)
def test_content_disposition_parsed(
    header: str, dtype: str, params: dict[str, str], filename: str | None
) -> None:
    disposition = bare_response({"Content-Disposition": header}).content_disposition
    assert isinstance(disposition, ContentDisposition)
    assert disposition.type == dtype
    assert dict(disposition.parameters) == params
    assert disposition.filename == filename
    with pytest.raises(TypeError):
        disposition.parameters["x"] = "y"  # type: ignore[index]


def test_content_disposition_exported_from_client_reqrep() -> None:
    from aiohttp.client_reqrep import ContentDisposition as Exported

    assert Exported is ContentDisposition


def test_url_obj_is_a_deprecated_alias_of_url() -> None:
    resp = bare_response()
    with pytest.warns(DeprecationWarning, match="url_obj"):
        assert resp.url_obj == URL("http://example.com/file")


def test_timer_noop_is_a_reusable_context_manager() -> None:
    timer = TimerNoop()
    for _ in range(2):
        with timer as entered:
            assert entered is timer


def test_client_proto_module_has_the_response_handler() -> None:
    from aiohttp.client.protocol import ResponseHandler
    from aiohttp.client_proto import ResponseHandler as Exported

    assert Exported is ResponseHandler


async def test_response_handler_takes_only_the_loop() -> None:
    from aiohttp.client_proto import ResponseHandler

    loop = asyncio.get_running_loop()
    for handler in (ResponseHandler(loop), ResponseHandler(loop=loop)):
        assert handler.transport is None


async def test_prepare_headers_merges_defaults_with_request_headers() -> None:
    async with ClientSession(headers={"X-A": "session", "X-B": "kept"}) as session:
        merged = session._prepare_headers([("X-A", "1"), ("X-A", "2"), ("X-C", "3")])
        assert isinstance(merged, CIMultiDict)
        assert merged.getall("X-A") == ["1", "2"]
        assert merged["X-B"] == "kept"
        assert merged["X-C"] == "3"
        assert session._prepare_headers(None) == CIMultiDict({"X-A": "session", "X-B": "kept"})


async def test_raise_for_status_private_alias() -> None:
    async with ClientSession(raise_for_status=True) as session:
        assert session._raise_for_status is True
    async with ClientSession() as session:
        assert session._raise_for_status is False


async def test_session_loop_is_deprecated_and_is_the_running_loop() -> None:
    async with ClientSession() as session:
        with pytest.warns(DeprecationWarning, match="loop"):
            assert session.loop is asyncio.get_running_loop()


async def test_requote_redirect_url_property() -> None:
    async with ClientSession(requote_redirect_url=False) as session:
        assert session.requote_redirect_url is False
        with pytest.warns(DeprecationWarning, match="requote_redirect_url"):
            session.requote_redirect_url = True
        assert session.requote_redirect_url is True


async def test_connector_loop_is_the_running_loop() -> None:
    connector = aiohttp.TCPConnector()
    try:
        assert connector._loop is asyncio.get_running_loop()
    finally:
        await connector.close()


with pytest.warns(DeprecationWarning, match="Inheritance"):  # discouraged, as in 3.x

    class RecordingSession(ClientSession):
        """Replaces ``_request`` the way 3.x mocking helpers patch it."""

        calls: list[tuple[str, str]]

        async def _request(
            self, method: str, str_or_url: object, **kwargs: object
        ) -> ClientResponse:  # type: ignore[override]
            self.calls.append((method, str(str_or_url)))
            return bare_response()


async def test_every_verb_goes_through_the_request_method() -> None:
    async with RecordingSession() as session:
        session.calls = []
        for verb in ("get", "post", "put", "patch", "delete", "head", "options"):
            resp = await getattr(session, verb)("http://example.com/x")
            assert isinstance(resp, ClientResponse)
        async with session.request("GET", "http://example.com/y"):
            pass
    assert [m.upper() for m, _ in session.calls] == [
        "GET",
        "POST",
        "PUT",
        "PATCH",
        "DELETE",
        "HEAD",
        "OPTIONS",
        "GET",
    ]
    assert aiohttp.client.ClientSession is aiohttp.ClientSession


def test_client_module_exports_the_websocket_client_names() -> None:
    from aiohttp.client.websocket import (
        ClientWebSocketResponse,
        ClientWSTimeout,
    )

    assert aiohttp.client.ClientWSTimeout is ClientWSTimeout
    assert aiohttp.client.ClientWebSocketResponse is ClientWebSocketResponse
    assert {"ClientWSTimeout", "ClientWebSocketResponse"} <= set(aiohttp.client.__all__)


class Stored(HeadersMixin):
    """A cached response: headers without a connection, as cache layers keep them."""

    def __init__(self, headers: dict[str, str]) -> None:
        self._headers = CIMultiDictProxy(CIMultiDict(headers))


@pytest.mark.parametrize(
    ("headers", "ctype", "charset", "length"),
    [
        pytest.param({}, "application/octet-stream", None, None, id="RFC 9110 §8.3 absent"),
        pytest.param(
            {"Content-Type": "Text/HTML; Charset=latin-1", "Content-Length": "12"},
            "text/html",
            "latin-1",
            12,
            id="RFC 9110 §8.3.1 case-insensitive type and parameter name",
        ),
    ],
)
def test_headers_mixin_reads_its_headers(
    headers: dict[str, str], ctype: str, charset: str | None, length: int | None
) -> None:
    stored = Stored(headers)
    assert (stored.content_type, stored.charset, stored.content_length) == (ctype, charset, length)
    response = bare_response(headers)
    assert isinstance(response, HeadersMixin)
    assert (response.content_type, response.charset, response.content_length) == (
        ctype,
        charset,
        length,
    )


def test_client_reqrep_still_offers_mapping_proxy_type() -> None:
    """Cache layers build their ``content_disposition`` with the name 3.x imported here."""
    import types

    import aiohttp.client_reqrep

    assert aiohttp.client_reqrep.MappingProxyType is types.MappingProxyType


def test_session_signature_names_every_argument() -> None:
    """Wrappers pass on only the keywords the signature names, as they do with 3.x."""
    import inspect

    params = inspect.signature(ClientSession.__init__).parameters.values()
    assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params)
    assert {"connector", "headers", "timeout", "raise_for_status", "trace_configs"} <= {
        p.name for p in params
    }


async def test_session_refuses_an_unknown_argument() -> None:
    with pytest.raises(TypeError, match="no_such_option"):
        ClientSession(no_such_option=1)  # type: ignore[call-arg]


async def test_ssl_shutdown_timeout_is_accepted_and_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="ssl_shutdown_timeout"):
        connector = aiohttp.TCPConnector(ssl_shutdown_timeout=0.1)
    await connector.close()
    with pytest.warns(DeprecationWarning, match="ssl_shutdown_timeout"):
        session = ClientSession(ssl_shutdown_timeout=0.1)
    await session.close()


def test_request_info_real_url_defaults_to_the_url() -> None:
    url = URL("http://example.com/a")
    info = RequestInfo(url, "GET", CIMultiDictProxy(CIMultiDict()))
    assert info.real_url is url
    assert info == (url, "GET", info.headers, url)


async def test_response_upload_counters_are_deprecated_for_upload_tracker() -> None:
    resp = bare_response()
    with pytest.warns(DeprecationWarning, match="use aiohttp.UploadTracker"):
        done = resp.upload_complete
    assert done.done()  # no upload in progress
    with pytest.warns(DeprecationWarning, match="use aiohttp.UploadTracker"):
        assert resp.output_size == 0


async def test_request_constants_and_upload_control() -> None:
    req = aiohttp.ClientRequest(
        "POST", URL("http://example.com/"), skip_auto_headers=["User-Agent"]
    )
    assert req.POST_METHODS <= req.ALL_METHODS
    assert "GET" in req.GET_METHODS
    assert req.DEFAULT_HEADERS["Accept"] == "*/*"
    assert req.skip_auto_headers == frozenset({"user-agent"})
    assert req.response is None
    req.writer_task = asyncio.ensure_future(asyncio.sleep(10))
    req.terminate()
    await req.close()
    assert req.writer_task.cancelled()


def test_fingerprint_table_of_3x() -> None:
    import hashlib

    assert aiohttp.Fingerprint.HASHFUNC_BY_DIGESTLEN[32] is hashlib.sha256


async def test_connection_takes_3x_arguments_without_a_warning() -> None:
    """3.x's ``Connection(connector, key, protocol, loop)``: the loop is the protocol's."""
    loop = asyncio.get_running_loop()
    async with aiohttp.TCPConnector() as connector:
        for connection in (
            Connection(connector, "key", ResponseHandler(loop), loop),
            Connection(connector, "key", ResponseHandler(loop), loop=loop),
        ):
            with pytest.warns(DeprecationWarning, match="^connector.loop property is deprecated$"):
                assert connection.loop is loop
            assert not connection.reused
            connection.close()
            assert connection.closed


@pytest.mark.parametrize("end", ["release", "close"])
async def test_connection_callbacks_run_once_when_it_is_given_back(end: str) -> None:
    # 3.x's Connection.add_callback: each callback once, in order; one that raises does not
    # stop the others.
    loop = asyncio.get_running_loop()
    calls: list[str] = []

    def failing() -> None:
        calls.append("failing")
        raise RuntimeError("ignored")

    async with aiohttp.TCPConnector() as connector:
        connection = Connection(connector, "key", ResponseHandler(loop), loop)
        connection.add_callback(failing)
        connection.add_callback(lambda: calls.append("second"))
        getattr(connection, end)()
        getattr(connection, end)()
    assert calls == ["failing", "second"]


SSL_TYPE_ERROR = r"^ssl should be SSLContext, bool, Fingerprint or None, got <object .*> instead\.$"


async def test_request_with_an_ssl_of_the_wrong_type_is_refused_before_sending() -> None:
    # 3.x checks ``ssl=`` when the request is made, whatever the URL's scheme.
    async with ClientSession() as session:
        with pytest.raises(TypeError, match=SSL_TYPE_ERROR):
            await session.get("http://127.0.0.1:1/", ssl=object())


async def test_connector_with_an_ssl_of_the_wrong_type_is_refused() -> None:
    with pytest.raises(TypeError, match=SSL_TYPE_ERROR):
        aiohttp.TCPConnector(ssl=object())
