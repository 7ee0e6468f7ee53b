"""The corpus runs inside the whole test suite, often under a coverage tracer on a busy machine:
its time bounds are doubled here (the timeouts the client is asked to honour are not)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _slower_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFORMANCE_TIME_SCALE", "2")
