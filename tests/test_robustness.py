"""Issue 15: hostile input never crashes, hangs, forges output, leaks secrets or loses data.

One test (or parametrized case) per class of the issue; each failed on the code before it.
"""

from __future__ import annotations

import io
import json
import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from connectflow.cli import cli

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "cce"
ROUTED = SAMPLES / "routed.json"
FAST = 5  # seconds: a hostile input is refused at once, never after a hang


def invoke(*args, **kwargs):
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def assert_refused(result, *words):
    """Exit 2 with one line naming the problem, not an exception (exit 3) or a hang."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.output
    text = result.output.strip()
    for word in words:
        assert word in text, text
    return text


def routed() -> dict:
    return json.loads(ROUTED.read_text(encoding="utf-8"))


def write(tmp_path, name, text: str | bytes) -> Path:
    target = tmp_path / name
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return target


def nested_in_strings(levels: int) -> str:
    """A setting stored as a string that holds a JSON document ``levels`` deep (inside
    one more string-encoded level, as the editor nests node settings)."""
    return json.dumps([{"text": "[" * levels + "]" * levels}])


# -- crashes on flow input ----------------------------------------------------------------------

def _with_custom_value(raw: str) -> str:
    text = ROUTED.read_text(encoding="utf-8")
    return text.replace('"value": "An agent is joining the conversation now."', f'"value": {raw}', 1)


HOSTILE_FLOWS = {
    "nan": _with_custom_value("NaN"),
    "infinity": _with_custom_value("-Infinity"),
    "huge-int": _with_custom_value("1" * 5000),
    "huge-float": _with_custom_value("1e999"),
    "deep-500": _with_custom_value("[" * 500 + "]" * 500),
    "deep-in-strings": _with_custom_value(json.dumps(nested_in_strings(1000))),
    "lone-surrogate": _with_custom_value('"\\ud800"'),
}


@pytest.mark.parametrize("name", HOSTILE_FLOWS)
@pytest.mark.parametrize("command", ["lint", "show", "patch"])
def test_hostile_json_is_one_line_exit_2(tmp_path, name, command):
    flow = write(tmp_path, "flow.json", HOSTILE_FLOWS[name])
    args = {"lint": ["lint", "--format", "sarif", flow], "show": ["show", flow],
            "patch": ["patch", "--set-var", "RoutedMessage=hi", flow, "--in-place"]}[command]
    before = flow.read_bytes()
    result = invoke(*args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2
    assert flow.read_bytes() == before
    if command != "lint":
        assert len(result.output.strip().splitlines()) == 1, result.output


def _retype_event_ports(node, value):
    if isinstance(node, dict):
        if node.get("tag") == "event" and isinstance(node.get("attributes"), dict):
            node["attributes"]["type"] = value
        for child in node.values():
            _retype_event_ports(child, value)
    elif isinstance(node, list):
        for child in node:
            _retype_event_ports(child, value)


@pytest.mark.parametrize("value", [{"a": 1}, ["BP"], 7, None])
@pytest.mark.parametrize("command", ["lint", "show"])
def test_retyped_event_port_is_not_a_crash(tmp_path, value, command):
    """Found by the long fuzz campaign: an event child's ``type`` holding a JSON object
    made the graph's port look-up raise (exit 3). A value of the wrong type is no port."""
    flow = json.loads((SAMPLES / "closed.json").read_text(encoding="utf-8"))
    _retype_event_ports(flow, value)
    path = write(tmp_path, "flow.json", json.dumps(flow))
    result = invoke(command, path)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1), result.output


def test_valid_surrogate_pairs_still_load(tmp_path):
    flow = write(tmp_path, "flow.json", _with_custom_value('"\\ud83d\\ude00"'))
    assert invoke("show", flow).exit_code == 0


def test_zip_inside_zip_is_refused(tmp_path):
    payload = ROUTED.read_bytes()
    for level in range(30):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"l{level}.json" if level == 0 else f"l{level}.zip", payload)
        payload = buffer.getvalue()
    flow = write(tmp_path, "deep.workflow.zip", payload)
    result = invoke("lint", flow)
    assert result.exit_code == 2 and "zip archive inside a zip archive" in result.output


def test_sarif_on_a_symlink_loop(tmp_path):
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    result = invoke("lint", "--format", "sarif", tmp_path / "loop.json")
    assert result.exit_code == 2, result.output
    assert json.loads(result.output)["runs"][0]["results"][0]["ruleId"] == "CF000"


# -- output injection ---------------------------------------------------------------------------

EVIL = "[/][red]HIDDEN[x] \x1b[2J\x1b[31m\n::error file=x.json::forged\r\u202e"


def evil_flow(tmp_path) -> Path:
    document = routed()
    document["flowId"] = EVIL
    for cell in document["cells"]:
        value = cell.get("value")
        if isinstance(value, dict) and isinstance(value.get("attributes"), dict) and "label" in value["attributes"]:
            value["attributes"]["label"] = EVIL
    document["customVariables"][1]["value"] = EVIL
    return write(tmp_path, "evil[red].json", json.dumps(document))


def assert_inert(output: str):
    assert "\x1b" not in output and "\r" not in output and "\u202e" not in output
    assert not any(line.startswith("::") for line in output.splitlines()), output


def test_show_prints_flow_strings_literally(tmp_path):
    result = invoke("show", evil_flow(tmp_path))
    assert result.exit_code == 0, result.output
    assert_inert(result.output)
    assert "[/][red]HIDDEN[x]" in result.output  # shown, not interpreted as markup
    assert "evil[red].json" in result.output


@pytest.mark.parametrize("value", ["C:\\share\\", "x\\\\\\", "[/]\\", "a\\[b]"])
def test_show_prints_backslashes_before_line_ends_and_brackets_as_they_are(tmp_path, value):
    # Rich markup escaping doubled a trailing backslash on a plain line (and, before a style's
    # closing tag, ate one or printed the tag): show prints styled Text, never markup.
    document = routed()
    document["customVariables"][1]["value"] = value
    result = invoke("show", "--no-lint", write(tmp_path, "flow.json", json.dumps(document)))
    assert result.exit_code == 0, result.output
    assert f"RoutedMessage = {value}\n" in result.output


@pytest.mark.parametrize("output_format", ["text", "github"])
def test_lint_output_cannot_be_forged(tmp_path, output_format):
    result = invoke("lint", "--format", output_format, "--color", evil_flow(tmp_path))
    assert result.exit_code == 1, result.output
    plain = result.output.replace("\x1b[", "").replace("[0m", "")  # --color: ours are fine, the flow's are not
    for line in result.output.splitlines():
        assert "::error file=x.json" not in line or not line.startswith("::error file=x.json")
    assert "\x1b[2J" not in result.output and "\u202e" not in plain


def test_zip_member_names_are_escaped_and_listings_cut(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a\n::error::forged.json", b"{}")
        for i in range(2000):
            archive.writestr(f"m{i}.json", b"{}")
    result = invoke("lint", write(tmp_path, "many.zip", buffer.getvalue()))
    assert result.exit_code == 2
    assert_inert(result.output)
    assert "and 1,996" in " ".join(result.output.split())  # the text report may wrap the line
    assert len(result.output) < 2000


def test_show_on_a_folder_without_flows_is_one_line(tmp_path):
    result = invoke("show", tmp_path)
    assert assert_refused(result, "no flow files").count("\n") == 0


# -- secrets ------------------------------------------------------------------------------------

def secret_flow(tmp_path) -> Path:
    document = routed()
    document["customVariables"].append({"name": "apiToken", "value": "tok-1234567890abcdef"})
    for cell in document["cells"]:
        value = cell.get("value")
        for child in (value.get("children") or []) if isinstance(value, dict) else []:
            if isinstance(child, dict) and child.get("attributes", {}).get("name") == "headers":
                child["text"] = json.dumps([{"key": "Authorization", "value": "Bearer sekret-abcdefghijkl"}])
    return write(tmp_path, "secret.json", json.dumps(document, indent=2))


def test_show_masks_credentials_unless_asked(tmp_path):
    flow = secret_flow(tmp_path)
    masked = invoke("show", flow)
    assert masked.exit_code == 0 and "tok-1234567890abcdef" not in masked.output and "****cdef" in masked.output
    assert "tok-1234567890abcdef" in invoke("show", "--show-secrets", flow).output


def test_patch_diff_masks_credentials(tmp_path):
    flow = secret_flow(tmp_path)
    document = json.loads(flow.read_text())
    document["customVariables"][-1]["value"] = "old-token-0987654321"
    flow.write_text(json.dumps(document, indent=2))
    result = invoke("patch", "--set-var", "apiToken=new-token-1122334455", "--diff", flow)
    assert result.exit_code == 0, result.output
    for secret in ("old-token-0987654321", "new-token-1122334455", "sekret-abcdefghijkl"):
        assert secret not in result.output
    shown = invoke("patch", "--set-var", "apiToken=new-token-1122334455", "--diff", "--show-secrets", flow)
    assert "old-token-0987654321" in shown.output


LEAKY = "s3cr3t-"  # every credential below starts so; a mask keeps at most its last four characters


def leaky_flow(tmp_path) -> Path:
    """Credentials where each output finds them: a custom variable ``apiKey`` (show's variables),
    an ``Authorization: Bearer`` header row, a prebuilt node's ``authorization`` setting whose
    copies disagree (CF503, a Python rule, quotes both), and a label quoting the key (every
    graph format and the report draw labels)."""
    document = routed()
    document["customVariables"].append({"name": "apiKey", "value": "s3cr3t-APIKEY-0123456789"})
    for cell in document["cells"]:
        value = cell.get("value")
        if not isinstance(value, dict):
            continue
        if value.get("tag") == "umppublic":
            value["attributes"]["label"] = "Notify with s3cr3t-APIKEY-0123456789"
        for child in value.get("children") or []:
            name = child.get("attributes", {}).get("name") if isinstance(child, dict) else None
            if value.get("tag") != "prebuiltnode" or name not in ("headers", "nodeInput", "extraParamsData"):
                continue
            if name == "headers":
                child["text"] = [{"key": "Authorization", "value": "Bearer s3cr3t-HEADER-0123456789"}]
            else:
                child["text"] = dict(child["text"], authorization=f"Bearer s3cr3t-{name.upper()}-0123456789")
    return write(tmp_path, "leaky.json", json.dumps(document, indent=2))


@pytest.mark.parametrize("name", ["apiKey2", "token_1", "password07"])
def test_numbered_credentials_are_masked_in_show_and_diff(tmp_path, name):
    # A number at the end hid the word before it: apiKey7 was shown and diffed in full.
    document = routed()
    document["customVariables"].append({"name": name, "value": "s3cr3t-NUMBERED-0123456789"})
    flow = write(tmp_path, "numbered.json", json.dumps(document))
    shown = invoke("show", flow)
    diffed = invoke("patch", "--set-var", f"{name}=s3cr3t-NEWVALUE-9876543210", "--diff", flow)
    assert shown.exit_code == 0 and diffed.exit_code == 0, shown.output + diffed.output
    assert LEAKY not in shown.output and LEAKY not in diffed.output and "****6789" in shown.output


LINT_FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "markdown")


@pytest.mark.parametrize("output_format", LINT_FORMATS)
def test_lint_masks_credentials_a_python_rule_quotes(tmp_path, output_format):
    flow = leaky_flow(tmp_path)
    result = invoke("lint", "--format", output_format, "--select", "CF503", flow)
    assert result.exit_code == 1, result.output
    assert LEAKY not in result.output and "CF503" in result.output
    assert "****6789" in result.output.replace("\\*", "*")  # Markdown escapes the stars
    shown = invoke("lint", "--format", output_format, "--select", "CF503", "--show-secrets", flow)
    assert "Bearer s3cr3t-NODEINPUT-0123456789" in shown.output


@pytest.mark.parametrize("output_format", ("text", "mermaid", "dot", "json"))
def test_show_masks_credentials_in_every_format(tmp_path, output_format):
    flow = leaky_flow(tmp_path)
    result = invoke("show", "--format", output_format, flow)
    assert result.exit_code == 0, result.output
    assert LEAKY not in result.output and "Notify with ****6789" in result.output
    assert "s3cr3t-APIKEY-0123456789" in invoke("show", "--format", output_format, "--show-secrets", flow).output


def test_report_html_masks_credentials(tmp_path):
    flow = leaky_flow(tmp_path)
    for command, page in ((["report", "-o"], tmp_path / "report.html"), (["lint", "--report"], tmp_path / "lint.html")):
        invoke(*command, page, flow)
        html = page.read_text(encoding="utf-8")
        assert "CF503" in html and "Notify with ****6789" in html and LEAKY not in html, command
    assert invoke("report", "-o", tmp_path / "shown.html", "--show-secrets", flow).exit_code == 0
    assert "s3cr3t-NODEINPUT-0123456789" in (tmp_path / "shown.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("sheet", ("sheet.md", "sheet.html"))
def test_worksheet_masks_old_and_new_credentials(tmp_path, sheet):
    flow = leaky_flow(tmp_path)
    change = ("--set-var", "apiKey=s3cr3t-NEWKEY-9876543210")
    result = invoke("patch", *change, "--worksheet", tmp_path / sheet, flow)
    assert result.exit_code == 0, result.output
    text = (tmp_path / sheet).read_text(encoding="utf-8")
    assert "****6789" in text and "****3210" in text and "--show-secrets" in text and LEAKY not in text
    invoke("patch", *change, "--worksheet", tmp_path / sheet, "--show-secrets", flow)
    text = (tmp_path / sheet).read_text(encoding="utf-8")
    assert "s3cr3t-APIKEY-0123456789" in text and "s3cr3t-NEWKEY-9876543210" in text


def test_patch_diff_masks_every_credential_of_the_flow(tmp_path):
    flow = leaky_flow(tmp_path)
    result = invoke("patch", "--set-var", "apiKey=s3cr3t-NEWKEY-9876543210", "--diff", flow)
    assert result.exit_code == 0, result.output
    assert "apiKey" in result.output and LEAKY not in result.output
    shown = invoke("patch", "--set-var", "apiKey=s3cr3t-NEWKEY-9876543210", "--diff", "--show-secrets", flow)
    assert "s3cr3t-APIKEY-0123456789" in shown.output and "s3cr3t-NEWKEY-9876543210" in shown.output


def _in_time(code: str) -> str:
    """Run ``code`` in a fresh interpreter; fail when it takes longer than a hostile input may
    (a regex stuck in C cannot be interrupted from a thread)."""
    import subprocess
    import sys

    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=FAST * 2)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {FAST * 2} s")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("text", ["'a' * 20_000", "'token' * 5_000", "'\"password\": \"' + '\\\\' * 5_000 + 'x'"])
def test_masking_is_linear_on_hostile_text(text):
    # Before: the header pattern backtracked into every word (20,000 letters: 90 s), the member
    # pattern read runs of backslashes in exponentially many ways (40 backslashes: hours).
    assert _in_time(f"from connectflow import redact\ntext = {text}\nprint(redact.text(text) == text)") == "True\n"


def test_many_secrets_mask_in_linear_time():
    code = ("from connectflow import redact\n"
            "secrets = redact.Secrets(values={f's3cr3t-{i:06d}-padding' for i in range(50_000)})\n"
            "print(secrets('x s3cr3t-000042-padding y ' * 20_000).count('s3cr3t'))")
    assert _in_time(code) == "0\n"


# -- hangs and memory ---------------------------------------------------------------------------

def _fifo(tmp_path, name) -> Path:
    path = tmp_path / name
    os.mkfifo(path)
    return path


def _bounded(function):
    """Run ``function`` in a thread; fail (instead of hanging the suite) when it blocks."""
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", function()), daemon=True)
    thread.start()
    thread.join(FAST * 4)
    if thread.is_alive():
        opener = threading.Thread(target=lambda: [open(p, "wb").close() for p in box.get("fifos", [])], daemon=True)
        opener.start()
        pytest.fail("connectflow blocked on a non-regular file")
    return box["result"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifos_are_refused_never_read(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    (flows / "ok.json").write_bytes(ROUTED.read_bytes())
    _fifo(flows, "pipe.json")
    result = _bounded(lambda: invoke("lint", "--format", "json", flows))
    assert result.exit_code == 2
    assert "FIFO" in json.dumps(json.loads(result.output))
    rules = tmp_path / "rules"
    rules.mkdir()
    _fifo(rules, "CF900.yml")
    assert_refused(_bounded(lambda: invoke("lint", "--rules", rules, ROUTED)), "FIFO")
    assert_refused(_bounded(lambda: invoke("lint", "--profile", _fifo(tmp_path, "p.toml"), ROUTED)), "FIFO")
    (tmp_path / "tenant.toml").write_text('[ecc]\nimport = "ecc.xml"\n')
    _fifo(tmp_path, "ecc.xml")
    assert_refused(_bounded(lambda: invoke("lint", "--profile", tmp_path / "tenant.toml", ROUTED)), "FIFO")
    assert_refused(_bounded(lambda: invoke("patch", "--set-var", "x=1", _fifo(tmp_path, "f.json"))), "FIFO")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_devices_are_refused(tmp_path):
    assert_refused(_bounded(lambda: invoke("show", "/dev/zero")), "character device")


def test_oversized_file_is_refused_with_cf000(tmp_path):
    from connectflow.load.reader import FLOW_CAP

    big = tmp_path / "big.json"
    with open(big, "wb") as stream:
        stream.truncate(FLOW_CAP + 1)  # sparse: no real disk use
    result = invoke("lint", "--format", "json", big)
    assert result.exit_code == 2 and "cap" in result.output and "CF000" in result.output


def test_zip_whose_size_header_lies_is_not_inflated(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flow.json", b" " * (8 * 1024 * 1024))
    raw = bytearray(buffer.getvalue())
    real = (8 * 1024 * 1024).to_bytes(4, "little")
    raw = bytes(raw).replace(real, (1000).to_bytes(4, "little"))  # local and central headers lie
    result = invoke("lint", write(tmp_path, "liar.zip", raw))
    assert result.exit_code == 2, result.output


def test_honest_but_huge_zip_member_is_refused(tmp_path):
    from connectflow.load.reader import FLOW_CAP

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flow.json", b" " * (FLOW_CAP + 10))
    result = invoke("lint", write(tmp_path, "bomb.zip", buffer.getvalue()))
    assert result.exit_code == 2 and "too large" in result.output


RULE = """id: CF901
name: custom-check
severity: error
summary: A custom check.
given: $.customVariables[*]
then:
  field: value
  function: {function}
  options: {options}
message: "{message}"
"""


def rule_dir(tmp_path, text: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "CF901.yml").write_text(text)
    return folder


BAD_RULES = {
    "alias-bomb": ("\n".join(["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
                             + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]),
                   "aliases"),
    "catastrophic-regex": (RULE.format(function="pattern", options="{match: '^(a+)+$'}", message="{name}"),
                           "then.options.match"),
    "bad-regex": (RULE.format(function="pattern", options="{match: '(['}", message="{name}"), "then.options.match"),
    "missing-option": (RULE.format(function="max_bytes", options="{}", message="{name}"), "then.options"),
    "unknown-option": (RULE.format(function="truthy", options="{colour: red}", message="{name}"),
                       "then.options.colour"),
    "mistyped-option": (RULE.format(function="max_bytes", options="{max: lots}", message="{name}"),
                        "then.options.max"),
    "attribute-walk": (RULE.format(function="truthy", options="{}", message="{name.__class__}"), "message"),
    "unknown-field": (RULE.format(function="truthy", options="{}", message="{secret}"), "message"),
    "bad-format": (RULE.format(function="truthy", options="{}", message="{name:d}"), "message"),
    "profile-key-walk": (RULE.format(function="equals_profile", options="{key: __class__}", message="{name}"),
                         "then.options.key"),
    "deep-yaml": ("a: " + "[" * 5000 + "]" * 5000, "invalid YAML"),
}


@pytest.mark.parametrize("case", BAD_RULES)
def test_rule_file_mistakes_are_refused_at_load(tmp_path, case):
    text, key = BAD_RULES[case]
    result = invoke("lint", "--rules", rule_dir(tmp_path, text), ROUTED)
    assert_refused(result, "CF901.yml", key)


def test_duplicate_rule_ids_name_both_files(tmp_path):
    folder = rule_dir(tmp_path, RULE.format(function="truthy", options="{}", message="{name}"))
    (folder / "CF902.yml").write_text(RULE.format(function="truthy", options="{}", message="{name}")
                                      .replace("custom-check", "other-check"))
    assert_refused(invoke("lint", "--rules", folder, ROUTED), "CF901", "defined twice")


def test_rules_dir_of_this_repository_is_not_a_duplicate(tmp_path):
    shipped = Path(__file__).resolve().parents[1] / "rules"
    copy = tmp_path / "rules"  # as with an installed wheel: the same rules at another path
    copy.mkdir()
    for rule_file in shipped.glob("*.yaml"):
        (copy / rule_file.name).write_bytes(rule_file.read_bytes())
    for folder in (shipped, copy):
        result = invoke("lint", "--rules", folder, ROUTED)
        assert isinstance(result.exception, SystemExit) and result.exit_code == 1, repr(result.exception)


# -- profiles and ECC ---------------------------------------------------------------------------

BAD_PROFILES = {
    "doctype-ecc": ("ecc.xml", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><results>&e;</results>',
                    "refused"),
    "list-max-length": ("ecc.json", '[{"name": "user.a", "maximumLength": [1]}]', "maximumLength"),
    "inf-max-length": ("ecc.json", '[{"name": "user.a", "maximumLength": 1e999}]', "ecc.json"),
    "inf-max-length-xml": ("ecc.xml", "<results><expandedCallVariable><name>user.a</name>"
                                      "<maximumLength>1e999</maximumLength></expandedCallVariable></results>",
                           "maximumLength"),
    "deep-json-ecc": ("ecc.json", "[" * 5000 + "]" * 5000, "ecc.json"),
}


@pytest.mark.parametrize("case", BAD_PROFILES)
def test_ecc_list_mistakes_are_refused(tmp_path, case):
    name, text, word = BAD_PROFILES[case]
    (tmp_path / name).write_text(text)
    profile = write(tmp_path, "tenant.toml", f'[ecc]\nimport = "{name}"\n')
    assert_refused(invoke("lint", "--profile", profile, ROUTED), word)


def test_deep_toml_and_bad_pyproject_are_refused(tmp_path):
    assert_refused(invoke("lint", "--profile", write(tmp_path, "deep.toml", "a = " + "[" * 3000 + "]" * 3000),
                          ROUTED), "deep.toml")
    pyproject = write(tmp_path, "pyproject.toml", 'tool = "not a table"\n')
    assert_refused(invoke("lint", "--profile", pyproject, ROUTED), "pyproject.toml", "tool")


def test_a_stray_pyproject_above_does_not_break_lint(tmp_path):
    (tmp_path / "pyproject.toml").write_text('tool = "connectflow"\n')  # mentions us, but is no table
    flows = tmp_path / "team"
    flows.mkdir()
    (flows / "routed.json").write_bytes(ROUTED.read_bytes())
    result = invoke("lint", flows)
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1, repr(result.exception)


def test_ecc_import_is_confined_to_the_profile_folder(tmp_path):
    (tmp_path / "ecc.xml").write_text("<results/>")
    (tmp_path / "team").mkdir()
    profile = write(tmp_path / "team", "tenant.toml", '[ecc]\nimport = "../ecc.xml"\n')
    assert_refused(invoke("lint", "--profile", profile, ROUTED), "ecc.import", "outside")


def _discovery_tree(tmp_path):
    shared = tmp_path / "shared"
    flows = shared / "mine"
    flows.mkdir(parents=True)
    (flows / "routed.json").write_bytes(ROUTED.read_bytes())
    # A profile that would silence every finding: a planted one must not be used.
    (shared / "connectflow.toml").write_text('[lint]\nignore = ["CF"]\n')
    return shared, flows


def test_profile_in_a_world_writable_folder_is_ignored(tmp_path):
    shared, flows = _discovery_tree(tmp_path)
    shared.chmod(0o777)
    result = invoke("lint", flows)
    assert result.exit_code == 1 and "ignoring profile" in result.output and "writable by anyone" in result.output
    shared.chmod(0o1777)  # sticky like /tmp, and the file is ours: trusted
    trusted = invoke("lint", flows)
    assert trusted.exit_code == 0 and "connectflow.toml" in trusted.output  # the report names the profile used


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_profile_owned_by_another_user_is_ignored(tmp_path):
    shared, flows = _discovery_tree(tmp_path)
    os.chown(shared / "connectflow.toml", 4242, 4242)
    result = invoke("lint", flows)
    assert result.exit_code == 1 and "owned by uid 4242" in result.output
    assert invoke("lint", "--profile", shared / "connectflow.toml", flows).exit_code == 0  # explicit: used


def test_explicit_folder_without_flows_is_exit_2(tmp_path):
    assert_refused(invoke("lint", tmp_path), "no flow files")


# -- writes -------------------------------------------------------------------------------------

def flow_copy(tmp_path, name="routed.json") -> Path:
    return write(tmp_path, name, ROUTED.read_bytes())


def test_concurrent_update_is_detected_not_lost(tmp_path, monkeypatch):
    import connectflow.patch.write as write_module

    flow = flow_copy(tmp_path)
    original = write_module.write_files

    def other_writer_first(jobs, force=False):  # another patch lands between our read and our replace
        flow.write_bytes(flow.read_bytes().replace(b"An agent is joining", b"Someone else wrote"))
        return original(jobs, force)

    monkeypatch.setattr(write_module, "write_files", other_writer_first)
    result = invoke("patch", "--set-var", "RoutedMessage=mine", flow, "--in-place")
    assert_refused(result, "changed on disk")
    assert b"Someone else wrote" in flow.read_bytes()  # their update survives
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_multi_file_write_is_all_or_nothing(tmp_path):
    first, second = flow_copy(tmp_path, "a.json"), flow_copy(tmp_path, "b.json")
    out = tmp_path / "out"
    out.mkdir()
    (out / "b.json").mkdir()  # the second target cannot be written
    result = invoke("patch", "--set-var", "RoutedMessage=x", first, second, "-o", out)
    assert_refused(result, "b.json", "nothing was written")
    assert not (out / "a.json").exists()


def test_non_regular_target_is_refused(tmp_path):
    """-o onto a device must not replace it with a file (never tried on the real /dev/null:
    a regression would break the machine)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        target = tmp_path / "null"
        os.mknod(target, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private /dev/null
        kind, check = "character device", stat.S_ISCHR
    else:
        target = _fifo(tmp_path, "fifo")
        kind, check = "FIFO", stat.S_ISFIFO
    result = _bounded(lambda: invoke("patch", "--set-var", "RoutedMessage=x", ROUTED, "-o", target))
    assert_refused(result, kind)
    assert check(os.stat(target).st_mode)


def test_read_only_target_needs_force_and_mode_is_kept(tmp_path):
    flow = flow_copy(tmp_path)
    flow.chmod(0o444)
    before = flow.read_bytes()
    assert_refused(invoke("patch", "--set-var", "RoutedMessage=x", flow, "--in-place"), "read-only", "--force")
    assert flow.read_bytes() == before
    assert invoke("patch", "--force", "--set-var", "RoutedMessage=x", flow, "--in-place").exit_code == 0
    assert flow.read_bytes() != before and stat.S_IMODE(flow.stat().st_mode) == 0o444


def test_mode_kept_and_hard_links_reported(tmp_path):
    flow = flow_copy(tmp_path)
    flow.chmod(0o640)
    os.link(flow, tmp_path / "link.json")
    result = invoke("patch", "--set-var", "RoutedMessage=x", flow, "--in-place")
    assert result.exit_code == 0 and "hard links" in result.output
    assert stat.S_IMODE(flow.stat().st_mode) == 0o640


def test_stale_temp_of_a_killed_run_is_removed(tmp_path):
    flow = flow_copy(tmp_path)
    stale = tmp_path / f".{flow.name}.connectflow-999999999-0123abcd.tmp"  # no such process
    stale.write_bytes(b"partial")
    foreign = tmp_path / ".someone-elses.tmp"
    foreign.write_bytes(b"keep")
    result = invoke("patch", "--set-var", "RoutedMessage=x", flow, "--in-place")
    assert result.exit_code == 0 and not stale.exists() and foreign.exists()


# -- kill -9 / SIGTERM during a write (the long run: benchmarks/robustness.py kill) ---------------

def _kill_trial(tmp_path, name: str, delay: float) -> tuple[str, list[str]]:
    import signal
    import subprocess
    import sys
    import time

    old, new, target = tmp_path / "old.bin", tmp_path / "new.bin", tmp_path / "flow.json"
    if not old.exists():
        body = b'{"cells": [' + b",".join(b'{"id": "%d", "text": "%s"}' % (i, b"a" * 200)
                                          for i in range(20 * 1024 * 1024 // 220)) + b"]}"
        old.write_bytes(body)
        new.write_bytes(body.replace(b'"a', b'"b', 500))
    target.write_bytes(old.read_bytes())
    writer = Path(__file__).parent / "fuzz" / "writer.py"
    child = subprocess.Popen([sys.executable, str(writer), str(target), str(new), str(old)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    child.stdout.readline()
    deadline = time.monotonic() + 10
    while child.poll() is None and time.monotonic() < deadline and not any(
            ".connectflow-" in p.name for p in tmp_path.iterdir()):
        time.sleep(0.0005)
    time.sleep(delay)
    if child.poll() is None:
        child.send_signal(getattr(signal, name))
    child.wait()
    after = target.read_bytes()
    state = "old" if after == old.read_bytes() else "new" if after == new.read_bytes() else "partial"
    return state, [p.name for p in tmp_path.iterdir() if ".connectflow-" in p.name]


@pytest.mark.parametrize("name,delay", [("SIGKILL", 0.0), ("SIGKILL", 0.05), ("SIGTERM", 0.0), ("SIGTERM", 0.02)])
def test_a_killed_write_leaves_old_or_new_and_no_temp_after_next_run(tmp_path, name, delay):
    state, temps = _kill_trial(tmp_path, name, delay)
    assert state in ("old", "new")
    if name == "SIGTERM":
        assert temps == []  # cleaned up on the signal itself
    other = flow_copy(tmp_path, "other.json")  # the next run writing in that folder
    assert invoke("patch", "--set-var", "RoutedMessage=x", other, "--in-place").exit_code == 0
    assert not [p for p in tmp_path.iterdir() if ".connectflow-" in p.name]
