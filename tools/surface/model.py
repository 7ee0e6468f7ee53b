"""The shapes the surface check passes around: the introspection document and its findings."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

# One parameter: [name, kind, default]; the default is None when the parameter has none.
Param = list[str | None]


class MemberDoc(TypedDict, total=False):
    kind: str
    signature: list[Param] | None
    value: str
    provider: str  # the ident of the public base class it is inherited from unchanged


class ObjectDoc(TypedDict, total=False):
    kind: str
    module: str | None
    signature: list[Param] | None
    bases: dict[str, str | None]  # display name -> ident (None outside aiohttp/multidict/yarl)
    members: dict[str, MemberDoc]
    enum: dict[str, str] | None


class NameDoc(TypedDict, total=False):
    kind: str
    ident: str
    signature: list[Param] | None
    type: str
    value: str


class ModuleDoc(TypedDict, total=False):
    error: str | None
    has_all: bool
    names: dict[str, NameDoc]
    others: dict[str, NameDoc]  # importable, but not public by the rules


class Snapshot(TypedDict):
    version: str | None
    file: str | None
    python: str
    modules: dict[str, ModuleDoc]
    objects: dict[str, ObjectDoc]


@dataclass(frozen=True, order=True)
class Finding:
    """One difference (or one extra) between aiohttp 3.14.5 and this package.

    ``key`` is the stable one-line name the allowlist uses; ``kind`` groups findings for the
    counts; ``module`` is the module the key starts with.
    """

    module: str
    key: str
    kind: str


def module_of(key: str) -> str:
    """The module a key names: everything before the first ``:`` or space."""
    end = min((i for i in (key.find(":"), key.find(" ")) if i >= 0), default=len(key))
    return key[:end]
