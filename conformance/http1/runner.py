"""Entry points of the HTTP/1.1 runner (see :mod:`conformance.registry`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.http1.client_side import run_client_case
from conformance.http1.schema import validate_case
from conformance.http1.server_side import run_server_case
from conformance.model import Case, Result, Verdict

if TYPE_CHECKING:
    from conformance.registry import Target

__all__ = ["run_case", "validate_case"]


async def run_case(case: Case, target: Target) -> Result:
    """Replay ``case`` against the matching side of ``target``."""
    if case.side == "server":
        if target.server is None:
            return Result(case, Verdict.INFORMATIONAL, "no server under test")
        return await run_server_case(case, target.server)
    if target.client is None:
        return Result(case, Verdict.INFORMATIONAL, "no client under test")
    return await run_client_case(case, target.client)
