"""Comparing two call signatures by parameter names, kinds and defaults (never annotations).

Each difference is a key ``<prefix>:<what>``, where ``<prefix>`` names the callable
(``aiohttp.web:Application.__init__``). Where a key shows two values, the first is aiohttp
3.14.5's and the second ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .model import Param

REQUIRED = "<required>"
POSITIONAL = ("positional-only", "positional-or-keyword")
VARIADIC = {"var-positional": "*", "var-keyword": "**"}

Report = Callable[[str, str], None]


@dataclass(frozen=True)
class Parameter:
    name: str
    kind: str
    default: str | None

    @property
    def match(self) -> str:
        """What a parameter is matched by: its name, or ``*``/``**`` for variadic ones."""
        return VARIADIC.get(self.kind, self.name)

    @property
    def shown(self) -> str:
        return VARIADIC.get(self.kind, "") + self.name


def by_position(raw: list[Param] | None) -> list[Param] | None:
    """The parameters with positional ones named by index (``#0``, ``#1``, ...).

    For the dunders Python itself calls (``__aexit__``, ``__getitem__``, ...), which always
    pass their arguments by position, so only the count and the defaults matter.
    """
    if raw is None:
        return None
    return [
        [f"#{index}" if kind in POSITIONAL else name, kind, default]
        for index, (name, kind, default) in enumerate(raw)
    ]


def _parameters(raw: list[Param]) -> dict[str, Parameter]:
    params = (Parameter(str(name), str(kind), default) for name, kind, default in raw)
    return {param.match: param for param in params}


def compare_signatures(
    prefix: str,
    ref: list[Param] | None,
    ours: list[Param] | None,
    differ: Report,
    extra: Report,
) -> None:
    """Report how ``ours`` breaks a caller written for ``ref``.

    ``differ(key, kind)`` receives each difference, ``extra(key, kind)`` each thing ours only
    adds (an optional parameter, a parameter that became optional). Nothing is compared when
    either signature could not be read.
    """
    if ref is None or ours is None:
        return
    theirs, mine = _parameters(ref), _parameters(ours)
    for match, param in theirs.items():
        other = mine.get(match)
        if other is None:
            differ(f"{prefix}:param {param.shown} missing", "parameter")
            continue
        if other.kind != param.kind:
            differ(
                f"{prefix}:param {param.shown} kind {param.kind} != {other.kind}", "parameter kind"
            )
        if param.default is None and other.default is not None:
            extra(f"{prefix}:param {param.shown} optional", "default")
        elif param.default is not None and param.default != other.default:
            given = other.default or REQUIRED
            differ(f"{prefix}:param {param.shown} default {param.default} != {given}", "default")
    for match, param in mine.items():
        if match in theirs:
            continue
        if param.default is None and param.kind not in VARIADIC:
            differ(f"{prefix}:param {param.shown} extra and required", "parameter")
        else:
            extra(f"{prefix}:param {param.shown} extra", "parameter")
    _compare_positions(prefix, theirs, mine, differ)


def _compare_positions(
    prefix: str, theirs: dict[str, Parameter], mine: dict[str, Parameter], differ: Report
) -> None:
    """Positional callers break when shared parameters change order or gain one in front."""
    ref_order = [m for m, p in theirs.items() if p.kind in POSITIONAL]
    our_order = [m for m, p in mine.items() if p.kind in POSITIONAL]
    shared_ref = [m for m in ref_order if m in our_order]
    shared_ours = [m for m in our_order if m in ref_order]
    if shared_ref != shared_ours:
        differ(
            f"{prefix}:positional order ({', '.join(shared_ref)}) != ({', '.join(shared_ours)})",
            "position",
        )
    for index, match in enumerate(our_order):
        if match in theirs:
            continue
        later = [m for m in our_order[index + 1 :] if m in shared_ours]
        if later:
            differ(f"{prefix}:param {match} extra before {later[0]}", "position")
