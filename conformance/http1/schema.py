"""Validation of HTTP/1.1 case objects against FORMAT.md (beyond the common fields)."""

from __future__ import annotations

import re
from typing import Any

from conformance.model import common_keys
from conformance.notation import NotationError, parse_segments

_STATUS = re.compile(r"[1-5](?:[0-9]{2}|xx)")
_VERDICTS = ("PASS", "NON-STRICT", "INFORMATIONAL", "FAIL")
_SERVER_RESPONSE_KEYS = {"status", "head", "body", "headers", "absent", "interim", "version"}
_SERVER_EXPECT_KEYS = {"responses", "then", "within", "closure"}
_CLIENT_RESULT_KEYS = {"outcome", "status", "body"}
_SENT_KEYS = {"method", "target", "version", "headers", "absent", "body", "framing"}
_REQUEST_KEYS = {"method", "path", "headers", "body", "timeout", "pause"}
_RESPOND_KEYS = {"after_head", "read_body", "send", "then"}


def _segments(value: object, where: str) -> list[str]:
    try:
        parse_segments(value)
    except NotationError as exc:
        return [f"{where}: {exc}"]
    return []


def _status_list(value: object, where: str) -> list[str]:
    ok = (
        isinstance(value, list)
        and value
        and all(
            (isinstance(v, int) and not isinstance(v, bool) and 100 <= v <= 599)
            or (isinstance(v, str) and _STATUS.fullmatch(v))
            for v in value
        )
    )
    return [] if ok else [f"{where}: status must be a list of codes or '4xx'-style classes"]


def _header_map(value: object, where: str) -> list[str]:
    if isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        return []
    return [f"{where}: headers must map names to exact values or '*'"]


def _names(value: object, where: str) -> list[str]:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return []
    return [f"{where}: absent must be a list of field names"]


def _unknown(obj: dict[str, Any], allowed: set[str], where: str) -> list[str]:
    extra = set(obj) - allowed
    return [f"{where}: unknown keys {sorted(extra)}"] if extra else []


def _within(obj: dict[str, Any], where: str) -> list[str]:
    value = obj.get("within", 1.0)
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 10:
        return [f"{where}: within must be seconds in (0, 10]"]
    return []


def _server_response(item: object, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: a response expectation is an object"]
    errors = _unknown(item, _SERVER_RESPONSE_KEYS, where)
    errors += _status_list(item.get("status"), where)
    if "body" in item and item["body"] != "*":
        errors += _segments([item["body"]], f"{where}.body")
    if "headers" in item:
        errors += _header_map(item["headers"], where)
    if "absent" in item:
        errors += _names(item["absent"], where)
    if "head" in item and not isinstance(item["head"], bool):
        errors.append(f"{where}: head must be true or false")
    if "interim" in item and not (
        isinstance(item["interim"], list) and all(isinstance(v, int) for v in item["interim"])
    ):
        errors.append(f"{where}: interim must be a list of 1xx codes")
    return errors


def _server_expect(expect: object, where: str) -> list[str]:
    if not isinstance(expect, dict):
        return [f"{where}: must be an object"]
    errors = _unknown(expect, _SERVER_EXPECT_KEYS | {"verdict", "reason"}, where)
    responses = expect.get("responses")
    if not isinstance(responses, list):
        return [*errors, f"{where}: responses must be a list"]
    for index, item in enumerate(responses):
        errors += _server_response(item, f"{where}.responses[{index}]")
    if expect.get("then", "any") not in ("close", "open", "any"):
        errors.append(f"{where}: then must be close, open or any")
    return errors + _within(expect, where)


def _client_expect(expect: object, where: str, count: int) -> list[str]:
    if not isinstance(expect, dict):
        return [f"{where}: must be an object"]
    errors = _unknown(
        expect, {"results", "sent", "connections", "within", "verdict", "reason"}, where
    )
    results = expect.get("results")
    if not isinstance(results, list) or len(results) != count:
        return [*errors, f"{where}: results must list one outcome per request ({count})"]
    for index, item in enumerate(results):
        at = f"{where}.results[{index}]"
        if not isinstance(item, dict) or item.get("outcome") not in ("response", "error", "any"):
            errors.append(f"{at}: outcome must be response, error or any")
            continue
        errors += _unknown(item, _CLIENT_RESULT_KEYS, at)
        if "status" in item:
            errors += _status_list(item["status"], at)
        if "body" in item:
            errors += _segments([item["body"]], f"{at}.body")
    sent = expect.get("sent", [])
    if not isinstance(sent, list) or len(sent) > count:
        errors.append(f"{where}: sent must be a list of at most {count} request checks")
    else:
        for index, check in enumerate(sent):
            at = f"{where}.sent[{index}]"
            if not isinstance(check, dict):
                errors.append(f"{at}: must be an object")
                continue
            errors += _unknown(check, _SENT_KEYS, at)
            if "headers" in check:
                errors += _header_map(check["headers"], at)
            if "absent" in check:
                errors += _names(check["absent"], at)
            if "body" in check:
                errors += _segments([check["body"]], f"{at}.body")
    if "connections" in expect and not isinstance(expect["connections"], int):
        errors.append(f"{where}: connections must be an integer")
    return errors + _within(expect, where)


def _also(raw: dict[str, Any], check: Any) -> list[str]:
    errors: list[str] = []
    also = raw.get("also", [])
    if not isinstance(also, list):
        return ["also must be a list"]
    for index, alt in enumerate(also):
        where = f"also[{index}]"
        errors += check(alt, where)
        if not isinstance(alt, dict) or alt.get("verdict") not in _VERDICTS:
            errors.append(f"{where}: verdict must be one of {_VERDICTS}")
        if not isinstance(alt, dict) or not isinstance(alt.get("reason"), str):
            errors.append(f"{where}: reason must be a sentence")
        elif raw.get("level") == "MAY" and alt.get("verdict") in ("PASS", "NON-STRICT"):
            errors.append(f"{where}: a MAY case only records behaviour: INFORMATIONAL (or FAIL)")
    return errors


def _request(item: object, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: must be an object"]
    errors = _unknown(item, _REQUEST_KEYS, where)
    if not isinstance(item.get("method", "GET"), str):
        errors.append(f"{where}: method must be a string")
    path = item.get("path", "/")
    if not isinstance(path, str) or not (path == "" or path.startswith("/")):
        errors.append(f"{where}: path must start with / (or be empty: a URL without a path)")
    headers = item.get("headers", [])
    if not isinstance(headers, list) or not all(
        isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers
    ):
        errors.append(f"{where}: headers must be a list of [name, value] pairs")
    if "body" in item:
        errors += _segments([item["body"]], f"{where}.body")
    pause = item.get("pause", 0)
    if isinstance(pause, bool) or not isinstance(pause, int | float) or not 0 <= pause <= 10:
        errors.append(f"{where}: pause must be seconds in [0, 10]")
    return errors


def _respond(item: object, where: str) -> list[str]:
    if not isinstance(item, dict):
        return [f"{where}: must be an object"]
    errors = _unknown(item, _RESPOND_KEYS, where)
    for key in ("after_head", "send"):
        if key in item:
            errors += _segments(item[key], f"{where}.{key}")
    if item.get("then", "close") not in ("close", "keep", "shutdown", "hold"):
        errors.append(f"{where}: then must be close, keep, shutdown or hold")
    if not isinstance(item.get("read_body", True), bool):
        errors.append(f"{where}: read_body must be true or false")
    return errors


_PERSISTENT = ("incidental", "required", "subject")


def _persistent(raw: dict[str, Any]) -> list[str]:
    """A case that relies on a persistent connection says so (and how much)."""
    value = raw.get("persistent")
    if value is not None and value not in _PERSISTENT:
        return [f"persistent must be one of {_PERSISTENT}"]
    expect = raw.get("expect")
    if raw.get("side") == "server" and isinstance(expect, dict):
        responses = expect.get("responses")
        several = isinstance(responses, list) and len(responses) > 1
        relies = expect.get("then") == "open" or several
    else:
        requests = raw.get("requests")
        relies = isinstance(requests, list) and len(requests) > 1
    if relies and value is None:
        return [f"the case relies on a persistent connection: say persistent: one of {_PERSISTENT}"]
    return []


def validate_case(raw: dict[str, Any]) -> list[str]:
    """The HTTP/1.1-specific errors of one case object (empty when valid)."""
    side = raw.get("side")
    errors = _persistent(raw)
    if side == "server":
        errors += _unknown(
            raw, common_keys() | {"send", "expect", "also", "persistent", "tls"}, "case"
        )
        if not isinstance(raw.get("tls", False), bool):
            errors.append("tls must be true or false")
        errors += _segments(raw.get("send"), "send")
        errors += _server_expect(raw.get("expect"), "expect")
        errors += _also(raw, _server_expect)
        if not str(raw.get("id", "")).startswith("h1-srv-"):
            errors.append("server case ids start with h1-srv-")
        return errors
    errors += _unknown(
        raw, common_keys() | {"requests", "respond", "expect", "also", "persistent"}, "case"
    )
    requests = raw.get("requests")
    if not isinstance(requests, list) or not requests:
        return [*errors, "requests must be a non-empty list"]
    for index, item in enumerate(requests):
        errors += _request(item, f"requests[{index}]")
    respond = raw.get("respond")
    if not isinstance(respond, list) or not respond:
        errors.append("respond must be a non-empty list")
    else:
        for index, item in enumerate(respond):
            errors += _respond(item, f"respond[{index}]")
    errors += _client_expect(raw.get("expect"), "expect", len(requests))
    errors += _also(raw, lambda alt, where: _client_expect(alt, where, len(requests)))
    if not str(raw.get("id", "")).startswith("h1-cli-"):
        errors.append("client case ids start with h1-cli-")
    return errors
