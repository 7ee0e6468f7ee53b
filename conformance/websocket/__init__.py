"""The WebSocket runner: RFC 6455 and RFC 7692 cases for servers and clients under test.

Case fields beyond the common ones are described in :mod:`conformance.websocket.schema`; the
server side is :mod:`conformance.websocket.server_side`, the client side
:mod:`conformance.websocket.client_side`, the harness's own wire code
:mod:`conformance.websocket.wire`. The corpus in ``conformance/cases/websocket/`` is written by
``python -m conformance.websocket.generate`` from the compact family tables in
:mod:`conformance.websocket.families`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from conformance.model import Case, Result, Verdict
from conformance.websocket.schema import validate_case

if TYPE_CHECKING:
    from conformance.registry import Target

__all__ = ["run_case", "validate_case"]


async def run_case(case: Case, target: Target) -> Result:
    """Replay ``case`` against the matching side of ``target``."""
    from conformance.websocket.client_side import run_client_case
    from conformance.websocket.server_side import run_server_case

    if case.side == "server":
        if target.server is None:
            return Result(case, Verdict.INFORMATIONAL, "no server under test")
        return await run_server_case(case, target.server)
    if target.client is None:
        return Result(case, Verdict.INFORMATIONAL, "no client under test")
    return await run_client_case(case, target.client)
