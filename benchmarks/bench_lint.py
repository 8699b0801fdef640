"""Time and memory of connectflow's main paths. Prints figures; asserts nothing.

    python benchmarks/bench_lint.py [--repeat N] [--flows DIR]

In-process, per stage (for whole-process goals and ratios, see bench.py). Measures,
per input: load (read + sniff + JSON parse), model, graph, all rules, placing the
findings (pointer -> line:column), and peak Python memory (tracemalloc)
for one whole lint. Inputs: the reference flows (../shared/reference-flows when
present), the bundled samples, and a synthetic flow grown to about 9 MB (close
to the platform's 10 MB limit) by repeating prebuilt nodes.
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from connectflow.lint import Selection, lint_source  # noqa: E402
from connectflow.lint.context import Context  # noqa: E402
from connectflow.lint.registry import builtin_registry  # noqa: E402
from connectflow.load import load_bytes  # noqa: E402
from connectflow.model import build_flow  # noqa: E402


def synthetic(target_bytes: int) -> bytes:
    from flowkit import dumps, webhook_flow

    document = webhook_flow()
    template = next(c for c in document["cells"] if c["id"] == "30")
    next_id = 10_000
    text = dumps(document)
    while len(text) < target_bytes:
        for _ in range(200):
            cell = copy.deepcopy(template)
            cell["id"] = str(next_id)
            document["cells"].append(cell)
            document["cells"].append({"id": str(next_id + 1), "parent": "1", "vertex": False, "edge": True,
                                      "source": "20", "target": str(next_id),
                                      "value": {"label": "", "name": 1, "porttype": "MP", "type": "EDGE"}})
            next_id += 2
        text = dumps(document)
    return text.encode()


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def measure(name: str, raw: bytes, rules, repeat: int) -> dict:
    source = load_bytes(name, raw)
    flow = build_flow(source.data)
    pointers = [f.pointer for f in lint_source(load_bytes(name, raw), rules, Selection(), locate=False)]
    figures = {
        "load_ms": best(lambda: load_bytes(name, raw), repeat),
        "model_ms": best(lambda: build_flow(source.data), repeat),
        "graph_ms": best(lambda: Context(source, flow=flow).graph, repeat),
        "locate_ms": best(lambda: source.locate_all(pointers), repeat),  # as lint places them
        "lint_ms": best(lambda: lint_source(load_bytes(name, raw), rules, Selection()), repeat),
    }
    tracemalloc.start()
    lint_source(load_bytes(name, raw), rules, Selection())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    figures["peak_mib"] = peak / 2**20
    figures["kib"] = len(raw) / 1024
    figures["cells"] = len(source.data["cells"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--flows", type=Path, default=ROOT.parent / "shared" / "reference-flows")
    parser.add_argument("--synthetic-mb", type=float, default=9.0)
    args = parser.parse_args()

    rules = list(builtin_registry())
    inputs = [(p.name, p.read_bytes()) for p in sorted(args.flows.glob("*.json"))] if args.flows.is_dir() else []
    inputs += [(p.name, p.read_bytes()) for p in sorted((ROOT / "samples" / "cce").glob("*.json"))]
    inputs.append((f"synthetic-{args.synthetic_mb:g}MB", synthetic(int(args.synthetic_mb * 2**20))))

    print(f"connectflow benchmark: {len(rules)} rules, best of {args.repeat}, Python {sys.version.split()[0]}")
    header = (f"{'input':<34}{'KiB':>8}{'cells':>7}{'load ms':>9}{'model ms':>9}{'graph ms':>9}"
              f"{'locate ms':>10}{'lint ms':>9}{'peak MiB':>10}")
    print(header)
    print("-" * len(header))
    per_kib = []
    for name, raw in inputs:
        f = measure(name, raw, rules, args.repeat)
        per_kib.append(f["lint_ms"] / f["kib"])
        print(f"{name:<34}{f['kib']:>8.0f}{f['cells']:>7}{f['load_ms']:>9.1f}{f['model_ms']:>9.1f}"
              f"{f['graph_ms']:>9.1f}{f['locate_ms']:>10.1f}{f['lint_ms']:>9.1f}{f['peak_mib']:>10.1f}")
    print(f"lint cost: median {statistics.median(per_kib):.3f} ms/KiB")
    start = time.perf_counter()
    import subprocess

    subprocess.run([sys.executable, "-c", "from connectflow.cli import cli"], check=True, cwd=ROOT)
    print(f"start-up (import connectflow.cli in a new interpreter): {(time.perf_counter() - start) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
