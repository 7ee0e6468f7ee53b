"""JUnit XML for CI systems: one testsuite per side, one testcase per case.

FAIL is a ``<failure>``; ERROR (the case could not be run) is an ``<error>``; INFORMATIONAL is
``<skipped>`` (recorded, not judged); NON-STRICT passes with its reason in ``<system-out>``.

The file is always well-formed XML 1.0: a peer's octets and a client's error output can hold any
character, and the ones XML 1.0 cannot carry at all (C0 controls other than tab, line feed and
carriage return, lone surrogates, U+FFFE and U+FFFF) are written in the corpus notation
(``{x1B}``; ``{uFFFE}`` above U+00FF) instead.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.model import Result, Verdict

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold written as ``{xHH}``."""
    return _NOT_XML.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"{{x{code:02X}}}" if code < 0x100 else f"{{u{code:04X}}}"


def _element(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, {key: xml_safe(value) for key, value in attrs.items()})
    if text is not None:
        node.text = xml_safe(text)
    return node


def to_xml(results: list[Result], meta: dict[str, str]) -> ET.Element:
    """The report as an element tree rooted at ``<testsuites>``."""
    root = ET.Element("testsuites", name=xml_safe(f"conformance {meta.get('target', '')}".strip()))
    for side in sorted({r.case.side for r in results}):
        chosen = [r for r in results if r.case.side == side]
        suite = _element(
            root,
            "testsuite",
            name=f"conformance.{side}",
            tests=str(len(chosen)),
            failures=str(sum(r.verdict is Verdict.FAIL for r in chosen)),
            errors=str(sum(r.verdict is Verdict.ERROR for r in chosen)),
            skipped=str(sum(r.verdict is Verdict.INFORMATIONAL for r in chosen)),
            time=f"{sum(r.duration for r in chosen):.3f}",
        )
        for result in chosen:
            _testcase(suite, result)
    return root


def _testcase(suite: ET.Element, result: Result) -> None:
    case = result.case
    node = _element(
        suite,
        "testcase",
        name=case.id,
        classname=f"conformance.{case.protocol}.{case.side}",
        time=f"{result.duration:.3f}",
    )
    text = f"{case.level} {', '.join(case.rfc)}: {case.description}\n{result.reason}"
    details = f"{text}\nexpected: {result.expected}\nobserved: {result.observed}"
    if result.verdict is Verdict.FAIL:
        _element(node, "failure", details, message=result.reason, type=case.level)
    elif result.verdict is Verdict.ERROR:
        _element(node, "error", details, message=result.reason, type="ERROR")
    elif result.verdict is Verdict.INFORMATIONAL:
        _element(node, "skipped", message=result.reason)
    _element(node, "system-out", f"{result.verdict.value}: {text}\nobserved: {result.observed}")


def write_junit(results: list[Result], path: Path, meta: dict[str, str]) -> None:
    """Write the JUnit XML report to ``path``."""
    tree = ET.ElementTree(to_xml(results, meta))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
