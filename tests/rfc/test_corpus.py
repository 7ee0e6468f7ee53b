"""The conformance corpora against this library's own server and client, one test per case id.

Each case runs through the same runner as ``python -m conformance --target aiohttp``: the server
is this library's ``web.Application`` on a free loopback port, the client its ``ClientSession``.
A case passes when its verdict is PASS or INFORMATIONAL (a MAY, recorded whatever happens):
NON-STRICT counts as a failure here, because this library aims at the best behaviour, not the
merely allowed one. Cases the library knowingly fails are listed, each with its reason, in
``known_failures.toml`` beside this file; they are strict xfails, so fixing one is noticed.

The adapter is imported inside the test, so this module imports cleanly even when the library
cannot start a server or a client: then those cases fail and say why.
"""

from __future__ import annotations

import fnmatch
import gc

import pytest

from conformance.model import Case, Verdict
from conformance.registry import Target, load_cases, protocols_with_cases, runner_for
from tests.rfc.known import known_failures, reason_for

#: The protocols whose corpus runs here: every registered one with case files.
PROTOCOLS = protocols_with_cases()
KNOWN = known_failures()
CASES = load_cases(protocols=PROTOCOLS)


def _param(case: Case) -> object:
    marks = []
    reason = reason_for(case.id, KNOWN)
    if reason is not None:
        marks.append(pytest.mark.xfail(strict=True, reason=reason))
    return pytest.param(case, id=case.id, marks=[pytest.mark.rfc, *marks])


def test_known_failures_name_real_cases() -> None:
    ids = [case.id for case in CASES]
    assert [p for p in KNOWN if not fnmatch.filter(ids, p)] == []


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
async def test_case(case: Case) -> None:
    from conformance.adapters import aiohttp_adapter

    runner = runner_for(case.protocol)
    if case.side == "server":
        async with aiohttp_adapter.serve() as server:
            result = await runner.run_case(case, Target(server=server, name="aiohttp"))
    else:
        target = Target(client=aiohttp_adapter.AiohttpClient(), name="aiohttp")
        result = await runner.run_case(case, target)
    if result.verdict not in (Verdict.PASS, Verdict.INFORMATIONAL):
        # Collect garbage before pytest formats the failure: on CPython 3.11.7 a finalizer run by
        # the collector inside ast.parse (pytest's traceback formatting) raises "SystemError:
        # AST constructor recursion depth mismatch" and stops the whole session.
        gc.collect()
    assert result.verdict in (Verdict.PASS, Verdict.INFORMATIONAL), (
        f"{result.verdict.value}: {result.reason}\n"
        f"sent: {result.sent[:2000]}\nobserved: {result.observed[:2000]}"
    )
