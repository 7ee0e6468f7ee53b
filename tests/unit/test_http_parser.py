"""aiohttp.http_parser: the aiohttp 3.x names for parsed heads, and the parsers."""

from __future__ import annotations

from aiohttp import http_parser


def test_raw_request_message_comes_out_of_the_parser() -> None:
    parser = http_parser.RequestParser()
    head = parser.feed(b"GET /x HTTP/1.1\r\nHost: h\r\n\r\n")[0]
    assert isinstance(head, http_parser.RawRequestMessage)
    assert head.target == "/x"
    client = http_parser.ResponseParser()
    client.expect_response("GET")
    response = client.feed(b"HTTP/1.1 204 No Content\r\n\r\n")[0]
    assert isinstance(response, http_parser.RawResponseMessage)
    assert response.status == 204


def test_heads_have_3x_attribute_names() -> None:
    parser = http_parser.RequestParser()
    head = parser.feed(b"GET /x?y=1 HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")[0]
    assert isinstance(head, http_parser.RawRequestMessage)
    assert (head.path, head.should_close) == ("/x?y=1", True)
    client = http_parser.ResponseParser()
    client.expect_response("GET")
    response = client.feed(b"HTTP/1.1 204 No Content\r\n\r\n")[0]
    assert isinstance(response, http_parser.RawResponseMessage)
    assert (response.code, response.should_close) == (204, False)
