"""connectflow's speed and memory goals (issue 14), measured as whole processes, as ratios.

    python benchmarks/bench.py [--repeat 5] [--quick] [--markdown]

Prints one row per goal. Every figure is a median over ``--repeat`` rounds of whole
processes started from here and measured from outside (wall clock, and the child's own
CPU time and peak RSS from ``os.wait4``), the commands of one round interleaved so that
the machine's load drifts over all of them alike. Ratios compare figures of the same run.

It generates its inputs in a temporary folder: a synthetic 10 MB flow made from a real
one (Cisco's WxCC Task Routed template, ../shared/reference-flows, or the bundled
``samples/cce/routed.json`` when absent) by repeating its nodes, and folders of 100 and
1000 flows (the bundled samples, cycled). The small-flow start-up baseline is yamllint
on a two-line file (``pip install yamllint`` into the same environment; benchmark only,
not a dependency of connectflow). The connectflow measured is this checkout's.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference-flows"
PY = sys.executable
CF = [PY, "-m", "connectflow"]
MIB = 2**20


@dataclass
class Run:
    wall: float
    cpu: float
    rss: int  # bytes


def measure(cmd: list[str], env: dict) -> Run:
    start = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = process.stderr.read().decode(errors="replace") if process.stderr else ""
    process.stderr.close()
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)}: exit {process.returncode}\n{error[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


# -- inputs ------------------------------------------------------------------------------------

def synthetic_flow(base: dict, target: int) -> str:
    """``base`` with its nodes, edges and End cells repeated (new ids) until ``target`` bytes.

    Only the Start node and the workflow cell are not repeated, so the trigger (and so
    ``patch --asset-id``) is the original's; the copies hang off no edge from Start, and
    each copy's End cells belong to the copy."""
    cells = base["cells"]
    keep = {c["id"] for c in cells if isinstance(c.get("value"), dict)
            and (c["value"].get("tag") in ("workflowdata", "start"))}
    pattern = [c for c in cells if c["id"] not in keep and str(c.get("source")) not in keep]
    ids = {str(c["id"]) for c in pattern}
    document = copy.deepcopy(base)
    size, round_, per_round = len(json.dumps(document, indent=2)), 0, None
    while per_round is None or size + per_round <= target:
        round_ += 1
        suffix = f"{round_:04d}"
        for cell in pattern:
            text = json.dumps(cell)
            for old in ids:  # as "id", "source", "target", "parent" and "parentNode" (a number too)
                text = text.replace(f'"{old}"', f'"{old}{suffix}"')
                text = text.replace(f'"parentNode": {old}', f'"parentNode": {old}{suffix}')
            document["cells"].append(json.loads(text))
        if per_round is None:  # what one round adds, as the document indents it
            per_round = len(json.dumps(document, indent=2)) - size
        size += per_round
    return json.dumps(document, indent=2) + "\n"


def input_paths(folder: Path) -> dict[str, Path]:
    routed = REFERENCE / "wxcc-task-routed-flow.json"
    small = REFERENCE / "gallery-webhook-sms.json"
    return {"big": folder / "synthetic-10MB.json", "yaml": folder / "two-lines.yaml",
            "base": routed if routed.exists() else ROOT / "samples" / "cce" / "routed.json",
            "small": small if small.exists() else ROOT / "samples" / "cce" / "created.json",
            "many100": folder / "flows-100", "many1000": folder / "flows-1000", "out": folder / "out.json"}


def make_inputs(folder: Path) -> None:
    paths = input_paths(folder)
    base_path, big = paths["base"], paths["big"]
    big.write_text(synthetic_flow(json.loads(base_path.read_text(encoding="utf-8")), 10_000_000), encoding="utf-8")
    paths["yaml"].write_text("---\nkey: value\n", encoding="utf-8")
    samples = sorted((ROOT / "samples" / "cce").glob("*.json"))
    for count in (100, 1000):
        many = folder / f"flows-{count}"
        many.mkdir()
        for i in range(count):
            shutil.copyfile(samples[i % len(samples)], many / f"{i:04d}-{samples[i % len(samples)].name}")


# -- the table ---------------------------------------------------------------------------------

def commands(paths: dict[str, Path], quick: bool) -> dict[str, list[str]]:
    big, out = str(paths["big"]), str(paths["out"])
    found = "OR06143228=LC40211337" if "wxcc-task-routed" in paths["base"].name else "LC40211337"
    cmds = {
        "json.loads 10MB": [PY, "-c", "import json,sys; json.loads(open(sys.argv[1],'rb').read())", big],
        "lint 10MB": [*CF, "lint", "--format", "json", big],
        "patch -o 10MB": [*CF, "patch", "--asset-id", found, big, "-o", out],
        "patch --diff 10MB": [*CF, "patch", "--asset-id", found, big, "--diff"],
        "lint 16KB": [*CF, "lint", str(paths["small"])],
        "yamllint 2 lines": [PY, "-m", "yamllint", str(paths["yaml"])],
        "python -c pass": [PY, "-c", "pass"],
        "lint 100 flows": [*CF, "lint", "--jobs", "1", str(paths["many100"])],
        "lint 1000 flows --jobs 1": [*CF, "lint", "--jobs", "1", str(paths["many1000"])],
        "lint 1000 flows --jobs 2": [*CF, "lint", "--jobs", "2", str(paths["many1000"])],
    }
    if quick:
        for name in ("lint 1000 flows --jobs 1", "lint 1000 flows --jobs 2"):
            del cmds[name]
    return cmds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="leave out the 1000-flow rows")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument("--only", help="comma-separated command names to run (for profiling one row)")
    parser.add_argument("--make-inputs", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make_inputs:
        make_inputs(args.make_inputs)
        return
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="")
    with tempfile.TemporaryDirectory(prefix="cf-bench-") as tmp:
        # In a child: a child's peak RSS starts at its parent's (fork), so this process stays small.
        subprocess.run([PY, __file__, "--make-inputs", tmp], check=True)
        paths = input_paths(Path(tmp))
        cmds = commands(paths, args.quick)
        if args.only:
            cmds = {k: v for k, v in cmds.items() if k in args.only.split(",")}
        for name, cmd in cmds.items():  # warm the page cache and the bytecode cache
            if "1000" not in name:  # (the 1000 flows were just written: in the cache)
                measure(cmd, env)
        runs: dict[str, list[Run]] = {name: [] for name in cmds}
        for _ in range(args.repeat):
            for name, cmd in cmds.items():
                runs[name].append(measure(cmd, env))
        size = paths["big"].stat().st_size
    med = {name: Run(statistics.median(r.wall for r in rs), statistics.median(r.cpu for r in rs),
                     int(statistics.median(r.rss for r in rs))) for name, rs in runs.items()}
    report(med, size, args, runs)


def per_round(runs: dict[str, list[Run]], name: str, base: str, times: int = 1, digits: int = 1) -> str:
    """The spread of ``name`` ÷ (``times`` × ``base``) over the rounds (each round runs both, one
    after the other): on a machine whose speed drifts, the ratio of medians can fall either side."""
    if name not in runs or base not in runs or len(runs[name]) < 2:
        return ""
    ratios = sorted(a.wall / (times * b.wall) for a, b in zip(runs[name], runs[base]))
    return f"; per round {statistics.median(ratios):.{digits}f}× ({ratios[0]:.{digits}f}–{ratios[-1]:.{digits}f}×)"


def report(med: dict[str, Run], size: int, args, runs: dict[str, list[Run]] | None = None) -> None:
    rows = []

    def row(what, value, goal, ok, detail):
        rows.append((what, value, goal, "yes" if ok else "**no**", detail))

    def have(*names):
        return all(n in med for n in names)

    if have("lint 10MB", "json.loads 10MB"):
        lint, base = med["lint 10MB"], med["json.loads 10MB"]
        r = lint.wall / base.wall
        row("lint a 10 MB flow ÷ `json.loads` of it", f"{r:.1f}×", "≤ 5×", r <= 5,
            f"{lint.wall:.2f} s vs {base.wall:.3f} s (CPU {lint.cpu:.2f} s vs {base.cpu:.3f} s)"
            + per_round(runs or {}, "lint 10MB", "json.loads 10MB"))
        m = lint.rss / size
        row("peak memory of that lint ÷ file size", f"{m:.1f}×", "≤ 8×", m <= 8,
            f"{lint.rss / MIB:.0f} MiB for {size / MIB:.1f} MiB (json.loads alone: {base.rss / MIB:.0f} MiB)")
    if have("lint 16KB", "yamllint 2 lines"):
        lint, base = med["lint 16KB"], med["yamllint 2 lines"]
        r = lint.wall / base.wall
        row("lint a 16 KB flow ÷ yamllint on a 2-line file", f"{r:.2f}×", "≤ 2×", r <= 2,
            f"{lint.wall * 1000:.0f} ms vs {base.wall * 1000:.0f} ms "
            f"(`python -c pass`: {med['python -c pass'].wall * 1000:.0f} ms)" if "python -c pass" in med else "")
    if have("patch -o 10MB", "lint 10MB"):
        patch, lint = med["patch -o 10MB"], med["lint 10MB"]
        r = patch.wall / lint.wall
        row("patch 10 MB with one `--asset-id` ÷ lint of it", f"{r:.2f}×, {patch.rss / MIB:.0f} MiB",
            "≤ 1.5×, memory ≤ lint's", r <= 1.5 and patch.rss <= lint.rss,
            f"{patch.wall:.2f} s, {patch.rss / MIB:.0f} MiB vs lint {lint.wall:.2f} s, {lint.rss / MIB:.0f} MiB")
    if have("patch --diff 10MB", "patch -o 10MB"):
        diff, patch = med["patch --diff 10MB"], med["patch -o 10MB"]
        r = diff.wall / patch.wall
        row("`patch --diff` on 10 MB, 3 values changed ÷ `patch -o`", f"{r:.2f}× ({diff.wall:.2f} s)",
            "≤ 2× `patch -o`", r <= 2, f"{diff.wall:.2f} s vs {patch.wall:.2f} s")
    if have("lint 1000 flows --jobs 1", "lint 100 flows"):
        one, hundred = med["lint 1000 flows --jobs 1"], med["lint 100 flows"]
        linear = one.wall / (10 * hundred.wall)
        row("1000 flows in one run ÷ 10 × 100 flows", f"{linear:.2f}× ({one.wall:.1f} s)", "linear (≤ 1.1×)",
            linear <= 1.1, f"1000 flows {one.wall:.1f} s, 100 flows {hundred.wall:.2f} s, --jobs 1"
            + per_round(runs or {}, "lint 1000 flows --jobs 1", "lint 100 flows", times=10, digits=2))
    if have("lint 1000 flows --jobs 1", "lint 1000 flows --jobs 2"):
        one, two = med["lint 1000 flows --jobs 1"], med["lint 1000 flows --jobs 2"]
        speedup = one.wall / two.wall
        row("1000 flows: `--jobs 1` ÷ `--jobs 2` (wall)", f"{speedup:.2f}× faster", "≥ 1.7× on 2 cores",
            speedup >= 1.7, f"{one.wall:.1f} s vs {two.wall:.1f} s"
            + per_round(runs or {}, "lint 1000 flows --jobs 1", "lint 1000 flows --jobs 2", digits=2))

    load = os.getloadavg()
    print(f"connectflow benchmark: {os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, "
          f"median of {args.repeat}, Python {sys.version.split()[0]}")
    if args.markdown:
        print("\n| what | measured | goal | met | detail |\n|---|---|---|---|---|")
        for r in rows:
            print("| " + " | ".join(r) + " |")
    else:
        for what, value, goal, ok, detail in rows:
            print(f"{what:<58} {value:>22}  goal {goal:<24} met: {ok.strip('*'):<4} {detail}")
    print("\nmedians (wall s, CPU s, peak RSS MiB):")
    for name, run in med.items():
        print(f"  {name:<28} {run.wall:8.3f} {run.cpu:8.3f} {run.rss / MIB:8.1f}")


if __name__ == "__main__":
    main()
