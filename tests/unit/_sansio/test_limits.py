"""HttpLimits: named defaults, frozen."""

from __future__ import annotations

import dataclasses

import pytest

from aiohttp._sansio import limits


def test_defaults_are_the_named_constants() -> None:
    value = limits.HttpLimits()
    assert value == limits.DEFAULT_LIMITS
    assert value.max_request_line == limits.MAX_REQUEST_LINE == 8190
    assert value.max_field_size == limits.MAX_FIELD_SIZE == 8190
    assert value.max_fields == limits.MAX_FIELDS == 128
    assert value.max_status_line == limits.MAX_STATUS_LINE
    assert value.max_head_size == limits.MAX_HEAD_SIZE
    assert value.max_chunk_line == limits.MAX_CHUNK_LINE
    assert value.max_chunk_extensions == limits.MAX_CHUNK_EXTENSIONS
    assert value.max_trailer_size == limits.MAX_TRAILER_SIZE
    assert value.max_chunk_size == limits.MAX_CHUNK_SIZE == 2**32


def test_frozen_and_replaceable() -> None:
    value = limits.HttpLimits()
    with pytest.raises(dataclasses.FrozenInstanceError):
        value.max_fields = 1  # type: ignore[misc]
    assert dataclasses.replace(value, max_fields=1).max_fields == 1
