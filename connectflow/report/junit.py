"""JUnit XML: one test suite per flow file, one test case per finding (CI test tabs).

Follows the Apache Ant schema that Jenkins, GitLab, Azure DevOps and CircleCI read
(vendored in tests/schemas/JUnit.xsd). A clean file is one passing test case; an
unreadable file an ``error``; a suppressed finding a ``skipped`` case with its reason.
"""

from __future__ import annotations

from datetime import datetime, timezone
from itertools import groupby
from xml.etree.ElementTree import Element, SubElement, tostring

from connectflow.report.common import ordered, related_text, visible


def _case(suite: Element, f, path: str) -> str:
    where = f" at {f.line}:{f.column}" if f.line else ""
    case = SubElement(suite, "testcase", name=visible(f"{f.rule} {f.name}{where}"), classname=visible(path), time="0")
    node = f"node: {f.node_label} ({f.node_id})\n" if f.node_id else ""
    body = visible(f"{f.message}{related_text(f)}") + "\n" + visible(node) + (f"pointer: {visible(f.pointer)}\n" if f.pointer else "") \
        + (f"fix: {visible(f.fix)}\n" if f.fix else "")
    if f.suppressed is not None:
        SubElement(case, "skipped", message=visible(f"suppressed: {f.suppressed}"))
        return "skipped"
    kind = "error" if f.rule == "CF000" else "failure"
    SubElement(case, kind, message=visible(f.message), type=f.severity.value).text = body
    return kind


def render(result, registry, *, statistics: bool = False, color=None, **_) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    root = Element("testsuites")
    everything = ordered([*result.findings, *getattr(result, "suppressed", [])])
    by_file = {path: list(group) for path, group in groupby(everything, key=lambda f: f.path)}
    for index, (path, findings) in enumerate(by_file.items()):
        suite = SubElement(root, "testsuite", name=visible(path), package="connectflow", id=str(index),
                           timestamp=stamp, hostname="localhost", time="0")
        SubElement(suite, "properties")
        kinds = [_case(suite, f, path) for f in findings]
        suite.set("tests", str(len(kinds)))
        for kind, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
            suite.set(attribute, str(kinds.count(kind)))
        SubElement(suite, "system-out")
        SubElement(suite, "system-err")
    clean = result.files - len({f.path for f in everything if f.rule != "CF001"})
    if clean > 0:  # files without findings: one suite, all passing
        suite = SubElement(root, "testsuite", name="connectflow lint (clean flows)", package="connectflow",
                           id=str(len(by_file)), timestamp=stamp, hostname="localhost", time="0",
                           tests=str(clean), failures="0", errors="0", skipped="0")
        SubElement(suite, "properties")
        for n in range(clean):
            SubElement(suite, "testcase", name=f"clean flow {n + 1}", classname="connectflow", time="0")
        SubElement(suite, "system-out")
        SubElement(suite, "system-err")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode")
