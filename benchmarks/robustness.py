"""Issue 15's figures: kill/SIGTERM during writes, concurrent patches, hostile inputs.

    python benchmarks/robustness.py kill [--trials 100] [--mib 20]
    python benchmarks/robustness.py kill-cli [--trials 50] [--mib 0]
    python benchmarks/robustness.py race [--pairs 50]
    python benchmarks/robustness.py hostile

``kill``: a child replaces a >= 20 MB flow through ``write_files`` (the code
``patch --in-place`` runs) and is sent SIGKILL or SIGTERM at a random moment of its
write (timed from the moment its temporary file appears, over 1.3 times an uninterrupted
write's duration measured first, so that some signals come after the replace); afterwards the flow must
be exactly the old or the new bytes, and after the next run no temporary file of
ours may be left. ``race``: pairs of ``connectflow patch --in-place`` with different
values start together on one flow; an update may never be lost while its run says
exit 0. ``hostile``: each hostile input of the issue through the CLI in a fresh
process; prints wall time, CPU time (user + system) and peak RSS per case, then a summary
with the worst of each and how many cases are over each limit (2 s wall, 2 s CPU, 200 MiB).
Wall time over the limit with CPU time under it means waiting (a loaded machine), not work.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _temps(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".connectflow-" in p.name and p.name.endswith(".tmp")]


def kill(trials: int, mib: int, seed: int) -> int:
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="cf-kill-"))
    old = folder / "old.bin"
    new = folder / "new.bin"
    body = json.dumps({"cells": [{"id": str(i), "value": {"tag": "x", "text": "a" * 200}} for i in
                                 range(mib * 1024 * 1024 // 240)]}).encode()
    old.write_bytes(body)
    new.write_bytes(body.replace(b'"a', b'"b', 1000))
    old_bytes, new_bytes = old.read_bytes(), new.read_bytes()
    target = folder / "flow.json"
    counts = {"old": 0, "new": 0, "partial": 0, "temp_left_after_next_run": 0,
              "temp_left_after_SIGKILL": 0, "temp_left_after_SIGTERM": 0}
    signals = {"SIGKILL": 0, "SIGTERM": 0}
    started = time.perf_counter()

    def start_writer():
        target.write_bytes(old_bytes)
        child = subprocess.Popen([PY, str(ROOT / "tests" / "fuzz" / "writer.py"), str(target), str(new), str(old)],
                                 env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        child.stdout.readline()  # "ready": the bytes are read, the write starts now
        deadline = time.perf_counter() + 5
        while not _temps(folder) and child.poll() is None and time.perf_counter() < deadline:
            time.sleep(0.0005)
        return child

    # How long a whole write takes here and now (temp file to exit): the signals are spread
    # over 1.3 times that, so that some land before, some during and some after the replace.
    durations = []
    for _ in range(3):
        child, begun = start_writer(), time.perf_counter()
        child.wait()
        durations.append(time.perf_counter() - begun)
    window = 1.3 * sorted(durations)[1]
    for trial in range(trials):
        child = start_writer()
        time.sleep(rng.uniform(0, window))
        name = rng.choice(["SIGKILL", "SIGTERM"])
        signals[name] += 1
        if child.poll() is None:
            child.send_signal(getattr(signal, name))
        child.wait()
        after = target.read_bytes()
        counts["old" if after == old_bytes else "new" if after == new_bytes else "partial"] += 1
        if _temps(folder):
            counts[f"temp_left_after_{name}"] += 1  # SIGTERM must clean up itself; SIGKILL cannot
        # the next run (writing next to the flow) removes what a killed run left
        probe = folder / "next.json"
        subprocess.run([PY, str(ROOT / "tests" / "fuzz" / "writer.py"), str(probe), str(old), str(old)], env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _temps(folder):
            counts["temp_left_after_next_run"] += 1
    size = len(old_bytes) / 1024 / 1024
    print(json.dumps({"trials": trials, "flow_mib": round(size, 1), "write_seconds": round(window / 1.3, 2),
                      "signals": signals, **counts, "seconds": round(time.perf_counter() - started)}))
    return 1 if counts["partial"] or counts["temp_left_after_next_run"] or counts["temp_left_after_SIGTERM"] else 0


def kill_cli(trials: int, seed: int, mib: int = 0) -> int:
    """SIGKILL/SIGTERM at a random moment of a whole ``connectflow patch --in-place`` run
    (start-up, read, plan, verify, write), over 1.3 times its measured duration: the flow is
    always the old or the new bytes; a run that says "nothing was written" left the old
    ones; exit 0 means the new ones; no temporary file is left after the next run.
    ``mib``: patch a flow of at least that size (the Routed sample's nodes repeated, as
    benchmarks/bench.py makes its 10 MB flow) instead of the sample itself."""
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="cf-kill-cli-"))
    flow = folder / "routed.json"
    small = (ROOT / "samples" / "cce" / "routed.json").read_bytes()
    old_bytes = small
    if mib:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from bench import synthetic_flow

        old_bytes = synthetic_flow(json.loads(small), mib * 1024 * 1024).encode()
    argv = [PY, "-m", "connectflow", "patch", "--set-var", "RoutedMessage=patched", "--in-place", str(flow)]
    flow.write_bytes(old_bytes)
    begun = time.perf_counter()
    subprocess.run(argv, env=ENV, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    duration, new_bytes = time.perf_counter() - begun, flow.read_bytes()
    counts = {"old": 0, "new": 0, "partial": 0, "said_nothing_written_but_changed": 0,
              "exit_0_but_not_new": 0, "temp_left_after_next_run": 0, "temp_left_after_SIGTERM": 0}
    outcomes: dict[str, int] = {}
    for _ in range(trials):
        flow.write_bytes(old_bytes)
        child = subprocess.Popen(argv, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, 1.3 * duration))
        name = rng.choice(["SIGKILL", "SIGTERM"])
        if child.poll() is None:
            child.send_signal(getattr(signal, name))
        _, err = child.communicate()
        after = flow.read_bytes()
        state = "old" if after == old_bytes else "new" if after == new_bytes else "partial"
        counts[state] += 1
        key = f"{name} exit {child.returncode} -> {state}"
        outcomes[key] = outcomes.get(key, 0) + 1
        if b"nothing was written" in err and state != "old":
            counts["said_nothing_written_but_changed"] += 1
        if child.returncode == 0 and state != "new":
            counts["exit_0_but_not_new"] += 1
        if name == "SIGTERM" and _temps(folder):
            counts["temp_left_after_SIGTERM"] += 1
        probe = folder / "next.json"  # the next run writing in this folder removes a killed run's temp
        probe.write_bytes(small)
        subprocess.run([*argv[:-1], str(probe)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if _temps(folder):
            counts["temp_left_after_next_run"] += 1
    print(json.dumps({"trials": trials, "flow_mib": round(len(old_bytes) / 1024 / 1024, 1),
                      "run_seconds": round(duration, 2), **counts, "outcomes": outcomes}))
    bad = ("partial", "said_nothing_written_but_changed", "exit_0_but_not_new", "temp_left_after_next_run",
           "temp_left_after_SIGTERM")
    return 1 if any(counts[k] for k in bad) else 0


def race(pairs: int) -> int:
    folder = Path(tempfile.mkdtemp(prefix="cf-race-"))
    source = (ROOT / "samples" / "cce" / "routed.json").read_bytes()
    lost = both_ok = one_refused = 0
    started = time.perf_counter()
    codes_seen: dict[str, int] = {}
    for pair in range(pairs):
        flow = folder / "routed.json"
        flow.write_bytes(source)
        values = [f"first-{pair}", f"second-{pair}"]
        runs = [subprocess.Popen([PY, "-m", "connectflow", "patch", "--set-var", f"RoutedMessage={v}" if i == 0
                                  else f"RoutedTimeStamp={v}", "--in-place", str(flow)], env=ENV,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for i, v in enumerate(values)]
        codes = [run.wait() for run in runs]
        codes_seen[str(codes)] = codes_seen.get(str(codes), 0) + 1
        final = flow.read_text()
        for code, value in zip(codes, values):
            if code == 0 and value not in final:
                lost += 1
        if codes == [0, 0]:
            both_ok += 1
        elif sorted(codes) == [0, 2]:
            one_refused += 1
    print(json.dumps({"pairs": pairs, "lost_updates_with_exit_0": lost, "both_exit_0_both_kept": both_ok,
                      "one_refused_exit_2": one_refused, "exit_codes": codes_seen, "seconds": round(time.perf_counter() - started)}))
    return 1 if lost else 0


def hostile() -> int:
    sys.path[:0] = [str(ROOT / "tests")]
    import test_robustness as cases  # the suite's hostile inputs, reused

    folder = Path(tempfile.mkdtemp(prefix="cf-hostile-"))
    routed = ROOT / "samples" / "cce" / "routed.json"
    inputs: list[tuple[str, list[str]]] = []
    for name, text in cases.HOSTILE_FLOWS.items():
        path = folder / f"{name}.json"
        path.write_text(text, encoding="utf-8")
        inputs += [(f"lint {name}", ["lint", "--format", "sarif", str(path)]), (f"show {name}", ["show", str(path)]),
                   (f"patch {name}", ["patch", "--set-var", "RoutedMessage=x", "--in-place", str(path)])]
    fifo = folder / "fifo.json"
    os.mkfifo(fifo)
    inputs += [("lint FIFO", ["lint", str(fifo)]), ("profile FIFO", ["lint", "--profile", str(fifo), str(routed)]),
               ("show /dev/zero", ["show", "/dev/zero"])]
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("flow.json", "w") as member:
        for _ in range(200):  # 200 MB of spaces, streamed (this process stays small)
            member.write(b" " * (1024 * 1024))
    raw = buffer.getvalue()
    (folder / "bomb.zip").write_bytes(raw)
    inputs.append((f"zip bomb ({len(raw) // 1024} KB -> 200 MB)", ["lint", str(folder / "bomb.zip")]))
    for case, (text, _) in cases.BAD_RULES.items():
        rules = folder / f"rules-{case}"
        rules.mkdir()
        (rules / "CF901.yml").write_text(text)
        inputs.append((f"rule {case}", ["lint", "--rules", str(rules), str(routed)]))
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(10_000):
            archive.writestr(f"m{i}\n.json", b"{}")
    (folder / "many.zip").write_bytes(many.getvalue())
    inputs.append(("zip with 10,000 members", ["lint", str(folder / "many.zip")]))
    (folder / "loop.json").symlink_to(folder / "loop.json")
    inputs.append(("sarif on a symlink loop", ["lint", "--format", "sarif", str(folder / "loop.json")]))
    inputs += _more_hostile(folder, cases, routed)
    worst_time = worst_cpu = worst_mib = 0.0
    failures = 0
    over = {"wall": 0, "cpu": 0, "rss": 0}
    for label, argv in inputs:
        # GNU time forks the CLI from its own small image: peak RSS is the CLI's alone
        # (a child forked from this process would inherit this process's peak).
        child = subprocess.run(["/usr/bin/time", "-f", "TIME %e %U %S %M", PY, "-m", "connectflow", *argv], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=120)
        lines = child.stderr.decode("utf-8", "replace").strip().splitlines()
        wall, user, system, kib = map(float, lines[-1].split()[1:])
        output = "\n".join([child.stdout.decode("utf-8", "replace").strip(), *lines[:-1]]).strip()
        code = child.returncode
        cpu, mib = user + system, kib / 1024
        worst_time, worst_cpu, worst_mib = max(worst_time, wall), max(worst_cpu, cpu), max(worst_mib, mib)
        over["wall"] += wall >= LIMIT_SECONDS
        over["cpu"] += cpu >= LIMIT_SECONDS
        over["rss"] += mib >= LIMIT_MIB
        ok = code in (0, 1, 2) and wall < LIMIT_SECONDS and mib < LIMIT_MIB and "internal error" not in output
        failures += not ok
        last = output.splitlines()[-1][:90] if output else ""
        print(f"{'ok ' if ok else 'BAD'} exit {code} wall {wall:5.2f}s cpu {cpu:5.2f}s {mib:6.1f} MiB  {label:<36} {last}",
              flush=True)
    print(f"summary: {len(inputs)} cases; max wall {worst_time:.2f} s, max CPU {worst_cpu:.2f} s, max RSS "
          f"{worst_mib:.1f} MiB; over {LIMIT_SECONDS:g} s wall: {over['wall']}, over {LIMIT_SECONDS:g} s CPU: "
          f"{over['cpu']}, over {LIMIT_MIB} MiB: {over['rss']}; failed: {failures}")
    print(json.dumps({"cases": len(inputs), "failures": failures, "worst_wall_seconds": round(worst_time, 2),
                      "worst_cpu_seconds": round(worst_cpu, 2), "worst_mib": round(worst_mib, 1),
                      "over_wall": over["wall"], "over_cpu": over["cpu"], "over_rss": over["rss"]}))
    return 1 if failures else 0


LIMIT_SECONDS, LIMIT_MIB = 2, 200


def _more_hostile(folder: Path, cases, routed: Path) -> list[tuple[str, list[str]]]:
    """The issue's other hostile inputs: nested and lying zips, markup and control characters,
    text that once made masking backtrack, thousands of credentials, FIFOs as rule file and ECC
    list, and the profile/ECC mistakes."""
    import io
    import zipfile

    inputs = []
    payload = routed.read_bytes()
    for level in range(1000):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("l0.json" if level == 0 else f"l{level}.zip", payload)
        payload = buffer.getvalue()
    (folder / "deep.workflow.zip").write_bytes(payload)
    inputs.append(("zips nested 1,000 deep", ["lint", str(folder / "deep.workflow.zip")]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("flow.json", b" " * (8 * 1024 * 1024))
    liar = bytes(buffer.getvalue()).replace((8 * 1024 * 1024).to_bytes(4, "little"), (1000).to_bytes(4, "little"))
    (folder / "liar.zip").write_bytes(liar)
    inputs.append(("zip whose size header lies", ["lint", str(folder / "liar.zip")]))

    def flow_with(name: str, change) -> Path:
        document = json.loads(routed.read_text(encoding="utf-8"))
        change(document)
        path = folder / f"{name}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        return path

    def labelled(text: str):
        def change(document):
            document["flowId"] = text
            for cell in document["cells"]:
                value = cell.get("value")
                if isinstance(value, dict) and isinstance(value.get("attributes"), dict):
                    value["attributes"]["label"] = text
            document["customVariables"][1]["value"] = text
        return change

    evil = flow_with("evil", labelled(cases.EVIL))
    inputs += [("markup/ANSI/newlines: lint github", ["lint", "--format", "github", str(evil)]),
               ("markup/ANSI/newlines: show", ["show", str(evil)])]
    for name, text in (("letters", "a" * 200_000), ("backslashes", '"password": "' + "\\" * 100_000 + "x")):
        path = flow_with(f"label-{name}", labelled(text))
        inputs += [(f"200 KB label of {name}: show", ["show", str(path)]),
                   (f"200 KB label of {name}: show json", ["show", "--format", "json", str(path)]),
                   (f"200 KB label of {name}: lint", ["lint", str(path)])]
    many = flow_with("secrets", lambda d: d["customVariables"].extend(
        {"name": f"apiKey{i}", "value": f"secret-value-{i:06d}"} for i in range(20_000)))
    inputs += [("20,000 credentials: show", ["show", str(many)]), ("20,000 credentials: lint", ["lint", str(many)]),
               ("20,000 credentials: patch --diff", ["patch", "--set-var", "apiKey7=new-secret-value", "--diff",
                                                     str(many)])]
    fifo_rules = folder / "rules-fifo"
    fifo_rules.mkdir()
    os.mkfifo(fifo_rules / "CF901.yml")
    inputs.append(("rule file FIFO", ["lint", "--rules", str(fifo_rules), str(routed)]))
    for case, (name, text, _) in {**cases.BAD_PROFILES, "fifo-ecc": ("ecc.xml", None, "")}.items():
        place = folder / f"profile-{case}"
        place.mkdir()
        if text is None:
            os.mkfifo(place / name)
        else:
            (place / name).write_text(text)
        (place / "tenant.toml").write_text(f'[ecc]\nimport = "{name}"\n')
        inputs.append((f"profile {case}", ["lint", "--profile", str(place / "tenant.toml"), str(routed)]))
    (folder / "deep.toml").write_text("a = " + "[" * 3000 + "]" * 3000)
    inputs.append(("profile deep TOML", ["lint", "--profile", str(folder / "deep.toml"), str(routed)]))
    return inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    k = sub.add_parser("kill")
    k.add_argument("--trials", type=int, default=100)
    k.add_argument("--mib", type=int, default=20)
    k.add_argument("--seed", type=int, default=15)
    c = sub.add_parser("kill-cli")
    c.add_argument("--trials", type=int, default=50)
    c.add_argument("--seed", type=int, default=15)
    c.add_argument("--mib", type=int, default=0, help="patch a synthetic flow of at least this size")
    r = sub.add_parser("race")
    r.add_argument("--pairs", type=int, default=50)
    sub.add_parser("hostile")
    options = parser.parse_args()
    if options.what == "kill":
        return kill(options.trials, options.mib, options.seed)
    if options.what == "kill-cli":
        return kill_cli(options.trials, options.seed, options.mib)
    if options.what == "race":
        return race(options.pairs)
    return hostile()


if __name__ == "__main__":
    sys.exit(main())
