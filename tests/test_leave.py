"""The command ends without the interpreter's teardown (runtime.leave): nothing it printed is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples" / "cce").glob("*.json"))


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_buffered_output_is_flushed_and_the_status_kept():
    done = _python("import sys; from connectflow.runtime import leave\n"
                   "sys.stdout.write('x' * 200_000); sys.stderr.write('warned'); leave(3)")
    assert (done.returncode, len(done.stdout), done.stderr) == (3, 200_000, "warned")


def test_a_message_given_as_the_status_is_printed_with_status_1():
    done = _python("from connectflow.runtime import leave; leave('connectflow: gone')")
    assert (done.returncode, done.stderr) == (1, "connectflow: gone\n")
    assert _python("from connectflow.runtime import leave; leave(None)").returncode == 0


def test_the_command_prints_what_main_prints_with_its_status():
    args = ["lint", "--format", "json", "--no-bundle", *map(str, SAMPLES)]
    command = subprocess.run([sys.executable, "-m", "connectflow", *args], capture_output=True, text=True,
                             cwd=ROOT, timeout=120)
    in_process = _python(f"import sys; sys.argv = ['connectflow', *{args!r}]\n"
                         "from connectflow.cli import main\nmain()")  # ends through the interpreter's teardown
    assert command.returncode == in_process.returncode == 1
    assert command.stdout == in_process.stdout and len(json.loads(command.stdout)["findings"]) > len(SAMPLES)


def test_the_last_flow_is_held_to_the_end_only_by_the_command():
    """runtime.keep_to_the_end: the command (runtime.LEAVING) does not free the run's last flow
    before it leaves; an in-process caller gets every flow freed."""
    code = ("import gc, sys\nfrom connectflow import runtime\nruntime.LEAVING = {leaving}\n"
            "from connectflow.cli import main\nsys.argv = ['connectflow', 'lint', '--no-bundle', *{paths!r}]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(len(runtime._held), gc.get_freeze_count() > 0, file=sys.stderr)")
    paths = [str(path) for path in SAMPLES[:3]]
    assert _python(code.format(leaving=True, paths=paths)).stderr.split()[-2:] == ["1", "True"]
    assert _python(code.format(leaving=False, paths=paths)).stderr.split()[-2:] == ["0", "False"]
