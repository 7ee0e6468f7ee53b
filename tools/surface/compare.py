"""Comparing two introspection documents: aiohttp 3.14.5's (the reference) and ours.

Differences are what a program written for 3.14.5 could trip over; extras are what only we have
(names, members, optional parameters, bases), reported as information. Each finding has a stable
key, see ``tools/api_surface.py`` for the forms.
"""

from __future__ import annotations

from collections import defaultdict

from .model import Finding, MemberDoc, ModuleDoc, NameDoc, ObjectDoc, Snapshot, module_of
from .signatures import by_position, compare_signatures

# Kinds a caller cannot tell apart: both are read as ``obj.name``, both are called.
SAME_KIND = {"property": "attribute", "callable": "function"}
OBJECT_KINDS = frozenset({"class", "function", "coroutine function", "async generator function"})
ROOT = "aiohttp"


def _kind(kind: str | None) -> str:
    return SAME_KIND.get(kind or "", kind or "")


class Comparison:
    """Walks the reference document and reports how ours differs from it."""

    def __init__(self, ref: Snapshot, ours: Snapshot) -> None:
        self.ref = ref
        self.ours = ours
        self.differences: dict[str, Finding] = {}
        self.extras: dict[str, Finding] = {}
        # reference ident of each compared object -> our ident at the same place
        self.counterparts: dict[str, str] = {}

    def differ(self, key: str, kind: str) -> None:
        self.differences.setdefault(key, Finding(module_of(key), key, kind))

    def extra(self, key: str, kind: str) -> None:
        self.extras.setdefault(key, Finding(module_of(key), key, kind))

    def run(self) -> tuple[list[Finding], list[Finding]]:
        """All differences and all extras, each sorted by module and key."""
        for module, doc in self.ref["modules"].items():
            if doc.get("error") is None:
                self._module(module, doc, self.ours["modules"].get(module))
        for module, doc in self.ours["modules"].items():
            if module not in self.ref["modules"] and doc.get("error") is None:
                self.extra(f"{module} extra", "module")
        self._objects()
        return sorted(self.differences.values()), sorted(self.extras.values())

    # ------------------------------------------------------------------------- modules

    def _module(self, module: str, ref: ModuleDoc, ours: ModuleDoc | None) -> None:
        error = "missing" if ours is None else ours.get("error")
        if error == "missing":
            self.differ(f"{module} missing", "module")
            return
        if error is not None or ours is None:
            self.differ(f"{module} import error", "module")
            return
        if ref.get("has_all") and not ours.get("has_all"):
            self.differ(f"{module}:__all__ missing", "__all__")
        ref_names, our_names = ref.get("names", {}), ours.get("names", {})
        for name, entry in ref_names.items():
            other = self._our_entry(module, name)
            if other is None:
                self.differ(f"{module}:{name} missing", "name")
            else:
                self._name(f"{module}:{name}", entry, other)
        for name in our_names.keys() - ref_names.keys():
            self.extra(f"{module}:{name} extra", "name")

    def _our_entry(self, module: str, name: str) -> NameDoc | None:
        """Our entry for a public name of 3.14.5's module.

        Where 3.14.5's module has no ``__all__``, it promises only that the name imports from
        it, so a name we import there without listing it in our ``__all__`` is present too.
        """
        ours = self.ours["modules"].get(module, {})
        entry = ours.get("names", {}).get(name)
        if entry is None and not self.ref["modules"][module].get("has_all"):
            entry = ours.get("others", {}).get(name)
        return entry

    def _same_kind(self, prefix: str, kind: str, other: str) -> bool:
        if _kind(kind) != _kind(other):
            self.differ(f"{prefix} kind {kind} != {other}", "kind")
            return False
        return True

    def _name(self, prefix: str, ref: NameDoc, ours: NameDoc) -> None:
        kind, other = ref.get("kind", ""), ours.get("kind", "")
        if not self._same_kind(prefix, kind, other):
            return
        if kind == "constant":
            if ref.get("type") != ours.get("type"):
                self.differ(f"{prefix} type {ref.get('type')} != {ours.get('type')}", "type")
            elif "value" in ref and ref["value"] != ours.get("value"):
                self.differ(f"{prefix} value {ref['value']} != {ours.get('value')}", "value")
        elif kind == "callable" or other == "callable":
            compare_signatures(
                prefix,
                self._signature(self.ref, ref),
                self._signature(self.ours, ours),
                self.differ,
                self.extra,
            )

    @staticmethod
    def _signature(snapshot: Snapshot, entry: NameDoc) -> list[list[str | None]] | None:
        if "ident" in entry:
            return snapshot["objects"].get(entry["ident"], {}).get("signature")
        return entry.get("signature")

    # ------------------------------------------------------------------------- objects

    def _objects(self) -> None:
        """Compare each class and function once, where 3.14.5 is most at home.

        The other places 3.14.5 exports the same object must export the same object here too.
        Members and bases a class inherits unchanged from a public base compared elsewhere are
        compared on that base only.
        """
        places: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for module, doc in self.ref["modules"].items():
            for name, entry in doc.get("names", {}).items():
                if entry.get("kind") in OBJECT_KINDS and "ident" in entry:
                    places[entry["ident"]].append((module, name))
        homes: dict[str, tuple[str, str]] = {}
        for ident, where in places.items():
            ordered = sorted(where, key=lambda place: self._preference(ident, place))
            home = next((place for place in ordered if self._ours_at(place)), None)
            if home is None:
                continue
            homes[ident] = home
            self.counterparts[ident] = self._ours_at(home) or ""
            for module, name in ordered:
                found = self._ours_at((module, name))
                if found is not None and found != self.counterparts[ident]:
                    self.differ(f"{module}:{name} is not {home[0]}:{home[1]}", "identity")
        for ident, (module, name) in homes.items():
            self._object(f"{module}:{name}", self.ref["objects"][ident], self.counterparts[ident])

    def _preference(self, ident: str, place: tuple[str, str]) -> tuple[int, str]:
        """Where an object is compared: its defining module, then an ``__all__``, then the root."""
        module, name = place
        doc = self.ref["objects"].get(ident, {})
        if doc.get("module") == module and ident == f"{module}.{name}":
            return (0, module)
        if module != ROOT and self.ref["modules"][module].get("has_all"):
            return (1, module)
        return (2 if module == ROOT else 3, module)

    def _ours_at(self, place: tuple[str, str]) -> str | None:
        """Our object's ident at a place, when it is the same kind of thing as 3.14.5's."""
        module, name = place
        ours = self._our_entry(module, name)
        ref = self.ref["modules"][module]["names"][name]
        if ours is None or "ident" not in ours or _kind(ours.get("kind")) != _kind(ref.get("kind")):
            return None
        return ours["ident"]

    def _object(self, prefix: str, ref: ObjectDoc, our_ident: str) -> None:
        ours = self.ours["objects"].get(our_ident, {})
        if ref.get("kind") != "class":
            compare_signatures(
                prefix, ref.get("signature"), ours.get("signature"), self.differ, self.extra
            )
            return
        self._bases(prefix, ref.get("bases", {}), ours.get("bases", {}))
        self._enum(prefix, ref.get("enum") or {}, ours.get("enum") or {})
        ref_members, our_members = ref.get("members", {}), ours.get("members", {})
        for name, member in ref_members.items():
            other = our_members.get(name)
            if self._inherited(member, other):
                continue
            if other is None:
                self.differ(f"{prefix}.{name} missing", "member")
            else:
                self._member(f"{prefix}.{name}", member, other)
        mine = set(self.counterparts.values())
        for name in our_members.keys() - ref_members.keys():
            if our_members[name].get("provider") not in mine:
                self.extra(f"{prefix}.{name} extra", "member")

    def _inherited(self, ref: MemberDoc, ours: MemberDoc | None) -> bool:
        """Whether both sides inherit the member from the same compared base (or ours lacks it)."""
        base = ref.get("provider")
        if base is None or base not in self.counterparts:
            return False
        return ours is None or ours.get("provider") == self.counterparts[base]

    def _bases(self, prefix: str, ref: dict[str, str | None], ours: dict[str, str | None]) -> None:
        through: set[str] = set()  # bases that come with a compared base, and are checked there
        for ident in ref.values():
            if ident is not None and ident in self.counterparts:
                through.update(self.ref["objects"][ident].get("bases", {}))
        for base in ref:
            if base not in ours and base not in through:
                self.differ(f"{prefix} base {base} missing", "base")
        ours_through: set[str] = set()
        for ident in ours.values():
            if ident is not None and ident in self.counterparts.values():
                ours_through.update(self.ours["objects"][ident].get("bases", {}))
        for base in ours:
            if base not in ref and base not in ours_through:
                self.extra(f"{prefix} base {base} extra", "base")

    def _enum(self, prefix: str, ref: dict[str, str], ours: dict[str, str]) -> None:
        for name, value in ref.items():
            if name not in ours:
                self.differ(f"{prefix}.{name} missing", "enum")
            elif ours[name] != value:
                self.differ(f"{prefix}.{name} value {value} != {ours[name]}", "enum")
        for name in ours.keys() - ref.keys():
            self.extra(f"{prefix}.{name} extra", "enum")

    def _member(self, prefix: str, ref: MemberDoc, ours: MemberDoc) -> None:
        if not self._same_kind(prefix, ref.get("kind", ""), ours.get("kind", "")):
            return
        if "value" in ref and "value" in ours and ref["value"] != ours["value"]:
            self.differ(f"{prefix} value {ref['value']} != {ours['value']}", "value")
        if "signature" in ref and "signature" in ours:
            theirs, mine = ref["signature"], ours["signature"]
            if prefix.endswith("__") and not prefix.endswith(("__init__", "__call__")):
                theirs, mine = by_position(theirs), by_position(mine)
            compare_signatures(prefix, theirs, mine, self.differ, self.extra)


def compare(ref: Snapshot, ours: Snapshot) -> tuple[list[Finding], list[Finding]]:
    """The differences and the extras of ``ours`` against the reference ``ref``."""
    return Comparison(ref, ours).run()
