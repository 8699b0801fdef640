"""mxGraph XML (``<mxGraphModel>``): recognized, not yet loaded.

The editor's canvas is an mxGraph model whose node values are XML elements, so
an XML serialization is plausible. No real XML export has been seen, and the
way mxGraph nests element values around ``<mxCell>`` is not pinned down, so we
recognize the document and say plainly that it is not supported yet rather
than guess a mapping (see README, "Input formats").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def parse_mxgraph(path: str | Path, text: str) -> Any:
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    from connectflow.load import LoadError

    try:
        root = fromstring(text)
    except ParseError as err:
        raise LoadError(path, f"invalid XML: {err}", "xml") from None
    except DefusedXmlException as err:
        raise LoadError(path, f"XML refused for safety: {type(err).__name__}", "xml") from None
    if root.tag not in ("mxGraphModel", "mxfile"):
        raise LoadError(path, f"XML document <{root.tag}> is not an mxGraph flow model", "not-a-flow")
    raise LoadError(
        path,
        "mxGraph XML flow recognized but not yet supported; export the flow as JSON and lint that",
        "xml-unsupported",
    )
