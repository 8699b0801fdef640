"""``--jobs N`` spreads flows over processes and changes nothing the user sees."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REFERENCE_FLOWS
from connectflow.runtime import AUTO_JOBS_FROM, jobs_for

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples" / "cce").glob("*.json"))


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """Every sample and reference flow, and an unreadable file in the middle."""
    folder = tmp_path_factory.mktemp("many")
    for path in [*SAMPLES, *REFERENCE_FLOWS]:
        shutil.copyfile(path, folder / f"1-{path.name}")
    (folder / "1-zz-empty.json").write_text("")
    return folder


def _connectflow(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "connectflow", *args], capture_output=True, cwd=ROOT)


@pytest.mark.parametrize("output_format", ["json", "sarif", "text"])
def test_lint_output_and_exit_code_do_not_depend_on_jobs(many, output_format):
    one = _connectflow("lint", "--jobs", "1", "--format", output_format, "--no-color", str(many))
    two = _connectflow("lint", "--jobs", "2", "--format", output_format, "--no-color", str(many))
    auto = _connectflow("lint", "--format", output_format, "--no-color", str(many))
    assert one.returncode == 2, one.stderr  # the empty file
    assert b"1-zz-empty.json" in one.stdout and one.stdout.count(b"CF101") > 2
    assert (two.returncode, two.stdout, two.stderr) == (one.returncode, one.stdout, one.stderr)
    assert (auto.returncode, auto.stdout, auto.stderr) == (one.returncode, one.stdout, one.stderr)


def test_default_jobs_are_the_cores_only_for_more_than_a_few_flows(monkeypatch):
    monkeypatch.setattr("connectflow.runtime.cores", lambda: 4)
    assert jobs_for(None, AUTO_JOBS_FROM - 1) == 1
    assert jobs_for(None, AUTO_JOBS_FROM) == 4
    assert jobs_for(0, 100) == 4 and jobs_for(3, 100) == 3 and jobs_for(8, 2) == 2


def test_patch_output_and_exit_code_do_not_depend_on_jobs(tmp_path):
    flows = tmp_path / "flows"
    flows.mkdir()
    for path in SAMPLES:
        shutil.copyfile(path, flows / path.name)
    profile = str(ROOT / "samples" / "tenant.toml")
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        written = _connectflow("patch", "--jobs", jobs, "--profile", profile, "-o", str(out), str(flows))
        diff = _connectflow("patch", "--jobs", jobs, "--profile", profile, "--diff", str(flows))
        check = _connectflow("patch", "--jobs", jobs, "--profile", profile, "--check", str(out))
        files = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        runs[jobs] = (written.returncode, written.stderr.replace(str(out).encode(), b"OUT"), files,
                      diff.returncode, diff.stdout, check.returncode, check.stderr.replace(str(out).encode(), b"OUT"))
    assert runs["1"][0] == 0 and len(runs["1"][2]) == len(SAMPLES) and b"@@" in runs["1"][4]
    assert runs["2"] == runs["1"]
