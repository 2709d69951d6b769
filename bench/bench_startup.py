"""Benchmark: start-up of `intake` as a whole process, against the interpreter's own start-up.

    .venv/bin/python bench/bench_startup.py [--rounds 7] [--sample specialist-detail-expired]

In one run, alternating the commands round by round (so load on a shared machine hits all alike):
`python -c pass` (the baseline), `python -c "import intake.cli"` (what every command pays) and the whole
`python -m intake check SAMPLE --format json` on a dossier whose documents are born-digital PDFs (text
layers, no scan: Tesseract is never started; its application carries a detached CMS). Prints the
median and the best wall time of each, the ratios to the baseline, and the user CPU time of the check
(a shared machine stretches wall time; CPU time is what the imports cost).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _timed(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, user+system CPU seconds of the child) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--sample", default="specialist-detail-expired")
    args = parser.parse_args()
    sample = ROOT / "samples" / args.sample
    extra = [str(a) for a in json.loads((sample / "expected.json").read_text(encoding="utf-8"))["args"]]
    py = sys.executable
    commands = {
        "python -c pass": [py, "-c", "pass"],
        "import intake.cli": [py, "-c", "import intake.cli"],
        f"intake check {args.sample}": [py, "-m", "intake", "check", str(sample), "--format", "json", *extra],
    }
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for argv in commands.values():  # warm the file cache once
        _timed(argv)
    for _ in range(args.rounds):
        for name, argv in commands.items():
            wall, cpu = _timed(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base = statistics.median(walls["python -c pass"])
    base_cpu = statistics.median(cpus["python -c pass"])
    print(f"{'command':<42} {'median s':>9} {'best s':>8} {'x pass':>7} {'cpu s':>7} {'cpu x pass':>10}")
    for name in commands:
        med, cpu = statistics.median(walls[name]), statistics.median(cpus[name])
        print(f"{name:<42} {med:>9.3f} {min(walls[name]):>8.3f} {med / base:>7.1f} {cpu:>7.3f} {cpu / base_cpu:>10.1f}")


if __name__ == "__main__":
    main()
