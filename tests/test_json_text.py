"""report.common.json_text writes what json.dumps(indent=2, ensure_ascii=False) writes: the JSON,
SARIF and GitLab outputs keep their bytes whichever writer made them."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from connectflow.cli import cli
from connectflow.report.common import json_text

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
CONTROLS = "".join(chr(i) for i in range(0x80)) + "\u2028\u2029\x85\ufeff\ud7ff\ue000é😀"


class Colour(str, enum.Enum):
    RED = "red"


class Number(int):
    pass


DOCUMENTS = {
    "empty containers": {"a": {}, "b": [], "c": [{}, []], "d": {"e": {"f": []}}},
    "every character": {"k" + CONTROLS: [CONTROLS, 1, -5, True, False, None]},
    "floats": {"a": [1.5, 1e-07, 1e16, -0.0, 6.060779390535027e-05]},
    "nested float": [{"x": [{"y": 2.5}]}],
    "wide integer": {"id": 18446744073709551616},
    "key that is no string": {1: "one", None: "none", True: "yes"},
    "str enum": {"severity": Colour.RED},
    "int subclass": {"line": Number(3)},
    "tuple": {"pair": (1, "two")},
    "top-level list": [1, "two", None],
    "scalar": "just a string",
}


@pytest.mark.parametrize("name", DOCUMENTS)
def test_json_text_is_json_dumps(name):
    document = DOCUMENTS[name]
    assert json_text(document) == json.dumps(document, indent=2, ensure_ascii=False)


def test_what_json_refuses_stays_refused():
    with pytest.raises(TypeError):
        json_text({"set": {1, 2}})


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_lint_output_is_json_dumps_of_its_document(fmt, monkeypatch):
    """The samples' findings as each format prints them, against json.dumps of the same document."""
    import connectflow.report.common as common

    runner = CliRunner()
    written = runner.invoke(cli, ["lint", "--no-bundle", "--format", fmt, str(SAMPLES)]).output
    monkeypatch.setattr(common, "json_text", lambda document: json.dumps(document, indent=2, ensure_ascii=False))
    for module in ("json_", "sarif", "gitlab"):
        monkeypatch.setattr(f"connectflow.report.{module}.json_text", common.json_text)
    assert runner.invoke(cli, ["lint", "--no-bundle", "--format", fmt, str(SAMPLES)]).output == written
    assert json.loads(written)
