"""The HTML report against its baseline, lint, measured in the same run. Prints; asserts nothing.

    python benchmarks/bench_report.py [--repeat N] [--flows DIR]

Baseline: what ``connectflow lint DIR`` does (load, every rule, line:column) for every flow
of DIR (default: the 13 bundled samples). Measured: what ``connectflow report DIR`` does
(the same lint, plus the view, the layered layout and the HTML for each flow). The target
(issue 13) is a ratio under 2. Both run in this process and are timed in CPU time, in
alternating rounds (lint, report, lint, report, ...), so that other work on the machine
slows both alike; each figure is the best of N rounds, and every round's ratio is printed
too. Start-up and disk caches count for neither.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connectflow.flowview import build_views  # noqa: E402
from connectflow.lint import Selection, lint_paths  # noqa: E402
from connectflow.lint.registry import builtin_registry  # noqa: E402
from connectflow.profile import profile_resolver  # noqa: E402
from connectflow.report.html import render_report  # noqa: E402


def cpu_time(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--flows", default=str(ROOT / "samples" / "cce"))
    args = parser.parse_args()
    paths = [args.flows]

    def lint() -> None:
        lint_paths(paths, builtin_registry(), Selection(), profile_resolver(None))

    size = {}

    def report() -> None:
        size["html"] = len(render_report(build_views(paths)))

    lint(), report()  # warm imports and caches for both alike
    rounds = [(cpu_time(lint), cpu_time(report)) for _ in range(args.repeat)]
    flows = len(build_views(paths, lint=False))
    print(f"flows: {flows} from {args.flows}; CPU time, {args.repeat} rounds")
    for number, (lint_time, report_time) in enumerate(rounds, start=1):
        print(f"  round {number}: lint {lint_time * 1000:7.1f} ms  report {report_time * 1000:7.1f} ms  "
              f"ratio {report_time / lint_time:.2f}")
    lint_time, report_time = min(r[0] for r in rounds), min(r[1] for r in rounds)
    print(f"lint:   {lint_time * 1000:8.1f} ms  (baseline, best round)")
    print(f"report: {report_time * 1000:8.1f} ms  (best round; {size['html'] / 1024:.0f} KiB of HTML)")
    print(f"ratio report/lint: {report_time / lint_time:.2f}  (target < 2)")


if __name__ == "__main__":
    main()
