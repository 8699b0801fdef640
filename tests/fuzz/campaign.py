"""The long fuzz campaign (run locally, not in CI): many seeded inputs, every crash kept.

    nice python tests/fuzz/campaign.py --inputs 100000 --workers 2 --seed 1 --out /tmp/fuzz

Every input goes through ``lint --format json``; every ``--show-every``-th through
``show`` and every ``--patch-every``-th through ``patch --in-place`` too (in-process,
via click's CliRunner). Small base flows are picked more often (probability ~ 1/size²)
so that a campaign of 100,000 inputs fits in an hour on a shared machine; the shipped
rule files, which no input changes, are parsed once per worker. Prints one
summary line per worker and a total; inputs that crashed are written to ``--out``.
"""

from __future__ import annotations

import argparse
import collections
import json
import multiprocessing
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parents[2]), str(Path(__file__).resolve().parents[1])]  # the checkout

from fuzz.mutate import base_flows, check, first_variable, mutate  # noqa: E402


def worker(args) -> dict:
    index, count, seed, show_every, patch_every, out = args
    import functools

    from click.testing import CliRunner

    from connectflow.cli import cli
    from connectflow.lint import yaml_rules

    # The shipped rule files are the same for every input: parse them once per worker
    # (parsing them is ~70% of a small input's time) and spend the hour on the flows.
    yaml_rules.load_dir = functools.lru_cache(maxsize=None)(yaml_rules.load_dir)

    def invoke(argv):
        result = CliRunner().invoke(cli, argv)
        return result.exit_code, result.output, result.exception

    rng = random.Random(f"{seed}:{index}")
    bases = [(p, p.read_bytes()) for p in base_flows()]
    weights = [1 / len(raw) ** 2 for _, raw in bases]  # small flows far more often: more inputs per hour
    kinds, problems, crashes = collections.Counter(), collections.Counter(), []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "input.json"
        for number in range(count):
            base, raw = rng.choices(bases, weights)[0]
            kind, data = mutate(raw, rng)
            kinds[kind] += 1
            path.write_bytes(data)
            commands = ["lint"]
            if number % show_every == 0:
                commands.append("show")
            if number % patch_every == 0:
                commands.append("patch")
            found = check(path, invoke, first_variable(raw), tuple(commands))
            for problem in found:
                problems[problem.split(":")[0] + ": " + problem.split(":")[1].strip()[:60]] += 1
            if (number + 1) % 250 == 0:  # progress: real figures even if the run is cut short
                print(f"worker {index}: {number + 1} inputs, {len(crashes)} failing, "
                      f"{time.perf_counter() - started:.0f}s", file=sys.stderr, flush=True)
            if found:
                saved = Path(out) / f"w{index}-{number}-{base.stem}.json"
                saved.write_bytes(data)
                crashes.append({"input": str(saved), "problems": found})
    return {"worker": index, "inputs": count, "kinds": dict(kinds), "failures": len(crashes),
            "problems": dict(problems), "seconds": round(time.perf_counter() - started, 1), "examples": crashes[:5]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show-every", type=int, default=3)
    parser.add_argument("--patch-every", type=int, default=10)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "connectflow-fuzz"))
    options = parser.parse_args()
    Path(options.out).mkdir(parents=True, exist_ok=True)
    share = [options.inputs // options.workers + (i < options.inputs % options.workers)
             for i in range(options.workers)]
    jobs = [(i, n, options.seed, options.show_every, options.patch_every, options.out) for i, n in enumerate(share)]
    started = time.perf_counter()
    if options.workers == 1:
        results = [worker(jobs[0])]
    else:
        with multiprocessing.Pool(options.workers) as pool:
            results = pool.map(worker, jobs)
    for result in results:
        print(json.dumps(result), flush=True)
    total = sum(r["inputs"] for r in results)
    failures = sum(r["failures"] for r in results)
    kinds = collections.Counter()
    for r in results:
        kinds.update(r["kinds"])
    print(f"TOTAL inputs={total} failures={failures} kinds={dict(kinds)} "
          f"wall={time.perf_counter() - started:.0f}s seed={options.seed}", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
