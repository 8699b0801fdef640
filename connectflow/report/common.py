"""What several formats share: counts, the summary sentence, safe display of file text."""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

SEVERITIES = ("error", "warning", "info")

# C0/C1 controls, DEL, and bidirectional overrides: text from a flow file must not move the
# cursor, recolour the terminal, or reorder what a reviewer reads (Trojan Source).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str | None) -> str:
    """``text`` with control and bidi characters shown as escapes; newlines and tabs as spaces."""
    if not text:
        return ""
    text = text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def ordered(findings) -> list:
    return sorted(findings, key=lambda f: f.sort_key)


def most_severe_first(findings) -> list:
    return sorted(findings, key=lambda f: (-f.severity.rank, f.sort_key))


def counts(findings) -> Counter:
    return Counter(f.severity.value for f in findings)


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def totals(findings) -> str:
    """"69 errors, 7 infos" or "no findings"."""
    c = counts(findings)
    parts = [plural(c[s], s) for s in SEVERITIES if c[s]]
    return ", ".join(parts) if parts else "no findings"


def acceptance_note(result) -> str:
    """"3 suppressed (1 by the profile, 2 by the baseline), 1 baseline entry fixed", or ""."""
    parts = []
    suppressed = getattr(result, "suppressed", [])
    if suppressed:
        by_baseline = sum(1 for f in suppressed if f.suppressed == "baseline")
        by_profile = len(suppressed) - by_baseline
        detail = ", ".join(filter(None, [f"{by_profile} by the profile" if by_profile else "",
                                         f"{by_baseline} by the baseline" if by_baseline else ""]))
        parts.append(f"{len(suppressed)} suppressed ({detail})")
    fixed = getattr(result, "fixed", [])
    if fixed:
        parts.append(f"{plural(len(fixed), 'baseline entry')} fixed".replace("entrys", "entries"))
    return ", ".join(parts)


def summary(result) -> str:
    """"13 flows checked: 69 errors, 7 infos." (+ suppressed and fixed counts)."""
    line = f"{plural(result.files, 'flow')} checked: {totals(result.findings)}."
    note = acceptance_note(result)
    return f"{line} {note[0].upper()}{note[1:]}." if note else line


def profile_note(result) -> str:
    profiles = getattr(result, "profiles", [])
    if not profiles:
        return "No profile found (connectflow.toml, or [tool.connectflow] in pyproject.toml, above the flows)."
    note = f"Profile: {', '.join(profiles)}"
    if getattr(result, "unprofiled", 0):
        note += f" ({plural(result.unprofiled, 'flow')} without one)"
    return note + "."


def fixable_note(result) -> str | None:
    fixable = sum(1 for f in result.findings if f.fixable)
    if not fixable:
        return None
    profiles = getattr(result, "profiles", [])
    if len(profiles) == 1:
        return f"{fixable} of these can be fixed with `connectflow patch --profile {profiles[0]}`."
    return (f"{fixable} of these can be fixed with `connectflow patch --profile P` "
            "(P: a profile with the tenant's values, like samples/tenant.toml).")


def related_text(finding) -> str:
    """`` (see a.json:12; b.json:40)``: the other flows a cross-flow finding involves, for formats
    that have no field of their own for them (SARIF has relatedLocations, json ``related``)."""
    if not finding.related:
        return ""
    places = "; ".join(r.path + (f":{r.line}" if r.line else "") for r in finding.related)
    return f" (see {places})"


def json_text(document: Any) -> str:
    """``json.dumps(document, indent=2, ensure_ascii=False)``, written by orjson where that is
    the same text (a tenth of the time for a thousand findings). orjson spells floats its own way
    ("1e-7" for "1e-07"), and serializes some types json refuses, so a document holding a float,
    a subclass, a key that is no string or an integer over 64 bits is json's to write."""
    import orjson

    if not _holds_float(document):
        try:
            return orjson.dumps(document, default=_refuse, option=orjson.OPT_INDENT_2 | orjson.OPT_PASSTHROUGH_SUBCLASS
                                | orjson.OPT_PASSTHROUGH_DATACLASS | orjson.OPT_PASSTHROUGH_DATETIME).decode()
        except TypeError:
            pass
    return json.dumps(document, indent=2, ensure_ascii=False)


def _refuse(value: Any) -> Any:
    raise TypeError(type(value).__name__)


def _holds_float(value: Any) -> bool:
    # A loop over a stack of the containers, no call or generator per value (a thousand
    # findings' dicts hold some 30,000).
    stack = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is float:
            return True
        if kind is dict:
            items = item.values()
        elif kind is list or kind is tuple:
            items = item
        else:
            continue
        for child in items:
            kind = type(child)
            if kind is float:
                return True
            if kind is dict or kind is list or kind is tuple:
                stack.append(child)
    return False
