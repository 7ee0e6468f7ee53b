"""JUnit XML for CI systems: one testsuite per side, one testcase per case.

FAIL is a ``<failure>``; INFORMATIONAL is ``<skipped>`` (recorded, not judged); NON-STRICT passes
with its reason in ``<system-out>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.model import Result, Verdict


def to_xml(results: list[Result], meta: dict[str, str]) -> ET.Element:
    """The report as an element tree rooted at ``<testsuites>``."""
    root = ET.Element("testsuites", name=f"conformance {meta.get('target', '')}".strip())
    for side in sorted({r.case.side for r in results}):
        chosen = [r for r in results if r.case.side == side]
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"conformance.{side}",
            tests=str(len(chosen)),
            failures=str(sum(r.verdict is Verdict.FAIL for r in chosen)),
            skipped=str(sum(r.verdict is Verdict.INFORMATIONAL for r in chosen)),
            errors="0",
            time=f"{sum(r.duration for r in chosen):.3f}",
        )
        for result in chosen:
            case = result.case
            node = ET.SubElement(
                suite,
                "testcase",
                name=case.id,
                classname=f"conformance.{case.protocol}.{case.side}",
                time=f"{result.duration:.3f}",
            )
            text = f"{case.level} {', '.join(case.rfc)}: {case.description}\n{result.reason}"
            if result.verdict is Verdict.FAIL:
                failure = ET.SubElement(node, "failure", message=result.reason, type=case.level)
                failure.text = f"{text}\nexpected: {result.expected}\nobserved: {result.observed}"
            elif result.verdict is Verdict.INFORMATIONAL:
                ET.SubElement(node, "skipped", message=result.reason)
            out = ET.SubElement(node, "system-out")
            out.text = f"{result.verdict.value}: {text}\nobserved: {result.observed}"
    return root


def write_junit(results: list[Result], path: Path, meta: dict[str, str]) -> None:
    """Write the JUnit XML report to ``path``."""
    tree = ET.ElementTree(to_xml(results, meta))
    ET.indent(tree)
    tree.write(path, encoding="utf-8", xml_declaration=True)
