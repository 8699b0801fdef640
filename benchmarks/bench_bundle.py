"""Linting a tenant's set of flows as a bundle stays linear in the number of flows.

    python benchmarks/bench_bundle.py [--sizes 250,1000] [--repeat 3]

Builds a set of N small flows in a temporary folder, shaped like a per-asset tenant:
for every asset one Live Chat inbound flow and one ROUTED webhook flow filtering on it,
plus a few flows that overlap (so the cross-flow rules have findings to report). Then
measures, for each N, the whole ``lint --bundle`` job (lint_paths: load, per-flow
rules, facts, cross-flow pass) and the cross-flow pass alone, and prints the time per
flow and the ratio of each size's time to the smallest size's, measured in the same run.
Linear means the ratio of times equals the ratio of sizes (the "x linear" column near 1).
Times are CPU time of this process (everything runs in it), best of N: on a machine shared
with other work, wall time mostly measures the others. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from connectflow.lint import Selection, check_source, lint_paths, lint_set  # noqa: E402
from connectflow.lint.registry import builtin_registry  # noqa: E402
from connectflow.load import load_source  # noqa: E402
from connectflow.profile import parse_profile  # noqa: E402


def build_set(folder: Path, flows: int) -> dict:
    """``flows`` flow files (half Live Chat inbound, half ROUTED) and a profile with their assets."""
    from flowkit import TENANT, apply_edits, dumps, livechat_flow, webhook_flow

    assets = []
    chat, routed = livechat_flow(), webhook_flow()
    for n in range(flows // 2):
        asset = f"LC{50000000 + n}"
        assets.append(asset)
        # Every 50th asset gets a second ROUTED flow: a double trigger for CF701 to report.
        duplicate = n % 50 == 0
        (folder / f"chat-{n:05d}.json").write_text(dumps(apply_edits(chat, [
            {"set": "/customVariables/0/value", "value": asset}])))
        edits = [{"set": "/cells/0/value/attributes/start_node_info/conditions/0/value", "value": asset},
                 {"set": "/cells/1/value/children/4/text/0/conditions/0/value", "value": asset},
                 {"set": "/cells/1/value/children/5/text/0/value", "value": asset}]
        name = f"routed-{n:05d}.json" if not duplicate or n == 0 else f"routed-{n - 1:05d}-again.json"
        (folder / name).write_text(dumps(apply_edits(routed, edits if not duplicate or n == 0 else
                                                      [{**e, "value": assets[n - 1]} for e in edits])))
    return {**TENANT, "assets": {"livechat": assets}}


def timed(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()  # a collection left over from building the set is not this run's time
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250,1000", help="comma-separated numbers of flows")
    parser.add_argument("--repeat", type=int, default=3, help="best of N runs")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    registry = builtin_registry()
    rules = list(registry)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            folder = Path(tmp) / str(size)
            folder.mkdir()
            profile = parse_profile(build_set(folder, size), str(folder / "tenant.toml"))
            paths = sorted(str(p) for p in folder.glob("*.json"))
            holder = {}

            def whole():
                holder["result"] = lint_paths(paths, registry, Selection(), lambda _p: profile, bundle=True)

            if not rows:
                whole()  # warm-up: imports and caches, not part of any size's figure
            whole_time = timed(whole, args.repeat)
            facts = [check_source(load_source(p), rules, Selection(), profile, facts=True)[1] for p in paths]
            bundle_time = timed(lambda: lint_set(facts, registry, Selection(), lambda _p: profile), 10 * args.repeat)
            cross = [f for f in holder["result"].findings if f.rule.startswith("CF7")]
            rows.append((len(paths), whole_time, bundle_time, len(cross)))
    base_n, base_whole, base_bundle, _ = rows[0]
    print(f"{'flows':>6} {'lint --bundle s':>16} {'per flow ms':>12} {'ratio':>7} {'x linear':>9} "
          f"{'CF7 pass s':>11} {'ratio':>7} {'x linear':>9} {'CF7 findings':>13}")
    for n, whole_time, bundle_time, found in rows:
        scale = n / base_n
        print(f"{n:>6} {whole_time:>16.3f} {1000 * whole_time / n:>12.2f} {whole_time / base_whole:>7.2f} "
              f"{whole_time / base_whole / scale:>9.2f} {bundle_time:>11.4f} {bundle_time / base_bundle:>7.2f} "
              f"{bundle_time / base_bundle / scale:>9.2f} {found:>13}")


if __name__ == "__main__":
    main()
