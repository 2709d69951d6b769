"""The queue with the real parts on loopback: redis-server, `intake worker` processes, SQLite in WAL mode.

Every wait is bounded; every test stops its workers and its Redis.
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from intake.service import queue
from intake.service.jobs import CheckOptions
from intake.service.store import Screening, Store
from tests.services import RedisServer, redis_server, stop_group

__all__ = ["redis_server"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "organization-complete"
SAMPLE_BIN = "190340045215"
OPTIONS = CheckOptions(at=datetime.fromisoformat("2026-11-20T12:00:00+05:00"), no_ocr=True)
WAIT = 240.0


class Workers:
    """`intake worker` processes started as a real deployment starts them; killed with their group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, processes: int = 1) -> subprocess.Popen[bytes]:
        with self.log.open("ab") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "intake", "worker", "--processes", str(processes)],
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes], sig: int = signal.SIGKILL) -> None:
        stop_group(proc, sig, wait=30)

    def stop(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                self.kill(proc, signal.SIGTERM)


@pytest.fixture
def deployment(tmp_path: Path, redis_server: RedisServer) -> Iterator[tuple[Store, Workers, RedisServer]]:
    url = f"sqlite:///{tmp_path / 'data' / 'intake.db'}"
    env = {
        **os.environ,
        "INTAKE_REDIS_URL": redis_server.url,
        "INTAKE_DATABASE_URL": url,
        "INTAKE_QUEUE_HEARTBEAT_MS": "3000",  # a killed worker's message goes back after 3 s
        "INTAKE_QUEUE_MAINTENANCE": "1000000",  # ... checked on every fetch
        "INTAKE_JOB_RETRIES": "2",
        "INTAKE_JOB_MIN_BACKOFF_MS": "200",
        "PYTHONPATH": str(ROOT),
    }
    store = Store.open(url)
    store.migrate()
    workers = Workers(env, tmp_path / "worker.log")
    try:
        yield store, workers, redis_server
    finally:
        workers.stop()
        store.engine.dispose()


def broker_for(server: RedisServer) -> queue.RedisBroker:
    os.environ["INTAKE_QUEUE_HEARTBEAT_MS"] = "3000"
    try:
        return queue.make_broker(server.url)
    finally:
        del os.environ["INTAKE_QUEUE_HEARTBEAT_MS"]


def until(what: Callable[[], bool], seconds: float = WAIT) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if what():
            return
        time.sleep(0.2)
    raise AssertionError(f"not reached within {seconds:g} s")


def status(store: Store, jid: str) -> str:
    return str((queue.job_status(jid, store) or {}).get("status"))


def dossier(folder: Path, text: str = '{"kind": "specialist"}') -> Path:
    folder.mkdir(parents=True)
    (folder / "application.json").write_text(text, encoding="utf-8")
    return folder


def screenings_of(store: Store, jid: str) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Screening).where(Screening.job_id == jid)) or 0)


def test_submit_worker_and_a_second_submit_answered_from_the_store(
    tmp_path: Path, deployment: tuple[Store, Workers, RedisServer]
) -> None:
    store, workers, server = deployment
    broker = broker_for(server)
    sample = shutil.copytree(SAMPLE, tmp_path / "inbox" / "org")
    jid, state = queue.submit(sample, OPTIONS, store, to=broker)
    assert state == "queued"
    assert queue.submit(sample, OPTIONS, store, to=broker) == (jid, "queued")  # waiting: not sent twice
    workers.start()
    until(lambda: status(store, jid) == "done")
    result = queue.job_status(jid, store)
    assert result is not None
    assert result["verdict"] == result["report"]["verdict"]
    assert result["report"]["dossier"].endswith("org")
    assert queue.submit(sample, OPTIONS, store, to=broker) == (jid, "done")  # answered from the stored result
    assert screenings_of(store, jid) == 1
    with store.session() as s:
        row = s.scalars(select(Screening)).one()
        assert row.dossier.applicant_bin == SAMPLE_BIN
    assert SAMPLE_BIN not in workers.log.read_text(encoding="utf-8", errors="replace")


def test_poison_dossier_dead_lettered_after_its_retries_while_others_go_on(
    tmp_path: Path, deployment: tuple[Store, Workers, RedisServer]
) -> None:
    store, workers, server = deployment
    broker = broker_for(server)
    poison = dossier(tmp_path / "poison")
    poison_id, _ = queue.submit(poison, OPTIONS, store, to=broker)
    shutil.rmtree(poison)  # gone from shared storage before a worker reads it: retried, then dead
    good = [
        queue.submit(dossier(tmp_path / f"good{i}", f'{{"kind": "specialist", "n": {i}}}'), OPTIONS, store, to=broker)[
            0
        ]
        for i in range(3)
    ]
    workers.start()
    until(lambda: all(status(store, j) == "done" for j in good) and status(store, poison_id) == "dead")
    state = queue.job_status(poison_id, store)
    assert state is not None
    assert "no such file" in str(state["error"])
    assert state["attempts"] == 3  # the first try and two retries
    until(lambda: poison_id in queue.dead_letters(broker), 30)


def test_worker_killed_mid_job_is_redelivered_and_stored_once(
    tmp_path: Path, deployment: tuple[Store, Workers, RedisServer]
) -> None:
    store, workers, server = deployment
    broker = broker_for(server)
    slow = CheckOptions(at=OPTIONS.at, no_ocr=False)  # OCR of the scan: seconds of work to interrupt
    jid, _ = queue.submit(shutil.copytree(SAMPLE, tmp_path / "org"), slow, store, to=broker)
    first = workers.start()
    until(lambda: status(store, jid) == "running")
    workers.kill(first)  # SIGKILL to the supervisor and its worker process
    assert status(store, jid) == "running"
    workers.start()
    until(lambda: status(store, jid) == "done")
    state = queue.job_status(jid, store)
    assert state is not None
    assert state["attempts"] >= 2
    assert screenings_of(store, jid) == 1


def test_redis_restarted_mid_batch_loses_nothing(
    tmp_path: Path, deployment: tuple[Store, Workers, RedisServer]
) -> None:
    store, workers, server = deployment
    broker = broker_for(server)
    ids = [
        queue.submit(dossier(tmp_path / f"d{i}", f'{{"kind": "organization", "n": {i}}}'), OPTIONS, store, to=broker)[0]
        for i in range(6)
    ]
    workers.start()
    until(lambda: any(status(store, j) == "done" for j in ids))
    server.restart()  # appendonly: the queue survives; the worker reconnects
    until(lambda: all(status(store, j) == "done" for j in ids))
    assert all(screenings_of(store, j) == 1 for j in ids)


def test_database_locked_the_job_retries(tmp_path: Path, deployment: tuple[Store, Workers, RedisServer]) -> None:
    store, workers, server = deployment
    broker = broker_for(server)
    jid, _ = queue.submit(dossier(tmp_path / "d"), OPTIONS, store, to=broker)
    database = str(store.engine.url.database)
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(database, timeout=30)
        conn.execute("BEGIN EXCLUSIVE")
        locked.set()
        release.wait(WAIT)  # held until a worker has failed on it
        conn.rollback()
        conn.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(30)
        workers.start()
        until(lambda: "database is locked" in workers.log.read_text(encoding="utf-8", errors="replace"))
    finally:
        release.set()
        holder.join(60)
    until(lambda: status(store, jid) == "done")  # the retry after the lock went
    assert screenings_of(store, jid) == 1
