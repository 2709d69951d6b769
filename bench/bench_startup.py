"""Benchmark: start-up of `intake` as a whole process, against the interpreter's own start-up.

    .venv/bin/python bench/bench_startup.py [--rounds 7] [--sample specialist-detail-expired] [--baseline-rev main]

In one run, alternating the commands round by round (so load on a shared machine hits all alike):
`python -c pass` (the interpreter alone), `python -c "import intake.cli"` (what every command pays) and
the whole `python -m intake check SAMPLE --format json` on a dossier whose documents are born-digital
PDFs (text layers, no scan: Tesseract is never started; its application carries a detached CMS).
With `--baseline-rev REV` the two `intake` commands also run on that commit (extracted with
`git archive` into a temporary folder, run from there), so a change is measured against it side by
side. Prints the median and the best wall time of each, the user+system CPU time, the ratios to
`python -c pass`, and for each `intake` command the ratio of this tree to the baseline commit
(a shared machine stretches wall time; CPU time is what the imports cost).

Bytecode is cached as an installed package has it (pip compiles it at install): the children run
with PYTHONDONTWRITEBYTECODE unset and PYTHONPYCACHEPREFIX in the temporary folder, so nothing is
written into either tree; `--no-bytecode-cache` compiles every module from source at every run instead.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(argv: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, user+system CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _extract(rev: str, into: Path) -> None:
    """The tree of commit `rev` written into `into` (no worktree, no change to the repository)."""
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sample", default="specialist-detail-expired")
    parser.add_argument("--baseline-rev", metavar="REV", help="Also run the intake commands on this commit.")
    parser.add_argument("--no-bytecode-cache", action="store_true", help="Compile every module at every run.")
    args = parser.parse_args()
    sample = Path("samples") / args.sample  # relative: each tree runs on its own copy of the samples
    extra = [str(a) for a in json.loads((ROOT / sample / "expected.json").read_text(encoding="utf-8"))["args"]]
    py = sys.executable
    intake = {
        "import intake.cli": [py, "-c", "import intake.cli"],
        f"intake check {args.sample}": [py, "-m", "intake", "check", str(sample), "--format", "json", *extra],
    }
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        trees = {"": ROOT}
        if args.baseline_rev:
            baseline = Path(tmp) / "baseline"
            baseline.mkdir()
            _extract(args.baseline_rev, baseline)
            trees[f" @{args.baseline_rev}"] = baseline
        commands: dict[str, tuple[list[str], Path]] = {"python -c pass": ([py, "-c", "pass"], ROOT)}
        for name, argv in intake.items():
            for suffix, tree in trees.items():
                commands[name + suffix] = (argv, tree)
        env = {**os.environ, "OMP_THREAD_LIMIT": os.environ.get("OMP_THREAD_LIMIT", "1")}
        if args.no_bytecode_cache:
            env["PYTHONDONTWRITEBYTECODE"] = "1"
        else:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        for argv, cwd in commands.values():  # warm the file cache (and write the bytecode) once
            _timed(argv, cwd, env)
        for _ in range(args.rounds):
            for name, (argv, cwd) in commands.items():
                wall, cpu = _timed(argv, cwd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
    base = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    width = max(len(name) for name in commands) + 2
    print(f"{'command':<{width}} {'median s':>9} {'best s':>8} {'x pass':>7} {'cpu s':>7} {'cpu x pass':>10}")
    for name in commands:
        med, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        best = min(walls[name])
        print(f"{name:<{width}} {med:>9.3f} {best:>8.3f} {med / base:>7.1f} {cpu:>7.3f} {cpu / base_cpu:>10.1f}")
    if args.baseline_rev:
        print(f"\nthis tree / {args.baseline_rev}: median wall, best wall, median cpu")
        for name in intake:
            then = name + f" @{args.baseline_rev}"
            ratios = (
                statistics.median(walls[name]) / statistics.median(walls[then]),
                min(walls[name]) / min(walls[then]),
                statistics.median(cpus[name]) / statistics.median(cpus[then]),
            )
            print(f"{name:<{width}} {ratios[0]:>9.2f} {ratios[1]:>8.2f} {ratios[2]:>7.2f}")


if __name__ == "__main__":
    main()
