"""The queue: Dramatiq on Redis. `intake submit` enqueues, `intake worker` consumes.

    job = submit(Path("inbox/x.zip"), options, store)     # job id = content hash + settings hash
    # intake worker --processes 2   (dramatiq intake.service.queue, one thread per process)

The message carries only the job id; the job row in the database holds the options and the path on
shared storage, and the screening is stored under the job id once (a unique key), so a message delivered
twice (a worker killed mid-job, Redis restarted) stores one result. A job already screened is answered
from the stored result without a message.

Faults: an exception is retried with exponential backoff (`MAX_RETRIES`), the database being locked or
away included; after the last retry the job is marked `dead` with the reason and Dramatiq moves the
message to its dead-letter queue. A dossier that is not a dossier at all is not retried: the job is `dead`
at once with the reason. Settings from the environment: `INTAKE_REDIS_URL`, `INTAKE_DATABASE_URL`,
`INTAKE_JOB_TIME_LIMIT` (seconds), `INTAKE_QUEUE_HEARTBEAT_MS`, `INTAKE_PAGE_IMAGES` (pages per document kept as
images for the web pages, made during the screening; default 12, 0 for none).
"""

from __future__ import annotations

import logging
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import CurrentMessage
from sqlalchemy import select

from intake.errors import DossierNotFound, IntakeError
from intake.service import logs
from intake.service.jobs import CheckOptions, content_hash, job_id
from intake.service.store import Job, Screening, Store

REDIS_ENV = "INTAKE_REDIS_URL"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
QUEUE = "intake"
MAX_RETRIES = int(os.environ.get("INTAKE_JOB_RETRIES", "3"))
MIN_BACKOFF_MS = int(os.environ.get("INTAKE_JOB_MIN_BACKOFF_MS", "1000"))
MAX_BACKOFF_MS = 60_000
TIME_LIMIT_MS = int(float(os.environ.get("INTAKE_JOB_TIME_LIMIT", "900")) * 1000)
PAGE_IMAGES = int(os.environ.get("INTAKE_PAGE_IMAGES", "12"))  # pages per document kept as images for the web

log = logging.getLogger("intake.queue")


def make_broker(url: str | None = None) -> RedisBroker:
    """The Redis broker; a worker whose heartbeat stops has its messages given to another."""
    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=url or os.environ.get(REDIS_ENV, DEFAULT_REDIS),
        namespace="intake",
        heartbeat_timeout=int(os.environ.get("INTAKE_QUEUE_HEARTBEAT_MS", "60000")),
        maintenance_chance=int(os.environ.get("INTAKE_QUEUE_MAINTENANCE", "1000")),
    )
    broker.add_middleware(CurrentMessage())
    return broker


broker = make_broker()
dramatiq.set_broker(broker)
logs.install("dramatiq", "intake")

_STORE: Store | None = None


def store() -> Store:
    """The store of this process (from the environment), migrated once."""
    global _STORE  # noqa: PLW0603 - one store per worker process
    if _STORE is None:
        _STORE = Store.open()
        _STORE.migrate()
    return _STORE


def now() -> datetime:
    return datetime.now(tz=UTC)


def _set_job(s: Store, jid: str, **values: Any) -> None:
    with s.session() as session:
        job = session.get(Job, jid)
        if job is not None:
            for key, value in values.items():
                setattr(job, key, value)
            job.updated_at = now()


def applicant_of(path: Path) -> str | None:
    """The applicant's BIN or IIN as the application states it (for the supplier row), if readable."""
    from intake import application
    from intake.files import open_dossier

    try:
        with open_dossier(path) as opened:
            raw = application.load(opened.application_path()).raw
    except IntakeError:
        return None
    if isinstance(raw, dict):
        for key in ("bin", "iin"):
            value = raw.get(key)
            if isinstance(value, str) and value.isdigit() and len(value) == 12:
                return value
    return None


def transient(retries: int, exc: BaseException) -> bool:
    """Retry everything but a dossier that is not one (a missing path on shared storage may come back)."""
    if isinstance(exc, IntakeError) and not isinstance(exc, DossierNotFound):
        return False
    return retries < MAX_RETRIES


@dramatiq.actor(
    queue_name=QUEUE,
    max_retries=MAX_RETRIES,
    min_backoff=MIN_BACKOFF_MS,
    max_backoff=MAX_BACKOFF_MS,
    time_limit=TIME_LIMIT_MS,
    retry_when=transient,
)
def screen_job(jid: str) -> None:
    """Screen the dossier of a job and store the result once."""
    s = store()
    with s.session() as session:
        job = session.get(Job, jid)
        if job is None:
            log.warning("job %s: unknown (the database was reset?); dropped", jid)
            return
        if job.screening_id is not None or session.scalar(select(Screening.id).where(Screening.job_id == jid)):
            job.status = "done"  # delivered again after it was stored: nothing to do
            return
        job.status = "running"
        job.attempts += 1
        job.updated_at = now()
        source, options_doc = Path(job.source), dict(job.options)
        content, settings = job.content_hash, job.settings_hash
    message = CurrentMessage.get_current_message()
    retries = int(message.options.get("retries", 0)) if message is not None else 0
    try:
        started = now()
        options = CheckOptions.model_validate(options_doc)
        from intake.service.casework import store_pages
        from intake.service.jobs import check_with_pages

        report, pages = check_with_pages(source, options, pages=PAGE_IMAGES)
        finished = now()
        store_pages(s, jid, pages)  # before the screening: the web page shows them as soon as it is done
        s.record_screening(
            job_id=jid,
            content_hash=content,
            settings_hash=settings,
            settings=options.model_dump(mode="json"),
            report=report.model_dump(mode="json"),
            started_at=started,
            finished_at=finished,  # the dossier row and its applicant were made by `submit`
        )
        log.info("job %s: %s in %.2f s", jid, report.verdict.value, (finished - started).total_seconds())
    except BaseException as exc:
        why = f"{type(exc).__name__}: {logs.mask_ids(str(exc))}"
        last = not transient(retries, exc) if isinstance(exc, Exception) else retries >= MAX_RETRIES
        try:
            _set_job(s, jid, status="dead" if last else "queued", error=why)
        except Exception:  # the database itself is away: the retry will record it
            log.warning("job %s: could not record the failure (%s)", jid, why)
        log.warning("job %s: %s (%s)", jid, why, "dead-lettered" if last else f"retry {retries + 1}/{MAX_RETRIES}")
        raise


def submit(
    path: Path,
    options: CheckOptions,
    s: Store,
    *,
    at: datetime | None = None,
    to: RedisBroker | None = None,
    content: str | None = None,
    applicant: str | None = None,
) -> tuple[str, str]:
    """Enqueue a dossier; returns (job id, status). A job already done or waiting is not sent again.

    `content` (its content hash) and `applicant` (BIN/IIN) may be given by a caller that knows them already
    (the web upload hashed and read the zip in memory); otherwise they are read from the path.

    Raises:
        DossierNotFound: the path does not exist.
    """
    if not path.exists():
        raise DossierNotFound(f"{path}: no such file or folder")
    content = content or content_hash(path)
    settings = options.digest()
    jid = job_id(content, settings)
    moment = at or now()
    if s.screening(jid) is not None:
        return jid, "done"
    with s.session() as session:
        job = session.get(Job, jid)
        if job is not None and job.status in ("queued", "running"):
            return jid, job.status
        if job is None:
            job = Job(
                id=jid,
                content_hash=content,
                settings_hash=settings,
                options=options.model_dump(mode="json"),
                source=str(path.absolute()),
                status="queued",
                attempts=0,
                created_at=moment,
                updated_at=moment,
            )
            session.add(job)
        else:  # dead before: try again
            job.status, job.error, job.updated_at = "queued", None, moment
    s.submitted(content, moment, applicant=applicant or applicant_of(path))
    (to or broker).enqueue(screen_job.message(jid))
    return jid, "queued"


def job_status(jid: str, s: Store) -> dict[str, Any] | None:
    """What the API and `intake submit --wait` show of a job."""
    with s.session() as session:
        job = session.get(Job, jid)
        if job is None:
            return None
        doc: dict[str, Any] = {"id": job.id, "status": job.status, "attempts": job.attempts, "error": job.error}
    screening = s.screening(jid)
    if screening is not None:
        doc["status"] = "done"
        doc["verdict"] = screening.verdict
        doc["report"] = screening.report
    return doc


def dead_letters(on: RedisBroker | None = None, limit: int = 100) -> list[str]:
    """Job ids in Dramatiq's dead-letter queue for `intake`."""
    from dramatiq import Message

    client: Any = (on or broker).client
    ids: list[str] = []
    for message_id in client.zrange(f"intake:{QUEUE}.XQ", 0, limit - 1):
        data = client.hget(f"intake:{QUEUE}.XQ.msgs", message_id)
        if data:
            ids.extend(str(a) for a in Message.decode(bytes(data)).args)
    return ids


def pending_jobs(s: Store) -> list[str]:
    with s.session() as session:
        return list(session.scalars(select(Job.id).where(Job.status.in_(("queued", "running")))))
