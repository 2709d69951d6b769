"""The database of screenings, and the content-addressed file store beside it.

    store = Store.open()                      # INTAKE_DATABASE_URL, else SQLite in INTAKE_DATA_DIR
    store.migrate()                           # Alembic, migrations shipped in intake/service/migrations
    sid = store.record_screening(result, report_json, applicant=..., submitted=...)
    store.purge(at=date(2029, 1, 1), apply=False)   # paragraph 35: dry run by default

Tables: `supplier` (applicant BIN/IIN, removal date), `dossier` (content hash, kind), `screening`
(settings, report JSON, verdict, timings; one per job id), `case_event` (the case history of paragraphs
20-35 with the due dates of `intake.workdays`), `job` (queue state, for `intake worker` and the API) and
`api_token` (hashed tokens with scopes). SQLite by default (WAL, foreign keys on, a busy timeout);
PostgreSQL by URL. Time is passed in; nothing here reads the clock but the `now()` default of callers.
"""

from __future__ import annotations

import enum
import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from intake.errors import ConfigurationError

DATABASE_ENV = "INTAKE_DATABASE_URL"
DATA_ENV = "INTAKE_DATA_DIR"
STORE_ENV = "INTAKE_STORE"
RETENTION_YEARS = 2  # paragraph 35: a removed supplier's information is kept two years

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
JsonType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    """The models; constraint names follow `NAMING` so Alembic can alter them."""

    metadata = MetaData(naming_convention=NAMING)


class CaseEvent(enum.StrEnum):
    """Steps of a case (paragraphs 20-35)."""

    SUBMITTED = "submitted"  # 20: the application and documents arrive
    CHECKED = "checked"  # 21: completeness verified (this gate)
    SENT_TO_COMMISSION = "sent_to_commission"  # 22
    DECIDED = "decided"  # 27
    NOTIFIED = "notified"  # 28
    CHANGED = "changed"  # 30-31: a change goes through the same review
    REMOVED = "removed"  # 32-35: removal; the retention of 35 runs from here


STEP_EVENT = {
    "21": CaseEvent.CHECKED,
    "22": CaseEvent.SENT_TO_COMMISSION,
    "27": CaseEvent.DECIDED,
    "28": CaseEvent.NOTIFIED,
}


class Supplier(Base):
    """An applicant, by BIN (organization) or IIN (specialist)."""

    __tablename__ = "supplier"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(12), unique=True)
    removed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    dossiers: Mapped[list[Dossier]] = relationship(back_populates="supplier", cascade="all, delete-orphan")


class Dossier(Base):
    """A dossier as received: identified by its content hash."""

    __tablename__ = "dossier"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"), nullable=True)
    applicant_bin: Mapped[str | None] = mapped_column(String(12), nullable=True)
    applicant_iin: Mapped[str | None] = mapped_column(String(12), nullable=True)
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    blob: Mapped[str | None] = mapped_column(String(64), nullable=True)  # sha256 of the stored archive
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    supplier: Mapped[Supplier | None] = relationship(back_populates="dossiers")
    screenings: Mapped[list[Screening]] = relationship(back_populates="dossier", cascade="all, delete-orphan")
    events: Mapped[list[CaseHistory]] = relationship(back_populates="dossier", cascade="all, delete-orphan")


class Screening(Base):
    """One screening of one dossier with one set of settings: the report and how long it took."""

    __tablename__ = "screening"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(32), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    settings_hash: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict[str, Any]] = mapped_column(JsonType)
    verdict: Mapped[str] = mapped_column(String(10), index=True)
    report: Mapped[dict[str, Any]] = mapped_column(JsonType)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    seconds: Mapped[float] = mapped_column(Float)
    dossier: Mapped[Dossier] = relationship(back_populates="screenings")


class CaseHistory(Base):
    """A step of the case: when it happened, and by when it is due (`intake.workdays`)."""

    __tablename__ = "case_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(24))
    paragraph: Mapped[str] = mapped_column(String(8))
    happened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    dossier: Mapped[Dossier] = relationship(back_populates="events")
    __table_args__ = (UniqueConstraint("dossier_id", "event", name="uq_case_event_dossier_event"),)


class Job(Base):
    """A queued screening: what the worker and the API see of it."""

    __tablename__ = "job"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    settings_hash: Mapped[str] = mapped_column(String(64))
    options: Mapped[dict[str, Any]] = mapped_column(JsonType)
    source: Mapped[str] = mapped_column(Text)  # the path on shared storage, or the blob's path
    status: Mapped[str] = mapped_column(String(12), index=True)  # queued, running, done, dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ApiToken(Base):
    """An API token, stored as its SHA-256 only, with its scopes ("submit", "read")."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def utc(moment: datetime) -> datetime:
    """SQLite keeps no time zone: read moments back as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def default_url() -> str:
    """`INTAKE_DATABASE_URL`, else SQLite at `INTAKE_DATA_DIR/intake.db` (default `./intake-data`)."""
    url = os.environ.get(DATABASE_ENV)
    if url:
        return url
    folder = Path(os.environ.get(DATA_ENV, "intake-data")).absolute()
    return f"sqlite:///{folder / 'intake.db'}"


def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")  # first: the others may wait on a lock
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")  # off per connection by default: cascades would do nothing
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys and a busy timeout on every connection.

    Raises:
        ConfigurationError: the URL cannot be used.
    """
    try:
        engine = create_engine(url, pool_pre_ping=True)
    except Exception as exc:  # an unknown dialect, a missing driver
        raise ConfigurationError(f"{DATABASE_ENV}: cannot use {mask_url(url)} ({exc})") from exc
    if engine.dialect.name == "sqlite":
        if engine.url.database and engine.url.database != ":memory:":
            Path(engine.url.database).parent.mkdir(parents=True, exist_ok=True)
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def mask_url(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable URL>"


@dataclass(frozen=True)
class PurgeItem:
    """A supplier whose retention has ended, and what a purge removes with it."""

    identifier: str
    removed_on: date
    purge_after: date
    dossiers: int
    screenings: int
    blobs: tuple[str, ...]


def purge_after(removed_on: date) -> date:
    """Two calendar years after removal (29 February: 28 February; paragraph 35)."""
    try:
        return removed_on.replace(year=removed_on.year + RETENTION_YEARS)
    except ValueError:
        return removed_on.replace(year=removed_on.year + RETENTION_YEARS, day=28)


class Blobs:
    """Files by SHA-256 under a folder: `ab/cdef...`; written once, never changed."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, digest: str) -> Path:
        return self.root / digest[:2] / digest[2:]

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}")
            tmp.write_bytes(data)
            tmp.replace(target)
        return digest

    def put_file(self, source: Path) -> str:
        return self.put(source.read_bytes())

    def delete(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)


class Store:
    """The database and the file store of one deployment."""

    def __init__(self, engine: Engine, blobs: Blobs) -> None:
        self.engine = engine
        self.blobs = blobs

    @classmethod
    def open(cls, url: str | None = None, store: Path | None = None) -> Store:
        """The store for a URL (default `default_url()`); files beside an SQLite file, else `INTAKE_STORE`."""
        url = url or default_url()
        engine = make_engine(url)
        if store is None:
            env = os.environ.get(STORE_ENV)
            if env:
                store = Path(env)
            elif engine.dialect.name == "sqlite" and engine.url.database not in (None, ":memory:"):
                store = Path(str(engine.url.database)).parent / "blobs"
            else:
                store = Path(os.environ.get(DATA_ENV, "intake-data")) / "blobs"
        return cls(engine, Blobs(store.absolute()))

    def migrate(self) -> None:
        """Bring the schema to the newest migration (Alembic, shipped in the package)."""
        from alembic import command

        command.upgrade(alembic_config(self.engine), "head")

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session in a transaction: committed at the end, rolled back on an exception."""
        with Session(self.engine, expire_on_commit=False) as session, session.begin():
            yield session

    # ------------------------------------------------------------------ dossiers and screenings

    def dossier(
        self,
        session: Session,
        content_hash: str,
        *,
        received_at: datetime,
        kind: str | None = None,
        applicant: str | None = None,
        blob: str | None = None,
    ) -> Dossier:
        """The dossier with this content hash, created (with its supplier) when new."""
        found = session.scalar(select(Dossier).where(Dossier.content_hash == content_hash))
        if found is not None:
            if kind and not found.kind:
                found.kind = kind
            return found
        supplier = None
        if applicant:
            supplier = session.scalar(select(Supplier).where(Supplier.identifier == applicant))
            if supplier is None:
                supplier = Supplier(identifier=applicant)
                session.add(supplier)
        is_bin = kind in ("organization",) or (applicant is not None and applicant[4:5] in ("4", "5", "6"))
        dossier = Dossier(
            content_hash=content_hash,
            supplier=supplier,
            applicant_bin=applicant if applicant and is_bin else None,
            applicant_iin=applicant if applicant and not is_bin else None,
            kind=kind,
            blob=blob,
            received_at=received_at,
        )
        session.add(dossier)
        session.flush()
        return dossier

    def screening(self, job_id: str) -> Screening | None:
        """The stored screening of a job, if any."""
        with self.session() as s:
            return s.scalar(select(Screening).where(Screening.job_id == job_id))

    def record_screening(
        self,
        *,
        job_id: str,
        content_hash: str,
        settings_hash: str,
        settings: dict[str, Any],
        report: dict[str, Any],
        started_at: datetime,
        finished_at: datetime,
        applicant: str | None = None,
        blob: str | None = None,
    ) -> int:
        """Store a screening once: a second call with the same job id returns the first one's id."""
        try:
            with self.session() as s:
                existing = s.scalar(select(Screening.id).where(Screening.job_id == job_id))
                if existing is not None:
                    return existing
                kind = report.get("kind")
                dossier = self.dossier(
                    s, content_hash, received_at=started_at, kind=kind, applicant=applicant, blob=blob
                )
                screening = Screening(
                    job_id=job_id,
                    dossier=dossier,
                    settings_hash=settings_hash,
                    settings=settings,
                    verdict=str(report.get("verdict", "error")),
                    report=report,
                    started_at=started_at,
                    finished_at=finished_at,
                    seconds=(finished_at - started_at).total_seconds(),
                )
                s.add(screening)
                self._event(s, dossier, CaseEvent.CHECKED, "21", finished_at, note=f"verdict {screening.verdict}")
                s.flush()
                job = s.get(Job, job_id)
                if job is not None:  # the queue's job, done in the same transaction
                    job.status, job.screening_id, job.error, job.updated_at = "done", screening.id, None, finished_at
                return screening.id
        except IntegrityError:  # another worker stored the same job at the same moment: keep theirs
            with self.session() as s:
                existing = s.scalar(select(Screening.id).where(Screening.job_id == job_id))
                if existing is None:
                    raise
                return existing

    def list_screenings(
        self, *, verdict: str | None = None, since: datetime | None = None, limit: int = 100
    ) -> list[Screening]:
        """Screenings, newest first, filtered by verdict and finish time."""
        with self.session() as s:
            query = select(Screening).order_by(Screening.finished_at.desc()).limit(limit)
            if verdict:
                query = query.where(Screening.verdict == verdict)
            if since:
                query = query.where(Screening.finished_at >= since)
            return list(s.scalars(query))

    # ------------------------------------------------------------------ case history (paragraphs 20-35)

    def _event(
        self, s: Session, dossier: Dossier, what: CaseEvent, paragraph: str, at: datetime, note: str | None = None
    ) -> CaseHistory:
        row = s.scalar(select(CaseHistory).where(CaseHistory.dossier_id == dossier.id, CaseHistory.event == what))
        if row is None:
            row = CaseHistory(dossier=dossier, event=what.value, paragraph=paragraph)
            s.add(row)
        if row.happened_at is None:
            row.happened_at = at
        row.note = note or row.note
        return row

    def submitted(self, content_hash: str, at: datetime, *, applicant: str | None = None) -> None:
        """Paragraph 20: the dossier arrived; the due dates of 21-28 follow from `at` (`intake.workdays`)."""
        from intake import workdays

        with self.session() as s:
            dossier = self.dossier(s, content_hash, received_at=at, applicant=applicant)
            self._event(s, dossier, CaseEvent.SUBMITTED, "20", at)
            steps = workdays.timeline(at, workdays.default_calendar()).steps
            for step in steps:
                what = STEP_EVENT.get(step.paragraph.value)
                if what is None:
                    continue
                row = s.scalar(
                    select(CaseHistory).where(CaseHistory.dossier_id == dossier.id, CaseHistory.event == what)
                )
                if row is None:
                    row = CaseHistory(dossier=dossier, event=what.value, paragraph=step.paragraph.value)
                    s.add(row)
                row.due = step.due

    def mark(self, content_hash: str, what: CaseEvent, at: datetime, note: str | None = None) -> None:
        """Record a step of the case; `removed` also starts the retention of paragraph 35."""
        paragraph = {
            CaseEvent.SUBMITTED: "20",
            CaseEvent.CHANGED: "30",
            CaseEvent.REMOVED: "35",
        }.get(what) or next(p for p, e in STEP_EVENT.items() if e is what)
        with self.session() as s:
            dossier = s.scalar(select(Dossier).where(Dossier.content_hash == content_hash))
            if dossier is None:
                raise ConfigurationError(f"no dossier with content hash {content_hash}")
            self._event(s, dossier, what, paragraph, at, note)
            if what is CaseEvent.REMOVED and dossier.supplier is not None:
                dossier.supplier.removed_on = at.date()

    def history(self, content_hash: str) -> list[CaseHistory]:
        with self.session() as s:
            dossier = s.scalar(select(Dossier).where(Dossier.content_hash == content_hash))
            if dossier is None:
                return []
            return list(
                s.scalars(select(CaseHistory).where(CaseHistory.dossier_id == dossier.id).order_by(CaseHistory.id))
            )

    # ------------------------------------------------------------------ retention (paragraph 35)

    def purge(self, at: date, *, apply: bool = False) -> list[PurgeItem]:
        """Suppliers removed more than two years before `at`, with their dossiers, screenings and files.

        A dry run (the default) only lists them; `apply=True` deletes the rows (cascade) and the files no
        other dossier uses.
        """
        items: list[PurgeItem] = []
        with self.session() as s:
            suppliers = s.scalars(select(Supplier).where(Supplier.removed_on.is_not(None)).order_by(Supplier.id))
            doomed = [x for x in suppliers if x.removed_on is not None and purge_after(x.removed_on) <= at]
            for supplier in doomed:
                assert supplier.removed_on is not None
                blobs = tuple(sorted({d.blob for d in supplier.dossiers if d.blob}))
                items.append(
                    PurgeItem(
                        identifier=supplier.identifier,
                        removed_on=supplier.removed_on,
                        purge_after=purge_after(supplier.removed_on),
                        dossiers=len(supplier.dossiers),
                        screenings=sum(len(d.screenings) for d in supplier.dossiers),
                        blobs=blobs,
                    )
                )
                if apply:
                    s.delete(supplier)
            if apply:
                s.flush()
                still = set(s.scalars(select(Dossier.blob).where(Dossier.blob.is_not(None))))
        if apply:
            for item in items:
                for digest in item.blobs:
                    if digest not in still:
                        self.blobs.delete(digest)
        return items

    # ------------------------------------------------------------------ API tokens

    def add_token(self, name: str, scopes: Sequence[str], at: datetime) -> str:
        """Create a token; only its SHA-256 is kept, so the returned secret is shown once."""
        unknown = set(scopes) - {"submit", "read"}
        if unknown or not scopes:
            raise ConfigurationError(f"scopes must be among submit, read (got {', '.join(scopes) or 'none'})")
        secret = "itk_" + secrets.token_urlsafe(32)
        with self.session() as s:
            if s.scalar(select(ApiToken).where(ApiToken.name == name)) is not None:
                raise ConfigurationError(f"a token named {name!r} exists already")
            s.add(ApiToken(name=name, token_hash=token_hash(secret), scopes=",".join(sorted(scopes)), created_at=at))
        return secret

    def token_scopes(self, secret: str) -> frozenset[str] | None:
        """The scopes of a token, or None when it is unknown."""
        with self.session() as s:
            row = s.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
            return frozenset(row.scopes.split(",")) if row is not None else None


def token_hash(secret: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast hash suffices (no password stretching)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def alembic_config(engine: Engine) -> Any:
    """An Alembic configuration on the migrations shipped in `intake/service/migrations`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def copy_blob(blobs: Blobs, digest: str, target: Path) -> Path:
    """A stored file copied out (for a worker that needs a path)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(blobs.path(digest), target)
    return target
