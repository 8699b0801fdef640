"""The CI recipes work as written: action.yml's steps, the GitLab template's script and the
pre-commit hook's entry run on the samples (connectflow from this checkout; no network)."""

from __future__ import annotations

import json
import os
import re
import shlex
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture
def runner(tmp_path):
    """A PATH whose `connectflow` is this checkout (the action's install step would put it there)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "connectflow"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH={shlex.quote(str(ROOT))} exec {shlex.quote(sys.executable)} '
                    '-m connectflow "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}


def _expand(text: str, inputs: dict[str, str], env: dict[str, str]) -> str:
    def value(match):
        expression = match.group(1).strip()
        if expression.startswith("inputs."):
            return inputs[expression[len("inputs."):]]
        raise AssertionError(f"unexpected expression in action.yml: {expression}")
    return re.sub(r"\$\{\{(.+?)\}\}", value, text)


def _run_action(inputs: dict[str, str], workdir: Path, env: dict[str, str]) -> dict[str, subprocess.CompletedProcess]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    values = {name: spec.get("default", "") for name, spec in action["inputs"].items()} | inputs
    github_env = {**env, "GITHUB_OUTPUT": str(workdir / "output.txt"),
                  "GITHUB_STEP_SUMMARY": str(workdir / "summary.md"), "GITHUB_ACTION_PATH": str(ROOT)}
    ran = {}
    for step in action["runs"]["steps"]:
        if "run" not in step or step["id"] == "install":  # install: pip from the action's checkout (network)
            continue
        condition = step.get("if", "")
        if "inputs.patch-check == 'true'" in condition and values["patch-check"] != "true":
            continue
        assert step["shell"] == "bash"
        step_env = {k: _expand(str(v), values, github_env) for k, v in step.get("env", {}).items()}
        ran[step["id"]] = subprocess.run(["bash", "-e", "-c", _expand(step["run"], values, github_env)],
                                         cwd=workdir, env={**github_env, **step_env},
                                         capture_output=True, text=True, timeout=300)
    return ran


def test_action_steps_on_the_samples(tmp_path, runner):
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert '"$GITHUB_ACTION_PATH"' in install["run"]  # from the action's own checkout, no index
    upload = next(s for s in action["runs"]["steps"] if s.get("id") == "upload")
    assert upload["if"].startswith("always()") and upload["with"]["sarif_file"] == "${{ inputs.sarif-file }}"

    ran = _run_action({"paths": str(SAMPLES / "cce"), "profile": str(SAMPLES / "tenant.toml"),
                       "patch-check": "true"}, tmp_path, runner)
    lint = ran["lint"]
    assert lint.returncode == 1, lint.stderr
    assert (tmp_path / "output.txt").read_text().strip() == "exit-code=1"
    annotations = [line for line in lint.stdout.splitlines() if line.startswith("::")]
    assert sum(line.startswith("::error ") for line in annotations) == 10
    assert annotations[-1].startswith("::notice title=connectflow lint::13 flows checked:")
    sarif = json.loads((tmp_path / "connectflow.sarif").read_text())
    assert sarif["runs"][0]["results"] and (tmp_path / "summary.md").read_text().startswith("## connectflow lint")
    assert ran["patch-check"].returncode == 1  # the samples as imported still need the tenant's values

    # Ready means ready as the tenant's set (the CF7xx checks): one flow per asset, for a tenant
    # whose assets the 13 samples can serve (two Live Chat assets: one for each Live Chat flow pair).
    patched = tmp_path / "patched"
    subprocess.run(["connectflow", "patch", "--per-asset", "--profile", str(SAMPLES / "tenant-multi.toml"),
                    "-o", str(patched), str(SAMPLES / "cce")], env=runner, check=True, capture_output=True)
    clean_dir = tmp_path / "clean"
    clean_dir.mkdir()
    ran = _run_action({"paths": str(patched), "profile": str(SAMPLES / "tenant-multi.toml"), "patch-check": "true"},
                      clean_dir, runner)
    assert ran["lint"].returncode == 0, ran["lint"].stdout
    assert ran["patch-check"].returncode == 0, ran["patch-check"].stdout + ran["patch-check"].stderr


def test_patch_check_without_a_profile_says_so(tmp_path, runner):
    ran = _run_action({"paths": str(SAMPLES / "cce"), "patch-check": "true"}, tmp_path, runner)
    assert ran["patch-check"].returncode == 2 and "needs the profile input" in ran["patch-check"].stdout


def test_gitlab_template_script_on_the_samples(tmp_path, runner):
    job = yaml.safe_load((ROOT / "ci" / "gitlab-connectflow.yml").read_text())["connectflow"]
    variables = {**job["variables"], "CONNECTFLOW_PATHS": str(SAMPLES / "cce")}
    assert job["before_script"] == ['python -m pip install --quiet "git+${CONNECTFLOW_REPOSITORY}@${CONNECTFLOW_VERSION}"']
    for line in job["script"]:
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env={**runner, **variables},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 1 and "13 flows checked: 153 errors, 7 infos." in done.stdout
    for name in job["artifacts"]["reports"].values():
        assert (tmp_path / name).is_file(), name
    assert len(json.loads((tmp_path / "gl-code-quality-report.json").read_text())) == 160


def test_pre_commit_hook_lints_only_flows(tmp_path, runner):
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    pattern = re.compile(hook["files"])
    other = tmp_path / "package.json"
    other.write_text('{"name": "web"}')
    files = [str(SAMPLES / "cce" / "created.json"), str(other)]
    assert all(pattern.search(f) for f in files) and not pattern.search("README.md")
    done = subprocess.run([*shlex.split(hook["entry"]), *files], env=runner, capture_output=True, text=True)
    assert done.returncode == 1 and "package.json" not in done.stdout
    assert done.stdout.count("CF101") == 3


def test_version_tag_scheme_is_consistent():
    import tomllib

    from connectflow import __version__

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert __version__ == version
    assert re.search(r"^## (\d+\.\d+\.\d+)", changelog, re.M).group(1) == version  # newest entry first
    for recipe in ("docs/ci.md", "ci/gitlab-connectflow.yml", ".pre-commit-hooks.yaml"):
        assert f"v{version}" in (ROOT / recipe).read_text(), recipe


def test_every_command_in_the_ci_guide_parses():
    """docs/ci.md's workflows work as written: each connectflow command line is a valid invocation."""
    from connectflow.cli import cli

    text = (ROOT / "docs" / "ci.md").read_text()
    commands = [line.split("connectflow ", 1)[1] for line in re.findall(r"^.*\bconnectflow (?:lint|patch) .*$", text, re.M)
                if "`" not in line]
    assert len(commands) >= 5
    for command in commands:
        args = shlex.split(command.split("#")[0])
        with cli.make_context("connectflow", list(args), resilient_parsing=False) as context:
            name, sub, rest = cli.resolve_command(context, list(args))
            sub.make_context(name, rest, parent=context)  # raises click.UsageError on a wrong option
    workflow = yaml.safe_load(re.search(r"```yaml\n(# \.github/workflows/flows\.yml.*?)```", text, re.S).group(1))
    step = workflow["jobs"]["connectflow"]["steps"][1]
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert set(step["with"]) <= set(action["inputs"]), "the guide uses an input action.yml does not have"
    assert "security-events" in workflow["permissions"]
