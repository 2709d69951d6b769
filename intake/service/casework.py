"""The clerk's casework: accounts, cases, review decisions, the audit log, and the page images.

    work = Casework(store)
    work.add_user("aigerim", "secret", role="clerk", body="almaty-dep", region="Almaty", at=now)
    case = work.open_case(user, job_id, upload="x.zip", at=now)     # one upload by one body
    work.decide(user, case_id, finding=3, decision="confirmed", comment="seen", at=now)
    work.move(user, case_id, "checked", at=now)                   # only the transitions of TRANSITIONS

A *case* is one upload by one local executive body; its screening is the queue's job (content hash +
settings hash), so two bodies uploading the same zip share one screening but never see each other's
case, review or notice. Every action goes to the audit log (who, what, when). Tables: `web_user`
(argon2 hashes), `web_case` (body, region, status of paragraphs 20-28, the edited notice),
`web_review`, `web_audit`, `web_page_image` (the page images made once during screening).
Time is passed in.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, mapped_column

from intake.errors import ConfigurationError
from intake.service.store import Base, Job, Screening, Store, utc
from intake.workdays import Timeline

Role = Literal["clerk", "supervisor"]
ROLES: tuple[Role, ...] = ("clerk", "supervisor")
Decision = Literal["confirmed", "overruled"]

# The status of a case along paragraphs 20-28, and the only moves allowed between them.
STATUSES = ("submitted", "checked", "sent", "included", "refused", "notified")
STATUS_PARAGRAPH = {
    "submitted": "20",
    "checked": "21",
    "sent": "22",
    "included": "27",
    "refused": "27",
    "notified": "28",
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("checked",),  # 21: completeness checked (the screening done)
    "checked": ("sent",),  # 22: sent to the Commission
    "sent": ("included", "refused"),  # 27: the Commission's decision
    "included": ("notified",),  # 28: the supplier notified
    "refused": ("notified",),
}
DECISION_STATUSES = ("included", "refused")  # recorded by a supervisor only: the Commission's decision

PAGE_WIDTH_SMALL = 320


class User(Base):
    """A clerk or supervisor of one local executive body."""

    __tablename__ = "web_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(12))
    body: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str | None] = mapped_column(String(120), nullable=True)
    lang: Mapped[str] = mapped_column(String(2), default="ru")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Case(Base):
    """One upload by one body: its screening job, status, and the notice as the clerk edited it."""

    __tablename__ = "web_case"
    id: Mapped[str] = mapped_column(String(24), primary_key=True)  # random: not guessable, not a counter
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    body: Mapped[str] = mapped_column(String(120), index=True)
    region: Mapped[str | None] = mapped_column(String(120), nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    upload: Mapped[str] = mapped_column(String(255))
    created_by: Mapped[int] = mapped_column(ForeignKey("web_user.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verdict: Mapped[str | None] = mapped_column(String(10), nullable=True, index=True)
    applicant_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    applicant_id: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    due: Mapped[date | None] = mapped_column(Date, nullable=True)  # paragraph 21: the check's due date
    notice_text: Mapped[str | None] = mapped_column(Text, nullable=True)


class Review(Base):
    """A clerk's decision on one finding that needs a person: confirmed or overruled, with a comment."""

    __tablename__ = "web_review"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("web_case.id", ondelete="CASCADE"))
    finding: Mapped[int] = mapped_column(Integer)  # the index in the report's findings
    code: Mapped[str] = mapped_column(String(12))
    decision: Mapped[str] = mapped_column(String(10))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int] = mapped_column(ForeignKey("web_user.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (UniqueConstraint("case_id", "finding", name="uq_web_review_case_finding"),)


class Audit(Base):
    """Who did what, when (sign-in, upload, review, status, notice, download)."""

    __tablename__ = "web_audit"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str | None] = mapped_column(String(24), nullable=True, index=True)
    user: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PageImage(Base):
    """A page image of a screened dossier (large and small JPEG in the file store), made once."""

    __tablename__ = "web_page_image"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    file: Mapped[str] = mapped_column(Text)
    page: Mapped[int] = mapped_column(Integer)
    large: Mapped[str] = mapped_column(String(64))
    small: Mapped[str] = mapped_column(String(64))
    frame_width: Mapped[int] = mapped_column(Integer)
    frame_height: Mapped[int] = mapped_column(Integer)


@dataclass(frozen=True)
class Account:
    """A signed-in user, as the pages see them."""

    id: int
    name: str
    role: str
    body: str
    region: str | None
    lang: str


def _account(u: User) -> Account:
    return Account(u.id, u.name, u.role, u.body, u.region, u.lang)


class CaseworkError(ConfigurationError):
    """An action the rules do not allow (an illegal status move, an unknown finding)."""


HASHER = PasswordHasher()
_DUMMY = HASHER.hash("not a password")


class Casework:
    """Accounts, cases, reviews and the audit log over one store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # ------------------------------------------------------------------ accounts

    def add_user(
        self, name: str, password: str, *, role: str, body: str, region: str | None, at: datetime, lang: str = "ru"
    ) -> Account:
        """Create an account; the password is kept as its argon2id hash only."""
        if role not in ROLES:
            raise ConfigurationError(f"--role must be clerk or supervisor (got {role!r})")
        if len(password) < 8:
            raise ConfigurationError("the password must have at least 8 characters")
        if not body.strip():
            raise ConfigurationError("--body must name the local executive body")
        with self.store.session() as s:
            if s.scalar(select(User).where(User.name == name)) is not None:
                raise ConfigurationError(f"a user named {name!r} exists already")
            user = User(
                name=name, password_hash=HASHER.hash(password), role=role, body=body, region=region, lang=lang,
                created_at=at,
            )  # fmt: skip
            s.add(user)
            s.add(Audit(user=name, action="user-added", detail=f"{role} of {body}", at=at))
            s.flush()
            return _account(user)

    def authenticate(self, name: str, password: str) -> Account | None:
        """The account when the password matches; a hash is checked even for an unknown name (same time)."""
        with self.store.session() as s:
            user = s.scalar(select(User).where(User.name == name))
            try:
                HASHER.verify(user.password_hash if user else _DUMMY, password)
            except (VerificationError, InvalidHashError):
                return None
            if user is None:
                return None
            if HASHER.check_needs_rehash(user.password_hash):
                user.password_hash = HASHER.hash(password)
            return _account(user)

    def account(self, uid: int) -> Account | None:
        with self.store.session() as s:
            user = s.get(User, uid)
            return _account(user) if user else None

    def set_lang(self, uid: int, lang: str) -> None:
        with self.store.session() as s:
            user = s.get(User, uid)
            if user is not None:
                user.lang = lang

    # ------------------------------------------------------------------ cases

    def audit(self, user: str, action: str, at: datetime, *, case_id: str | None = None, detail: str = "") -> None:
        with self.store.session() as s:
            s.add(Audit(case_id=case_id, user=user, action=action, detail=detail, at=at))

    def open_case(self, user: Account, job_id: str, *, upload: str, at: datetime) -> str:
        """A new case of the user's body for a queued job; returns its id."""
        cid = secrets.token_hex(10)
        with self.store.session() as s:
            s.add(
                Case(
                    id=cid, job_id=job_id, body=user.body, region=user.region, status="submitted", upload=upload,
                    created_by=user.id, created_at=at, updated_at=at,
                )
            )  # fmt: skip
            s.add(Audit(case_id=cid, user=user.name, action="uploaded", detail=upload, at=at))
        return cid

    def case(self, user: Account, cid: str) -> Case | None:
        """The case when the user's body owns it; None otherwise (the page answers 404 either way)."""
        with self.store.session() as s:
            case = s.get(Case, cid)
            if case is None or case.body != user.body:
                return None
            self._refresh(s, case)
            return case

    def _refresh(self, s: Any, case: Case) -> None:
        """Copy the verdict and the applicant from the screening once it is stored."""
        if case.verdict is not None:
            return
        screening = s.scalar(select(Screening).where(Screening.job_id == case.job_id))
        if screening is None:
            return
        report = screening.report
        case.verdict = screening.verdict
        applicant = report.get("applicant") or {}
        case.applicant_name = applicant.get("name")
        case.applicant_id = applicant.get("bin") or applicant.get("iin")
        steps = (report.get("timeline") or {}).get("steps") or []
        due = next((x.get("due") for x in steps if x.get("paragraph") == "21"), None)
        case.due = date.fromisoformat(due) if due else received_timeline(case.created_at).step("21").due

    def job(self, job_id: str) -> tuple[str, str | None, dict[str, Any] | None]:
        """(status, error, report) of a case's job: queued, running, done or dead."""
        with self.store.session() as s:
            screening = s.scalar(select(Screening).where(Screening.job_id == job_id))
            if screening is not None:
                return "done", None, screening.report
            job = s.get(Job, job_id)
            if job is None:
                return "dead", "the job is unknown (the database was reset?)", None
            return job.status, job.error, None

    def cases(
        self,
        user: Account,
        *,
        status: str | None = None,
        verdict: str | None = None,
        region: str | None = None,
        q: str | None = None,
    ) -> list[Case]:
        """The cases of the user's body, by due date (then newest), filtered."""
        with self.store.session() as s:
            for case in s.scalars(select(Case).where(Case.body == user.body, Case.verdict.is_(None))):
                self._refresh(s, case)
            s.flush()
            query = select(Case).where(Case.body == user.body)
            if status:
                query = query.where(Case.status == status)
            if verdict:
                query = query.where(Case.verdict == verdict)
            if region:
                query = query.where(Case.region == region)
            if q:
                like = f"%{q.strip()}%"
                query = query.where(
                    or_(Case.applicant_id.like(like), Case.applicant_name.ilike(like), Case.upload.ilike(like))
                )
            rows = list(s.scalars(query.order_by(Case.created_at.desc())))
            return sorted(rows, key=lambda c: (c.due is None, c.due or date.min))

    def regions(self, user: Account) -> list[str]:
        with self.store.session() as s:
            found = s.scalars(select(Case.region).where(Case.body == user.body).distinct())
            return sorted(r for r in found if r)

    def decide(
        self, user: Account, cid: str, *, finding: int, code: str, decision: str, comment: str, at: datetime
    ) -> None:
        """Record (or change) the decision on one finding; audited."""
        if decision not in ("confirmed", "overruled"):
            raise CaseworkError(f"decision must be confirmed or overruled (got {decision!r})")
        with self.store.session() as s:
            row = s.scalar(select(Review).where(Review.case_id == cid, Review.finding == finding))
            if row is None:
                row = Review(case_id=cid, finding=finding, code=code)
                s.add(row)
            row.decision, row.comment, row.user_id, row.at = decision, comment, user.id, at
            s.add(Audit(case_id=cid, user=user.name, action=decision, detail=f"{code} #{finding}: {comment}", at=at))

    def reviews(self, cid: str) -> dict[int, tuple[str, str, str, datetime]]:
        """finding index -> (decision, comment, who, when)."""
        with self.store.session() as s:
            rows = s.execute(
                select(Review, User.name).join(User, User.id == Review.user_id).where(Review.case_id == cid)
            ).all()
            return {r.finding: (r.decision, r.comment, name, utc(r.at)) for r, name in rows}

    def log(self, cid: str) -> list[Audit]:
        with self.store.session() as s:
            return list(s.scalars(select(Audit).where(Audit.case_id == cid).order_by(Audit.id)))

    def move(self, user: Account, cid: str, to: str, *, at: datetime, screened: bool) -> None:
        """Move a case to the next status of paragraphs 20-28; anything else is refused.

        Raises:
            CaseworkError: the move is not among TRANSITIONS, the screening is not done, or a clerk records
                the Commission's decision.
        """
        with self.store.session() as s:
            case = s.get(Case, cid)
            if case is None or case.body != user.body:
                raise CaseworkError("no such case")
            if to not in TRANSITIONS.get(case.status, ()):
                raise CaseworkError(f"a case {case.status} cannot become {to}")
            if case.status == "submitted" and not screened:
                raise CaseworkError("the screening is not done yet")
            if to in DECISION_STATUSES and user.role != "supervisor":
                raise CaseworkError("only a supervisor records the Commission's decision")
            s.add(Audit(case_id=cid, user=user.name, action="status", detail=f"{case.status} → {to}", at=at))
            case.status, case.updated_at = to, at

    def save_notice(self, user: Account, cid: str, text: str, at: datetime) -> None:
        with self.store.session() as s:
            case = s.get(Case, cid)
            if case is None or case.body != user.body:
                raise CaseworkError("no such case")
            case.notice_text, case.updated_at = text, at
            s.add(Audit(case_id=cid, user=user.name, action="notice-edited", detail=f"{len(text)} characters", at=at))

    # ------------------------------------------------------------------ page images

    def pages(self, job_id: str) -> list[PageImage]:
        with self.store.session() as s:
            return list(
                s.scalars(select(PageImage).where(PageImage.job_id == job_id).order_by(PageImage.file, PageImage.page))
            )


def received_timeline(received: datetime) -> Timeline:
    """The due dates of paragraphs 21-28 from the upload, for a dossier whose application states no date."""
    from intake.workdays import default_calendar, timeline

    return timeline(utc(received), default_calendar())


def store_pages(store: Store, job_id: str, thumbs: Sequence[Any]) -> int:
    """Keep the page images of a screening (large as rendered, small scaled down) once per job."""
    from PIL import Image

    with store.session() as s:
        if s.scalar(select(PageImage.id).where(PageImage.job_id == job_id).limit(1)) is not None:
            return 0
    rows = []
    for th in thumbs:
        large = store.blobs.put(th.jpeg)
        with Image.open(io.BytesIO(th.jpeg)) as image:
            scale = PAGE_WIDTH_SMALL / max(1, image.width)
            small_image = image.resize((PAGE_WIDTH_SMALL, max(1, round(image.height * scale))))
            buffer = io.BytesIO()
            small_image.save(buffer, format="JPEG", quality=70)
        small = store.blobs.put(buffer.getvalue())
        rows.append(
            PageImage(
                job_id=job_id, file=th.file, page=th.page, large=large, small=small, frame_width=th.frame[0],
                frame_height=th.frame[1],
            )
        )  # fmt: skip
    with store.session() as s:
        s.add_all(rows)
    return len(rows)
