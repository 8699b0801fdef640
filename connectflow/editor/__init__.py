"""The editor bridge: JavaScript that runs in the Webex Connect Flow Builder.

``export.js`` serializes the open flow into the JSON connectflow reads; ``apply.js``
(written by ``patch --editor-script``) writes patch's changes into the open flow. Both
are data files shipped in the wheel; this module only renders them: the shared part
(``common.js``) and the body are wrapped in one function whose result is the snippet's
completion value, and values are embedded as JSON literals that cannot end the script
(see :func:`js_literal`). docs/tenant-round-trip.md is the user's guide.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

# Characters that must not appear raw in a script: "<" (ends a <script> element or opens an HTML
# comment), ">" and "&" (HTML contexts), U+2028/U+2029 (line terminators in older JavaScript).
_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def js_literal(value: Any) -> str:
    """``value`` as a JavaScript literal that is also valid JSON and cannot break out of the script.

    JSON escapes quotes and backslashes; the characters above can only occur inside JSON
    strings, where their ``\\uXXXX`` escapes denote the same text. No template literal is
    used anywhere, so ``${...}`` in a value is just text.
    """
    text = json.dumps(value, ensure_ascii=False)
    return "".join(_UNSAFE.get(char, char) for char in text)


def _source(name: str) -> str:
    # a plain file beside this module, as catalogue.toml: patch imports this package on every run,
    # and importlib.resources brings tempfile, shutil, bz2 and lzma (1.5 MB of a 10 MB patch's peak)
    with open(os.path.join(os.path.dirname(__file__), name), encoding="utf-8") as file:
        return file.read()


def render(name: str, **values: Any) -> str:
    """The snippet ``name`` (``export.js``, ``apply.js``) with ``/*CONNECTFLOW:KEY*/null`` filled in."""
    body = _source(name)
    for key, value in values.items():
        marker = f"/*CONNECTFLOW:{key}*/null"
        if body.count(marker) != 1:
            raise ValueError(f"{name}: expected one {marker}")
        head, _, tail = body.partition(marker)
        body = head + js_literal(value) + tail
    return f'(function () {{\n"use strict";\n{_source("common.js")}\n{body}\n}})();\n'


def export_snippet(*, redact: bool = False, download: bool = True, alert: bool = False) -> str:
    return render("export.js", OPTIONS={"redact": redact, "download": download, "alert": alert})


def bookmarklet(*, redact: bool = False) -> str:
    """A ``javascript:`` URL: ``void`` so the page is not replaced by the snippet's result."""
    return "javascript:" + quote("void " + export_snippet(redact=redact, alert=True), safe="!*'();:@&=+$,/?[]~")


__all__ = ["bookmarklet", "export_snippet", "js_literal", "render"]
