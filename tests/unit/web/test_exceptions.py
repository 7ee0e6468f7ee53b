"""Every HTTP status as an exception that is also a response."""

from __future__ import annotations

import http
import inspect

import pytest

import aiohttp.web.exceptions as exc_module
from aiohttp.web.exceptions import (
    HTTPClientError,
    HTTPError,
    HTTPException,
    HTTPFound,
    HTTPMethodNotAllowed,
    HTTPMove,
    HTTPNoContent,
    HTTPNotFound,
    HTTPNotModified,
    HTTPOk,
    HTTPRedirection,
    HTTPRequestEntityTooLarge,
    HTTPServerError,
    HTTPSuccessful,
    HTTPUnavailableForLegalReasons,
    NotAppKeyWarning,
)
from aiohttp.web.messages.full_response import Response

ALL_CLASSES = [
    getattr(exc_module, name)
    for name in exc_module.__all__
    if inspect.isclass(getattr(exc_module, name))
    and issubclass(getattr(exc_module, name), HTTPException)
    and getattr(exc_module, name).status_code > 0
]

NEEDS_ARGS = {
    HTTPMethodNotAllowed: ("GET", ["POST"]),
    HTTPRequestEntityTooLarge: (10, 11),
    HTTPUnavailableForLegalReasons: ("https://example.org/blocker",),
}


def build(cls: type[HTTPException]) -> HTTPException:
    if issubclass(cls, HTTPMove):
        return cls("/elsewhere")
    return cls(*NEEDS_ARGS.get(cls, ()))


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__name__)
def test_status_reason_and_family(cls: type[HTTPException]) -> None:
    exc = build(cls)
    status = cls.status_code
    assert exc.status == status
    assert exc.reason == http.HTTPStatus(status).phrase
    assert isinstance(exc, Exception)
    assert isinstance(exc, Response)
    family = {2: HTTPSuccessful, 3: HTTPRedirection, 4: HTTPClientError, 5: HTTPServerError}
    assert isinstance(exc, family[status // 100])
    if status >= 400:
        assert isinstance(exc, HTTPError)


def test_every_standard_status_from_200_up_has_a_class() -> None:
    covered = {cls.status_code for cls in ALL_CLASSES}
    wanted = {
        s.value
        for s in http.HTTPStatus
        if s.value >= 200 and s.value not in (207, 208, 226, 418, 423, 425, 508)
    }
    assert wanted <= covered


def test_default_body_is_status_and_reason() -> None:
    exc = HTTPNotFound()
    assert exc.text == "404: Not Found"
    assert exc.content_type == "text/plain"
    assert str(exc) == "Not Found"


@pytest.mark.parametrize("cls", [HTTPNoContent, HTTPNotModified])
def test_statuses_without_content_have_no_body_rfc9110_15_3_5(cls: type[HTTPException]) -> None:
    assert cls().body is None


def test_custom_reason_text_and_headers() -> None:
    exc = HTTPNotFound(reason="Gone fishing", text="nope", headers={"X-A": "1"})
    assert exc.reason == "Gone fishing"
    assert exc.text == "nope"
    assert exc.headers["X-A"] == "1"


def test_body_argument_is_deprecated() -> None:
    with pytest.warns(DeprecationWarning, match="body argument is deprecated"):
        exc = HTTPOk(body=b"raw")
    assert exc.body == b"raw"


def test_redirect_sets_location_rfc9110_10_2_2() -> None:
    exc = HTTPFound("/next?a=1")
    assert exc.headers["Location"] == "/next?a=1"
    assert exc.location == "/next?a=1"


def test_redirect_without_location_is_refused() -> None:
    with pytest.raises(ValueError, match="need a location"):
        HTTPFound("")


def test_method_not_allowed_sets_allow_rfc9110_15_5_6() -> None:
    exc = HTTPMethodNotAllowed("delete", {"GET", "POST", "HEAD"})
    assert exc.headers["Allow"] == "GET,HEAD,POST"
    assert exc.method == "DELETE"
    assert exc.allowed_methods == {"GET", "HEAD", "POST"}


def test_entity_too_large_says_both_sizes() -> None:
    exc = HTTPRequestEntityTooLarge(max_size=100, actual_size=101)
    assert exc.status == 413
    assert exc.text == "Maximum request body size 100 exceeded, actual body size 101"


def test_unavailable_for_legal_reasons_links_blocker_rfc7725_3() -> None:
    exc = HTTPUnavailableForLegalReasons("https://example.org/blocker")
    assert exc.headers["Link"] == '<https://example.org/blocker>; rel="blocked-by"'
    assert str(exc.link) == "https://example.org/blocker"
    assert "Link" not in HTTPUnavailableForLegalReasons(None).headers


def test_raised_and_caught_as_exception() -> None:
    with pytest.raises(HTTPNotFound) as caught:
        raise HTTPNotFound(text="missing")
    assert caught.value.text == "missing"
    assert bool(HTTPNotFound())


def test_not_app_key_warning_is_its_own_filterable_class() -> None:
    assert issubclass(NotAppKeyWarning, UserWarning)
    assert not issubclass(NotAppKeyWarning, DeprecationWarning)


def test_reexport_module_matches() -> None:
    import aiohttp.web_exceptions as reexport

    assert set(reexport.__all__) == set(exc_module.__all__)
    assert reexport.HTTPNotFound is HTTPNotFound


def test_repr_is_the_response_repr_as_in_3x() -> None:
    assert repr(HTTPNotFound()) == "<HTTPNotFound Not Found not prepared>"
    assert repr(HTTPNotFound(reason="Gone away")) == "<HTTPNotFound Gone away not prepared>"
