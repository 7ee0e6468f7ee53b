"""The error tree: status codes, messages and the aiohttp 3.x constructor shapes."""

from __future__ import annotations

import pickle

import pytest

from aiohttp._sansio import errors


@pytest.mark.parametrize(
    ("error", "code"),
    [
        pytest.param(errors.BadHttpMessage("x"), 400, id="RFC9110-15.5.1-bad-message"),
        pytest.param(errors.HttpBadRequest("x"), 400, id="RFC9110-15.5.1-bad-request"),
        pytest.param(errors.BadStatusLine("GET"), 400, id="RFC9112-3-bad-line"),
        pytest.param(errors.BadHttpMethod("G@T / HTTP/1.1"), 400, id="RFC9110-9.1-bad-method"),
        pytest.param(errors.UnsupportedVersion("HTTP/2.0"), 505, id="RFC9110-15.6.6-version"),
        pytest.param(errors.InvalidURLError("x"), 400, id="RFC9112-3.2-target"),
        pytest.param(errors.InvalidHeader(b"X : y"), 400, id="RFC9112-5-field"),
        pytest.param(
            errors.LineTooLong("request line", 1, 2, code=414),
            414,
            id="RFC9110-15.5.15-uri-too-long",
        ),
        pytest.param(
            errors.LineTooLong("field line", 1, 2, code=431), 431, id="RFC6585-5-field-too-large"
        ),
        pytest.param(errors.LineTooLong("chunk size line"), 400, id="RFC9112-7.1-chunk-line"),
        pytest.param(errors.HeaderSectionTooLarge("x"), 431, id="RFC6585-5-head-too-large"),
        pytest.param(errors.ContentLengthError("x"), 400, id="RFC9110-8.6-content-length"),
        pytest.param(
            errors.TransferEncodingError("x", code=501), 501, id="RFC9112-6.1-unknown-coding"
        ),
        pytest.param(errors.ContentEncodingError("x"), 400, id="RFC9110-8.4-coding"),
    ],
)
def test_codes_and_tree(error: errors.HttpProcessingError, code: int) -> None:
    assert error.code == code
    assert isinstance(error, errors.BadHttpMessage)
    assert isinstance(error, errors.HttpProcessingError)
    assert error.message
    assert str(error) == f"{code}, message:\n  {error.message}"
    assert repr(error) == f"<{type(error).__name__}: {code}, message={error.message!r}>"


def test_base_class_keywords() -> None:
    error = errors.HttpProcessingError(code=418, message="teapot", headers={"X": "1"})
    assert (error.code, error.message, error.headers) == (418, "teapot", {"X": "1"})
    assert errors.HttpProcessingError().code == 0


def test_str_indents_every_line_of_the_message_as_3x() -> None:
    error = errors.HttpProcessingError(code=500, message="first\nsecond")
    assert str(error) == "500, message:\n  first\n  second"
    assert repr(error) == "<HttpProcessingError: 500, message='first\\nsecond'>"
    assert str(errors.HttpProcessingError()) == "0, message:\n"


def test_args_are_the_constructor_arguments_as_3x() -> None:
    assert errors.HttpProcessingError(code=500, message="x").args == ()
    assert errors.LineTooLong(b"spam", 10, 12).args == (b"spam", 10, 12)
    assert errors.InvalidHeader(b"X-Spam").args == (b"X-Spam",)
    assert errors.BadStatusLine("Test", "why").args == ("Test",)
    assert errors.BadHttpMethod("G@T").args == ("G@T",)


@pytest.mark.parametrize(
    "error",
    [
        errors.HttpProcessingError(code=500, message="Internal error", headers={"X": "1"}),
        errors.BadHttpMessage("bad", headers={"X": "1"}),
        errors.LineTooLong(b"spam", "10", "12", code=431),
        errors.InvalidHeader(b"X-Spam"),
        errors.BadStatusLine("Test", "why"),
        errors.BadHttpMethod("G@T"),
        errors.UnsupportedVersion("HTTP/2.0"),
        errors.TransferEncodingError("x", code=501),
    ],
    ids=type,
)
def test_pickle_round_trip_keeps_code_message_and_headers(
    error: errors.HttpProcessingError,
) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(error, protocol))
        assert type(copy) is type(error)
        assert (copy.code, copy.message, copy.headers) == (error.code, error.message, error.headers)
        assert (str(copy), copy.args) == (str(error), error.args)


def test_messages_name_what_went_wrong() -> None:
    assert (
        errors.LineTooLong(b"spam", "10", "12").message
    ) == "Got more than 10 bytes when reading: b'spam'."
    assert (
        errors.LineTooLong("request line", 8190).message
    ) == "Got more than 8190 bytes when reading: 'request line'."
    assert errors.InvalidHeader(b"X-Spam").message == "Invalid HTTP header: b'X-Spam'"
    assert errors.BadStatusLine(b"").line == "b''"
    header = errors.InvalidHeader(b"Bad\xff Header")
    assert header.hdr == "Bad\\xff Header"
    assert "Bad" in header.message
    assert errors.InvalidHeader("X", "specific").message == "specific"
    line = errors.BadStatusLine("HTTP/9")
    assert line.line == "HTTP/9"
    assert "HTTP/9" in line.message
    assert errors.BadHttpMessage("why").args == ("why",)


def test_payload_errors_share_a_base() -> None:
    for cls in (
        errors.ContentLengthError,
        errors.TransferEncodingError,
        errors.ContentEncodingError,
    ):
        assert issubclass(cls, errors.PayloadEncodingError)
