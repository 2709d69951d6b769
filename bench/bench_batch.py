"""The gate at scale (issue 13): N copies of a born-digital (text-only) sample dossier, screened

  1. by `intake check` as a whole process, one dossier per start (the baseline: start-up every time);
  2. by `intake batch --workers 1` and `--workers 2` (warm worker processes);
  3. through Redis: `intake submit` of all N, then `intake worker --processes 1` and `--processes 2`.

All in one run, so the ratios compare like with like on this machine at this moment. Targets: per dossier
<= 0.25 s with warm workers; two workers >= 1.8x one; the same through Redis, and the queue overhead per
job (queue seconds per job minus batch seconds per job, one worker each) <= 10 ms.

    python bench/bench_batch.py [--dossiers 200] [--starts 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's intake, not an installed one
SAMPLE = ROOT / "samples" / "specialist-detail-expired"
AT = "2026-11-20T12:00:00+05:00"


def copies(folder: Path, n: int) -> list[Path]:
    """N copies, each made distinct by one extra byte in a note (distinct content: distinct jobs)."""
    out = []
    for i in range(n):
        target = folder / f"d{i:04d}"
        shutil.copytree(SAMPLE, target)
        (target / "state" / "note.txt").write_text(f"copy {i}\n", encoding="utf-8")
        out.append(target)
    return out


def warm_in_process(dossiers: list[Path], k: int = 10) -> tuple[float, float]:
    """Wall and CPU seconds per dossier of the job code in this (warm) process: what one worker costs
    when it has a core to itself, whatever else the machine runs."""
    from intake.service.jobs import CheckOptions, check, warm

    warm(True)
    options = CheckOptions(at=datetime.fromisoformat(AT), no_ocr=True)
    check(dossiers[0], options)
    wall, cpu = time.perf_counter(), time.process_time()
    for d in dossiers[1 : k + 1]:
        check(d, options)
    return (time.perf_counter() - wall) / k, (time.process_time() - cpu) / k


def cli(*args: str, env: dict[str, str] | None = None) -> float:
    """Wall seconds of one `intake` process."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "intake", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def through_redis(inbox: Path, work: Path, processes: int) -> tuple[float, float]:
    """Seconds from the first worker start to the last stored result (all N submitted beforehand), and the
    queue's own time per job: from the first job's start to the last one's end, less the time spent in the
    pipeline, per job (fetching, acknowledging, the job and screening rows), with one worker process."""
    port = free_port()
    folder = work / f"redis-{processes}"
    folder.mkdir()
    redis = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "INTAKE_REDIS_URL": f"redis://127.0.0.1:{port}/0",
        "INTAKE_DATABASE_URL": f"sqlite:///{folder / 'intake.db'}",
        "PYTHONPATH": str(ROOT),
    }
    try:
        time.sleep(0.5)
        os.environ.update({k: env[k] for k in ("INTAKE_REDIS_URL", "INTAKE_DATABASE_URL")})
        from intake.service import queue
        from intake.service.jobs import CheckOptions
        from intake.service.store import Store

        store = Store.open(env["INTAKE_DATABASE_URL"])
        store.migrate()
        broker = queue.make_broker(env["INTAKE_REDIS_URL"])
        options = CheckOptions(at=datetime.fromisoformat(AT), no_ocr=True)
        ids = [queue.submit(d, options, store, to=broker)[0] for d in sorted(inbox.iterdir())]
        started = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, "-m", "intake", "worker", "--processes", str(processes)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while len(queue.pending_jobs(store)) > 0:
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
        finally:
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
        done = sum(1 for j in ids if (queue.job_status(j, store) or {}).get("status") == "done")
        assert done == len(ids), f"{done} of {len(ids)} stored"
        rows = store.list_screenings(limit=len(ids))
        span = (max(r.finished_at for r in rows) - min(r.started_at for r in rows)).total_seconds()
        overhead = (span - sum(r.seconds for r in rows)) / len(rows)
        store.engine.dispose()
        return elapsed, overhead
    finally:
        redis.terminate()
        redis.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=200)
    parser.add_argument("--starts", type=int, default=5, help="whole-process `intake check` runs for the baseline")
    args = parser.parse_args()
    n = args.dossiers
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        work = Path(tmp)
        inbox = work / "inbox"
        inbox.mkdir()
        dossiers = copies(inbox, n)
        check = [cli("check", str(d), "--at", AT, "--no-ocr", "--format", "json") for d in dossiers[: args.starts]]
        warm_wall, warm_cpu = warm_in_process(dossiers)
        per_start = sorted(check)[len(check) // 2]
        batch = {}
        for workers in (1, 2):
            out = work / f"out-{workers}"
            common = ["--at", AT, "--no-ocr", "--format", "jsonl", "--out", str(out)]
            batch[workers] = cli("batch", str(inbox), "--workers", str(workers), *common)
        redis = {p: through_redis(inbox, work, p) for p in (1, 2)} if shutil.which("redis-server") else {}
    print(f"{n} text-only dossiers (copies of {SAMPLE.name}), {os.cpu_count()} cores")
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f} (other work on the machine slows every wall-clock figure)")
    print(f"{'run':<42} {'total s':>9} {'s/dossier':>10}")
    print(f"{'intake check, one process per dossier':<42} {'':>9} {per_start:>10.3f}   (median of {len(check)})")
    print(f"{'job code, warm, in this process':<42} {'':>9} {warm_wall:>10.3f}   ({warm_cpu:.3f} s CPU)")
    for w, t in batch.items():
        print(f"{f'intake batch --workers {w}':<42} {t:>9.2f} {t / n:>10.3f}")
    for p, (t, _) in redis.items():
        print(f"{f'Redis: intake worker --processes {p}':<42} {t:>9.2f} {t / n:>10.3f}")
    print()
    print(f"warm batch vs a process per dossier : {per_start / (batch[1] / n):.1f}x faster per dossier")
    print(f"batch, 2 workers vs 1               : {batch[1] / batch[2]:.2f}x  (target >= 1.8x)")
    print(f"batch, s per dossier, 2 workers     : {batch[2] / n:.3f}  (target <= 0.25; CPU {warm_cpu:.3f})")
    if redis:
        print(f"Redis, 2 worker processes vs 1      : {redis[1][0] / redis[2][0]:.2f}x  (target >= 1.8x)")
        print(f"queue overhead per job (1 worker)   : {redis[1][1] * 1000:.1f} ms  (target <= 10 ms)")
    else:
        print("Redis: redis-server not installed; queue runs skipped")


if __name__ == "__main__":
    main()
