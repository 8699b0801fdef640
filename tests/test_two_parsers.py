"""orjson reads most documents (decode.loads); its answer must be the standard decoder's, and
every refusal the standard decoder's words."""

from __future__ import annotations

import json
import random

import pytest

from conftest import REFERENCE_FLOWS, needs_reference
from connectflow.load import decode
from connectflow.load.decode import loads


def _outcome(read, text: str):
    """What a caller sees: the value (with its types, spelt by json) or the refusal's words."""
    try:
        value = read(text)
    except ValueError as err:
        return "refused", type(err).__name__, str(err)
    return "read", type(value).__name__, repr(value) if isinstance(value, float) else json.dumps(value)


EDGES = [
    "{}", "[]", "1", "-0", "0.0", "-0.0", "1e5", "1E+5", "1e-5", "01", "-", "1.", ".5", "+1", "1e", '"a"', '"\\/"',
    '"\\x"', '"\\u00"', "\ufeff{}", " {} ", "\t[1]\n", "\x0b[]", "\x0c[]", "\xa0[]", "[1,]", '{"a":1,}', '{"a" 1}',
    "[1 2]", "true", "tru", "null", "NaN", "-Infinity", "[NaN]", "1e999", "-1e999", "[1e999]", "[1e-400]", "[5e-324]",
    "[1.7976931348623157e308]", "[1.7976931348623159e308]", "9" * 19, "9" * 20, "9" * 21, "-" + "9" * 20,
    "1" * 1000, "1" * 1001, "[" + "1" * 1001 + "]", "0." + "1" * 2000,
    # integers too wide for 64 bits, which orjson reads as floats, and floats that look like them
    "[18446744073709551615]", "[18446744073709551616]", "[-9223372036854775808]", "[-9223372036854775809]",
    '{"id": 123456789012345678901234567890}', "[1.0e19]", "[10000000000000000000.0]", "1e19",
    '"\\ud800"', '"\\ud83d\\ude00"', '"\\udc00\\ud800"', '["\\ud800"]', '{"\\ud800": 1}', '"\x00"', '"\\u0000"',
    "[" * 99 + "]" * 99, "[" * 100 + "]" * 100, "[" * 101 + "]" * 101, "[" * 1100 + "]" * 1100,
    '["' + "[" * 120 + '"]', '"' + "[" * 120 + '"', '{"a":"{\\"b\\":[1]}"}', '{"a":1,"a":2}', "  ", "", "x", "[]x",
    "{}{}", '"\x7f\u2028"', '{"k":"v"}  \n',
]


@pytest.mark.parametrize("text", EDGES, ids=lambda t: repr(t[:30]))
def test_loads_answers_as_the_standard_decoder(text):
    assert _outcome(loads, text) == _outcome(decode._by_json, text)


def test_an_integer_wider_than_64_bits_stays_an_integer():
    """orjson reads it as a float: the document goes to the standard decoder."""
    assert loads('{"id": 18446744073709551616}') == {"id": 18446744073709551616}
    assert type(loads("[-9223372036854775809]")[0]) is int


@needs_reference
def test_damaged_reference_flows_are_answered_alike():
    """Flows cut short, with a character added or some removed: both decoders give the same
    value or the same refusal."""
    rng = random.Random(14)
    texts = [path.read_text(encoding="utf-8") for path in REFERENCE_FLOWS]
    inserts = ['"', "\\", "{", "[", "]", "}", ",", ":", "1", "e", "-", "\x00", "\\ud800", "9" * 25, " ", "NaN"]
    for _ in range(1500):
        text = rng.choice(texts)
        at = rng.randrange(len(text))
        damage = rng.random()
        if damage < 0.4:
            text = text[:at] + rng.choice(inserts) + text[at:]
        elif damage < 0.7:
            text = text[:at] + text[at + rng.randint(1, 5):]
        else:
            text = text[:at]
        assert _outcome(loads, text) == _outcome(decode._by_json, text), repr(text[max(0, at - 40):at + 40])


@needs_reference
@pytest.mark.parametrize("path", REFERENCE_FLOWS, ids=lambda p: p.name)
def test_reference_flows_are_read_by_orjson(path):
    """The fast path is the one taken for real flows (else it would only cost)."""
    text = path.read_text(encoding="utf-8")
    assert decode.by_orjson(text) is not decode.UNDECIDED
    assert decode.by_orjson(text) == decode.by_orjson(text.encode()) == decode._by_json(text)


def test_a_string_read_keeps_no_copy_of_itself():
    """orjson given a str that is not ASCII keeps its UTF-8 form inside it, as long as the string
    lives (a flow's settings stored as strings live as long as the flow): loads gives it bytes."""
    import gc
    import tracemalloc

    text = json.dumps(["日本語のテキスト" * 10] * 2000, ensure_ascii=False)
    tracemalloc.start()
    try:
        loads(text)
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert kept < len(text.encode("utf-8")) // 4, kept
