"""The HTTP/1.1 runner: server-side and client-side cases of RFC 9112 and RFC 9110."""

from __future__ import annotations

from conformance.http1.runner import run_case, validate_case

__all__ = ["run_case", "validate_case"]
