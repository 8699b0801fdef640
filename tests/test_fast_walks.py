"""The whole-document walks that lint runs on every flow (``redact.secrets_in`` for masking,
``template_values._scalars`` for CF230 and patch) remember what each distinct string and key
holds instead of working it out at every occurrence. They must answer exactly as the plain
walks they replaced, kept here as the reference: same secrets, same matches with the same
pointers in the same order, same copy reported per setting, on every reference flow and
sample, in both encodings, raw and decoded, and on copies seeded with credentials and
catalogue values in awkward places."""

from __future__ import annotations

import copy
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import REFERENCE_FLOWS
from connectflow import redact, template_values
from connectflow.copies import CopyFinder
from connectflow.load import load_bytes
from connectflow.load.decode import loads
from connectflow.load.locate import join
from connectflow.model import _JSON_START, as_text, build_flow, decoded_document
from flowkit import dumps, encode

ROOT = Path(__file__).resolve().parents[1]
FLOWS = sorted(ROOT.glob("samples/cce/*.json")) + REFERENCE_FLOWS


# -- the reference: the walks as they were, one value at a time ----------------------------------

def reference_secrets_in(document):
    found = set()
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            label = item.get("name", item.get("key", item.get("header")))
            if redact.is_secret_key(label) and isinstance(item.get("value"), (str, int)):
                found.add(str(item["value"]))
            attributes = item.get("attributes")
            if isinstance(attributes, dict) and redact.is_secret_key(attributes.get("name")) \
                    and isinstance(item.get("text"), str) and item["text"][:1] not in ("{", "["):
                found.add(item["text"])
            for key, child in item.items():
                if redact.is_secret_key(key) and isinstance(child, (str, int)) and not isinstance(child, bool):
                    found.add(str(child))
                stack.append(child)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            if item[:1] in ("{", "["):
                try:
                    stack.append(loads(item))
                    continue
                except ValueError:
                    pass
            if ("=" in item or ":" in item) and redact._HEADER_WORD.search(item):
                found.update(m.group("value") for m in redact._HEADER.finditer(item)
                             if redact._HEADER_WORD.search(m.group("key")) and redact.is_secret_key(m.group("key")))
    return {value for value in found if len(value) >= 4 and not value.startswith(redact.MASK)}


def reference_match(stored):
    if isinstance(stored, (dict, list)) or stored is None or isinstance(stored, bool):
        return None
    exact, pattern, _ = template_values._matchers()
    plain = isinstance(stored, str) and stored[:1] not in _JSON_START
    text = stored if plain else as_text(stored)
    if text in exact:
        return exact[text]
    if not isinstance(stored, str) or pattern is None:
        return None
    found = pattern.search(template_values.REFERENCE.sub("\0", text) if "$(" in text else text)
    return exact[found.group(0)] if found else None


def reference_scalars(value, path, found):
    for key, item in (value.items() if isinstance(value, dict) else enumerate(value)):
        if isinstance(item, str) and item[:1] in ("{", "["):
            try:
                inner = loads(item)
            except ValueError:
                inner = None
            if isinstance(inner, (dict, list)):
                item = inner
        if isinstance(item, (dict, list)):
            if key not in template_values.NOISE_KEYS:
                reference_scalars(item, [*path, key], found)
            continue
        entry = None if item is None or isinstance(item, bool) else reference_match(item)
        if entry is not None and key not in template_values.NOISE_KEYS:
            found.append((join(*path, key), item, entry))


def reference_first_of_each_setting(flow, found):
    copies_at = CopyFinder(flow).at
    seen, kept = set(), []
    count = Counter((o.pointer, o.entry.value) for o in found)
    for occurrence in found:
        group = [c.pointer for c in copies_at(occurrence.pointer)] or [occurrence.pointer]
        if any((p, occurrence.entry.value) in seen for p in group):
            continue
        seen |= {(p, occurrence.entry.value) for p in group}
        kept.append((occurrence, sum(count[(p, occurrence.entry.value)] for p in set(group))))
    return kept


# -- inputs ------------------------------------------------------------------------------------

SMS, URL = "447418369300", "www.google.com"


def seeded(document: dict) -> dict:
    """A copy with credentials and catalogue values spread over its objects and lists, in
    every form the walks tell apart (the same values repeat, as a flow's strings do)."""
    document = copy.deepcopy(document)
    objects = []

    def collect(value):
        if isinstance(value, dict):
            objects.append(value)
            for child in list(value.values()):
                collect(child)
        elif isinstance(value, list):
            for child in list(value):
                collect(child)

    collect(document)
    for n, item in enumerate(objects):
        kind = n % 13
        if kind == 0:
            item["apiToken"] = f"tok-{n % 5:08d}"
        elif kind == 1:
            item["password7"] = 12345678 + n % 3
            item["x-api-key"] = True  # a flag, not a credential
        elif kind == 2:
            item["headers"] = [{"key": "Authorization", "value": "Bearer sekret-abcdefghijkl"},
                               {"name": "clientSecret", "value": n % 2 == 0}]
        elif kind == 3:
            item["curl"] = f"curl -H 'Authorization: Bearer hdr-{n % 4}-0123456789' -H 'x-api-key: k{n % 2}-987654'"
        elif kind == 4:
            item["setting"] = json.dumps({"attributes": {"name": "apiKey"}, "text": "param-sekret-42",
                                          "number": SMS, "call": f"dial {SMS} now"})
        elif kind == 5:
            item["param"] = {"attributes": {"name": "sessionId"}, "text": f"session-{n % 3}-abcdef"}
            item["encoded_param"] = {"attributes": {"name": "token"}, "text": '{"not": "masked"}'}
        elif kind == 6:
            item["dynamic_output_vars"] = [SMS, {"x": URL}]
            item["copy_used_vars"] = URL
        elif kind == 7:
            item["numbers"] = [int(SMS), float(SMS), SMS + " ", "0" + SMS, True, None, 1.5]
        elif kind == 8:
            item["texts"] = [f"$({URL})", f"see {URL}/path", f"x{URL}", '["' + URL + '"]', "{not json", "[redacted]"]
        elif kind == 9:
            item["key"] = "Authorization"
            item["value"] = f"Bearer row-{n % 2}-0123456789"
        elif kind == 10:
            item["odd/key~name"] = [SMS, {"a/b": URL}]
            item["nested"] = json.dumps({"inner": json.dumps([SMS, {"password": "deep-sekret-1"}])})
        elif kind == 11:
            item["label"] = '["token"]'
            item["name"] = item.get("name", "AgentSessionId")
    return document


def documents():
    for path in FLOWS:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for label, document in (("plain", raw), ("seeded", seeded(raw))):
            for encoding, data in (("decoded", document), ("encoded", encode(document))):
                yield f"{path.name}:{label}:{encoding}", load_bytes(path.name, dumps(data).encode()).data


CASES = list(documents())


@pytest.mark.parametrize("name,data", CASES, ids=[name for name, _ in CASES])
def test_secrets_in_finds_what_the_plain_walk_finds(name, data):
    for document in (data, decoded_document(data)):
        assert redact.secrets_in(document) == reference_secrets_in(document)
    if ":seeded:" in name:
        seeds = {"Bearer sekret-abcdefghijkl", "param-sekret-42", "deep-sekret-1", "session-1-abcdef"}
        assert seeds <= redact.secrets_in(data)  # the seeds are found at all


@pytest.mark.parametrize("name,data", CASES, ids=[name for name, _ in CASES])
def test_template_value_walk_matches_the_plain_walk(name, data):
    document = decoded_document(data)
    fast, slow = [], []
    template_values._scalars(document, fast)
    reference_scalars(document, [], slow)
    assert fast == slow  # pointers, stored values and entries, in document order
    flow = build_flow(data)
    found = template_values.occurrences(flow, document)
    assert template_values.first_of_each_setting(flow, found) == reference_first_of_each_setting(flow, found)
    if ":seeded:" in name:
        assert any(pointer.endswith("/numbers/0") for pointer, _, _ in fast)


def test_secrets_in_takes_any_value():
    assert redact.secrets_in("Authorization: Bearer abcdef123456") == {"Bearer abcdef123456"}
    assert redact.secrets_in('{"apiKey": "abcd1234"}') == {"abcd1234"}
    assert redact.secrets_in(None) == set() and redact.secrets_in([["token=abcdef"]]) == {"abcdef"}

    class Text(str):
        pass

    odd = {"rows": [{"name": Text("password"), "value": "odd-sekret"}], "line": Text("token: odd-line-1")}
    assert redact.secrets_in(odd) == reference_secrets_in(odd) == {"odd-sekret", "odd-line-1"}


def test_name_hint_is_in_every_credential_like_name():
    # secrets_in judges only the strings holding a hint: the hint must never miss a credential.
    names = {key for _, data in CASES for key in _keys_and_strings(data)} | {
        "apiKey7", "X-Auth", "x_auth_user", "SESSION-ID", "PrivateKey", "clientSecret", "pwd", "Passphrase2",
        "accessKeyId", "BEARER", "set-cookie", "Signature", "credentials", "ApiKey", "api_key"}
    for name in names:
        if redact.is_secret_key(name):
            assert redact._NAME_HINT.search(name.lower()), name


def _keys_and_strings(value):
    if isinstance(value, dict):
        for key, child in value.items():
            yield key
            yield from _keys_and_strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keys_and_strings(child)
    elif isinstance(value, str):
        yield value


def reference_text(line):
    if not line or (":" not in line and "=" not in line):
        return line
    if '"' not in line:
        return redact._HEADER.sub(redact._masked_header, line)
    line = redact._KEY_VALUE_ROW.sub(lambda m: m.group("head") + (
        redact.mask(m.group("value")) if redact.is_secret_key(m.group("key")) else m.group("value")) + m.group("tail"),
        line)
    line = redact._JSON_MEMBER.sub(lambda m: m.group(0) if not redact.is_secret_key(m.group("key")) else
                                   f"{m.group('q')}{m.group('key')}{m.group('q')}{m.group('sep')}{m.group('vq')}"
                                   f"{redact.mask(m.group('value'))}{m.group('vq')}", line)
    return redact._HEADER.sub(redact._masked_header, line)


def test_masking_skips_only_text_that_holds_no_credential_like_key():
    # text() returns a line at once when no credential word is in it: the patterns would not mask it.
    lines = {line for name, data in CASES if ":seeded:" in name for line in _keys_and_strings(data)}
    lines |= {json.dumps(item) for item in seeded({"a": [{"b": {"c": 1}}, {"d": [1, {"e": 2}]}]})["a"]}
    lines |= {'{"name": "Session-Id", "value": "abc123456789"}', "X-Auth=abcdefgh", '\\"APIKEY\\": \\"zzzz1234\\"',
              "Authorization: Bearer ****1234", "tokenUrl: https://example.invalid", '"pwd" : "x"'}
    masked = 0
    for line in lines:
        assert redact.text(line) == reference_text(line), line
        masked += redact.text(line) != line
    assert masked >= 5
    secrets = redact.Secrets(values={"sekret-abcdefghijkl", "tok-00000001"})
    output = "\n".join(sorted(lines))
    replaced = output.replace("sekret-abcdefghijkl", redact.mask("sekret-abcdefghijkl"))  # the longer first
    replaced = replaced.replace("tok-00000001", redact.mask("tok-00000001"))
    assert secrets(output) == "\n".join(reference_text(line) for line in replaced.split("\n"))


def test_template_value_walk_takes_odd_types_as_the_plain_walk_does():
    class Text(str):
        pass

    class Object(dict):
        pass

    document = {"a": Object(b=[Text(SMS), Text(json.dumps({"c": URL})), {"d": SMS}], e=float(SMS)),
                "f": [1.5, int(SMS), Object(copy_used_vars=SMS)], "dynamic_output_vars": Object(g=SMS)}
    fast, slow = [], []
    template_values._scalars(document, fast)
    reference_scalars(document, [], slow)
    # (a float is spelt 447418369300.0: no match)
    assert fast == slow and [pointer for pointer, _, _ in fast] == ["/a/b/0", "/a/b/1/c", "/a/b/2/d", "/f/1"]


@pytest.mark.parametrize("name,data", CASES, ids=[name for name, _ in CASES])
def test_one_walk_answers_both_questions_as_each_plain_walk(name, data):
    """Lint asks for the credentials and the template values in one walk (Context.values)."""
    from connectflow.value_walk import walk_values

    document = decoded_document(data)
    both = walk_values(document, secrets=True, templates=True)
    slow = []
    reference_scalars(document, [], slow)
    assert both.secrets == reference_secrets_in(document)
    assert both.matched == slow


def test_one_walk_takes_odd_types_as_each_plain_walk():
    from connectflow.value_walk import walk_values

    class Text(str):
        pass

    class Object(dict):
        pass

    document = {"a": Object(b=[Text(SMS), Text("token: odd-line-1"), {"d": SMS, "password": "odd-sekret"}], e=1.5),
                "rows": [{"name": Text("apiKey"), "value": Text(URL)}], "f": [int(SMS), Object(x=Text(URL))],
                "g": (SMS, {"secret": "tuple-sekret"})}
    both = walk_values(document, secrets=True, templates=True)
    slow = []
    reference_scalars(document, [], slow)
    assert both.secrets == reference_secrets_in(document) == {"odd-line-1", "odd-sekret", URL}
    assert both.matched == slow and len(slow) >= 4


def test_a_lint_leaves_no_cycle_holding_the_flow():
    """A flow's objects are freed when its lint returns, not at the collector's next pass
    (which, resumed after a large flow, spent a twentieth of the lint freeing them)."""
    import gc

    from connectflow.lint import Acceptance, Selection, _lint_one
    from connectflow.lint.registry import builtin_registry

    registry = builtin_registry()
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for path in FLOWS:
            _lint_one(str(path), registry, Selection(), lambda _path: None, Acceptance())
        gc.collect()
        left = [o for o in gc.garbage if isinstance(o, (dict, list))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if enabled:
            gc.enable()
    assert left == [], f"{len(left)} containers of the flows were kept alive by reference cycles"
