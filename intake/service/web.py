"""The clerk's web pages on `intake serve`: sign in, upload, the dossier page, review, status, notice.

Server-rendered Jinja2 (`intake/templates/web/`), one small script (`intake/static/web.js`) for the
upload progress and for following a screening; no inline script or style, so the CSP is strict
(`default-src 'self'`). Sessions are signed cookies (Starlette's SessionMiddleware, `INTAKE_SECRET_KEY`);
every POST carries the session's CSRF token (a form field or the `X-CSRF-Token` header) and is refused
without it. Sign-in failures are rate-limited per address and per name. A case belongs to one body: a
clerk or supervisor of another body gets 404, as for a case that does not exist (a supervisor sees every
case of their own body, not of others: the register's data of one local executive body is not another's).

Bad uploads (not a zip, no application, too large, a zip bomb) are refused with a message and nothing is
stored; a screening that crashed shows its reason and can be retried. Time comes from the `clock` given.
"""

from __future__ import annotations

import hmac
import io
import json
import os
import secrets
import zipfile
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from intake import notice, reports
from intake.errors import IntakeError
from intake.filing.walking import Limits
from intake.i18n import Lang, texts
from intake.models import Finding, Outcome, Report, Severity
from intake.service import queue
from intake.service.casework import (
    STATUS_PARAGRAPH,
    STATUSES,
    TRANSITIONS,
    Account,
    Case,
    Casework,
    CaseworkError,
    received_timeline,
)
from intake.service.jobs import CheckOptions
from intake.service.store import Store
from intake.thumbnails import Thumbnail

SECRET_ENV = "INTAKE_SECRET_KEY"
COOKIE_SECURE_ENV = "INTAKE_COOKIE_SECURE"
SESSION_COOKIE = "intake_session"
SESSION_SECONDS = 8 * 3600
LANG_COOKIE = "intake_lang"
CSRF_HEADER = "x-csrf-token"
LOGIN_ATTEMPTS = 5
LOGIN_WINDOW_SECONDS = 300.0
ALMATY = ZoneInfo("Asia/Almaty")
CSP = (
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
APPLICATION_NAMES = ("application.json", "application.xml")
STATIC = Path(__file__).resolve().parent.parent / "static"


def _n(message: str) -> str:
    """Marks an interface text for the catalogs; translated where it is shown."""
    return message


STATUS_TEXT = {
    "submitted": _n("submitted (paragraph 20)"),
    "checked": _n("checked (paragraph 21)"),
    "sent": _n("sent to the Commission (paragraph 22)"),
    "included": _n("included (paragraph 27)"),
    "refused": _n("refused (paragraph 27)"),
    "notified": _n("notified (paragraph 28)"),
}
JOB_TEXT = {
    "queued": _n("waiting in the queue"),
    "running": _n("being screened now"),
    "done": _n("screened"),
    "dead": _n("could not be screened"),
}
VERDICT_WORD = {"pass": _n("pass"), "fail": _n("fail"), "review": _n("review"), "error": _n("could not be screened")}


@dataclass(frozen=True)
class WebSettings:
    """What the web pages screen with, and their limits."""

    secret: str
    max_upload: int
    trust: tuple[str, ...] = ()
    crls: tuple[str, ...] = ()
    no_ocr: bool = False
    revocation: str = "require"
    https_only: bool = False
    limits: Limits = field(default_factory=Limits)


def settings_from_env(max_upload: int) -> WebSettings:
    """The secret from `INTAKE_SECRET_KEY` (a random one per process when unset: sessions end on restart)."""
    secret = os.environ.get(SECRET_ENV) or secrets.token_urlsafe(32)
    https = os.environ.get(COOKIE_SECURE_ENV, "") in ("1", "true", "yes")
    return WebSettings(secret=secret, max_upload=max_upload, https_only=https)


class BadUpload(Exception):
    """An upload refused before anything is stored: the message is shown on the page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def check_archive(data: bytes, limits: Limits) -> str | None:
    """A zip that is a dossier and no bomb, judged from its directory (the walker checks again as it unpacks);
    returns the applicant's BIN or IIN when its application.json states one.

    Raises:
        BadUpload: not a zip, no application at its root, too many entries, or it would unpack too big.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise BadUpload(422, f"not a zip archive ({exc})") from exc
    if len(entries) > limits.max_files:
        raise BadUpload(422, f"the archive holds {len(entries)} entries, more than {limits.max_files}")
    total = sum(e.file_size for e in entries)
    if total > limits.max_total_bytes:
        raise BadUpload(422, f"a zip bomb: it would unpack to {total} bytes, more than {limits.max_total_bytes}")
    for e in entries:
        if e.file_size > limits.ratio_grace_bytes and e.file_size / max(1, e.compress_size) > limits.max_ratio:
            raise BadUpload(422, f"a zip bomb: {e.filename} expands {e.file_size // max(1, e.compress_size)} times")
    if total > limits.ratio_grace_bytes and total / max(1, len(data)) > limits.max_total_ratio:
        raise BadUpload(422, f"a zip bomb: it expands {total // max(1, len(data))} times its size")
    names = {e.filename.lower(): e for e in entries}
    if not names.keys() & set(APPLICATION_NAMES):
        raise BadUpload(
            422, "not a dossier: no application.json or application.xml at the top of the archive (paragraphs 7, 15)"
        )
    entry = names.get("application.json")
    if entry is None or entry.file_size > 1 << 20:
        return None
    try:
        raw = json.loads(archive.read(entry))
    except (ValueError, zipfile.BadZipFile, RuntimeError, OSError):  # the pipeline says what is wrong with it
        return None
    for key in ("bin", "iin"):
        value = raw.get(key) if isinstance(raw, dict) else None
        if isinstance(value, str) and value.isdigit() and len(value) == 12:
            return value
    return None


def zip_files(files: list[tuple[str, bytes]]) -> bytes:
    """Several uploaded files as one zip, each under its own name (no folders)."""
    buffer = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files:
            base = PurePosixPath(name.replace("\\", "/")).name or "file"
            if base in seen:
                raise BadUpload(422, f"two files are named {base}")
            seen.add(base)
            archive.writestr(base, data)
    return buffer.getvalue()


class RateLimit:
    """At most `attempts` failures per key in a sliding window (sign-in: per address and per name)."""

    def __init__(self, clock: Callable[[], datetime], attempts: int = LOGIN_ATTEMPTS) -> None:
        self.clock = clock
        self.attempts = attempts
        self.failures: dict[str, deque[float]] = {}

    def blocked(self, *keys: str) -> float:
        """Seconds to wait (0: not blocked)."""
        now = self.clock().timestamp()
        wait = 0.0
        for key in keys:
            q = self.failures.get(key)
            while q and now - q[0] > LOGIN_WINDOW_SECONDS:
                q.popleft()
            if q and len(q) >= self.attempts:
                wait = max(wait, LOGIN_WINDOW_SECONDS - (now - q[0]))
        return wait

    def fail(self, *keys: str) -> None:
        now = self.clock().timestamp()
        for key in keys:
            self.failures.setdefault(key, deque()).append(now)

    def clear(self, *keys: str) -> None:
        for key in keys:
            self.failures.pop(key, None)


class SignIn(Exception):
    """No session: the page redirects to the sign-in page."""


def needs_person(f: Finding) -> bool:
    """A finding a person decides on: undecided, or flagged for review (not a refusal, not a note)."""
    if f.outcome is Outcome.PASSED or f.severity is Severity.INFO:
        return False
    return not (f.outcome is Outcome.FAILED and f.severity is Severity.BLOCKING)


def _lang_of(value: str | None) -> Lang | None:
    try:
        return Lang(value) if value else None
    except ValueError:
        return None


def install(
    app: FastAPI,
    store: Store,
    *,
    settings: WebSettings,
    broker: Any = None,
    clock: Callable[[], datetime] | None = None,
) -> None:
    """Add the web pages, sessions, CSRF, rate limit and security headers to the API's application."""
    now = clock or (lambda: datetime.now(tz=UTC))
    work = Casework(store)
    limiter = RateLimit(now)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_SECONDS,
        same_site="lax",
        https_only=settings.https_only,
    )

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    api_problem = app.exception_handlers.get(StarletteHTTPException)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if request.url.path.startswith(("/api/", "/openapi", "/docs")) or api_problem is None:
            assert api_problem is not None
            answer = api_problem(request, exc)
            return answer if isinstance(answer, Response) else await answer
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"error": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers)
        headers = dict(exc.headers) if exc.headers else None
        context = {"status": exc.status_code, "detail": str(exc.detail)}
        return page(request, "web/error.html.j2", context, status=exc.status_code, headers=headers)

    app.add_exception_handler(StarletteHTTPException, http_error)

    async def to_sign_in(request: Request, exc: Exception) -> Response:
        if request.headers.get("accept", "").startswith("application/json"):
            return JSONResponse({"error": "sign in first"}, status_code=401)
        return RedirectResponse("/login", status_code=303)

    app.add_exception_handler(SignIn, to_sign_in)

    # ------------------------------------------------------------------ helpers

    def csrf_token(request: Request) -> str:
        token = request.session.get("csrf")
        if not isinstance(token, str):
            token = secrets.token_urlsafe(32)
            request.session["csrf"] = token
        return token

    async def check_csrf(request: Request) -> None:
        """The session's token, from the header (scripts) or the form field (forms); 403 otherwise."""
        expected = request.session.get("csrf")
        given = request.headers.get(CSRF_HEADER)
        if given is None:
            form = await request.form()
            value = form.get("csrf")
            given = value if isinstance(value, str) else None
        if not isinstance(expected, str) or not given or not hmac.compare_digest(expected, given):
            raise HTTPException(403, "the form's security token is missing or wrong (CSRF); reload the page")

    def user_of(request: Request) -> Account:
        uid = request.session.get("uid")
        account = work.account(uid) if isinstance(uid, int) else None
        if account is None:
            raise SignIn()
        return account

    def lang_of(request: Request, user: Account | None) -> Lang:
        return (
            _lang_of(request.query_params.get("lang"))
            or _lang_of(request.cookies.get(LANG_COOKIE))
            or (_lang_of(user.lang) if user else None)
            or Lang.RU
        )

    def page(
        request: Request,
        template: str,
        context: dict[str, Any],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        user: Account | None = None,
    ) -> HTMLResponse:
        if user is None:
            uid = request.session.get("uid")
            user = work.account(uid) if isinstance(uid, int) else None
        lang = lang_of(request, user)
        chosen = _lang_of(request.query_params.get("lang"))
        if chosen and user is not None and user.lang != chosen.value:
            work.set_lang(user.id, chosen.value)
        t = texts(lang)
        html = (
            reports.environment(lang)
            .get_template(template)
            .render(
                t=t,
                lang=lang.value,
                langs=[x.value for x in Lang],
                path=request.url.path,
                csrf=csrf_token(request),
                user=user,
                status_text=STATUS_TEXT,
                verdict_word=VERDICT_WORD,
                job_text=JOB_TEXT,
                **context,
            )
        )
        response = HTMLResponse(html, status_code=status, headers=headers)
        if chosen:
            response.set_cookie(LANG_COOKIE, chosen.value, max_age=365 * 86400, samesite="lax", httponly=True)
        return response

    def owned(user: Account, cid: str) -> Case:
        case = work.case(user, cid)
        if case is None:
            raise HTTPException(404, "no such dossier")
        return case

    async def posted(request: Request, cid: str) -> tuple[Account, Case]:
        """The signed-in user and their dossier, for a form sent with the session's CSRF token."""
        user = user_of(request)
        await check_csrf(request)
        return user, owned(user, cid)

    def report_of(case: Case) -> tuple[str, str | None, Report | None]:
        status, error, doc = work.job(case.job_id)
        if doc is not None and "findings" in doc:  # named by the upload, not by the server's file store path
            return status, error, Report.model_validate(doc).model_copy(update={"dossier": case.upload})
        if doc is not None:  # an error report: the dossier could not be opened
            return "dead", str(doc.get("error") or "the dossier could not be opened"), None
        return status, error, None

    def screened(case: Case) -> Report:
        """The dossier's report; 409 while it is not screened."""
        _status, _error, report = report_of(case)
        if report is None:
            raise HTTPException(409, "the dossier is not screened yet")
        return report

    def download(
        user: Account, cid: str, event: str, detail: str, content: str | bytes, media_type: str, filename: str
    ) -> Response:
        """A file of the dossier to save, its download recorded in the audit log."""
        work.audit(user.name, event, now(), case_id=cid, detail=detail)
        headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
        return Response(content, media_type=media_type, headers=headers)

    def options() -> CheckOptions:
        return CheckOptions(
            at=now(),
            trust=settings.trust,
            crls=settings.crls,
            no_ocr=settings.no_ocr,
            revocation=settings.revocation,
        )

    def today() -> date:
        return now().astimezone(ALMATY).date()

    # ------------------------------------------------------------------ sign-in

    @app.get("/login", include_in_schema=False)
    def login_page(request: Request) -> HTMLResponse:
        return page(request, "web/login.html.j2", {"error": None, "name": ""})

    @app.post("/login", include_in_schema=False)
    async def login(request: Request) -> Response:
        await check_csrf(request)
        form = await request.form()
        name, password = str(form.get("name") or ""), str(form.get("password") or "")
        keys = (f"ip:{request.client.host if request.client else '?'}", f"name:{name}")
        wait = limiter.blocked(*keys)
        if wait > 0:
            t = texts(lang_of(request, None))
            error = t.gettext("Too many failed sign-ins: try again in {n} s.").format(n=int(wait) + 1)
            return page(request, "web/login.html.j2", {"error": error, "name": name}, status=429,
                        headers={"Retry-After": str(int(wait) + 1)})  # fmt: skip
        account = work.authenticate(name, password)
        if account is None:
            limiter.fail(*keys)
            work.audit(name[:80], "sign-in-failed", now())
            error = texts(lang_of(request, None)).gettext("Wrong name or password.")
            return page(request, "web/login.html.j2", {"error": error, "name": name}, status=401)
        limiter.clear(f"name:{name}")
        request.session.clear()  # a new session on sign-in: no fixation
        request.session["uid"] = account.id
        request.session["csrf"] = secrets.token_urlsafe(32)
        work.audit(account.name, "signed-in", now())
        return RedirectResponse("/", status_code=303)

    @app.post("/logout", include_in_schema=False)
    async def logout(request: Request) -> Response:
        await check_csrf(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # ------------------------------------------------------------------ lists

    @app.get("/", include_in_schema=False)
    def home(
        request: Request,
        status: str | None = None,
        verdict: str | None = None,
        region: str | None = None,
        q: str | None = None,
    ) -> HTMLResponse:
        user = user_of(request)
        rows = work.cases(user, status=status or None, verdict=verdict or None, region=region or None, q=q or None)
        return page(
            request,
            "web/list.html.j2",
            {
                "cases": rows,
                "statuses": STATUSES,
                "regions": work.regions(user),
                "filters": {"status": status or "", "verdict": verdict or "", "region": region or "", "q": q or ""},
                "today": today(),
            },
            user=user,
        )

    # ------------------------------------------------------------------ upload

    @app.get("/upload", include_in_schema=False)
    def upload_page(request: Request) -> HTMLResponse:
        user = user_of(request)
        return page(request, "web/upload.html.j2", {"error": None, "limit_mb": settings.max_upload // 2**20},
                    user=user)  # fmt: skip

    @app.post("/upload", include_in_schema=False)
    async def upload(request: Request) -> Response:
        user = user_of(request)
        wants_json = request.headers.get("accept", "").startswith("application/json")
        t = texts(lang_of(request, user))
        form: FormData | None = None
        try:
            declared = request.headers.get("content-length")
            if not declared or not declared.isdigit():  # browsers send it; without it the size is known too late
                raise BadUpload(411, "the upload must state its length (Content-Length)")
            if int(declared) > settings.max_upload + 64 * 1024:
                raise BadUpload(413, f"the upload is larger than {settings.max_upload // 2**20} MB")
            await check_csrf(request)
            form = await request.form(max_files=500, max_fields=10)
            parts = [p for p in form.getlist("files") if isinstance(p, UploadFile) and p.filename]
            if not parts:
                raise BadUpload(422, "no file was chosen")
            files: list[tuple[str, bytes]] = []
            size = 0
            for part in parts:
                data = await part.read()
                size += len(data)
                if size > settings.max_upload:
                    raise BadUpload(413, f"the upload is larger than {settings.max_upload // 2**20} MB")
                files.append((part.filename or "file", data))
            if len(files) == 1 and files[0][0].lower().endswith(".zip"):
                name, archive = files[0]
            else:
                name, archive = f"{len(files)} files", zip_files(files)
            applicant = check_archive(archive, settings.limits)
        except BadUpload as exc:
            if form is not None:
                await form.close()
            message = t.gettext("The upload was refused: {reason}. Nothing was stored.").format(reason=str(exc))
            if wants_json:
                return JSONResponse({"error": message}, status_code=exc.status)
            return page(request, "web/upload.html.j2", {"error": message, "limit_mb": settings.max_upload // 2**20},
                        status=exc.status, user=user)  # fmt: skip
        await form.close()  # the parts' temporary files
        digest = store.blobs.put(archive)
        try:
            path = store.blobs.path(digest)  # a file's content hash is its SHA-256: the blob's name
            jid, _status = queue.submit(
                path, options(), store, at=now(), to=broker, content=digest, applicant=applicant
            )
        except IntakeError as exc:
            raise HTTPException(422, str(exc)) from exc
        except Exception as exc:  # Redis or the database away
            raise HTTPException(503, f"the queue cannot take the dossier now ({type(exc).__name__})") from exc
        cid = work.open_case(user, jid, upload=name[:255], at=now())
        url = f"/cases/{cid}"
        if wants_json:
            return JSONResponse({"case": cid, "url": url}, status_code=201)
        return RedirectResponse(url, status_code=303)

    # ------------------------------------------------------------------ a dossier

    @app.get("/cases/{cid}/status", include_in_schema=False)
    def case_status(request: Request, cid: str) -> JSONResponse:
        user = user_of(request)
        case = owned(user, cid)
        status, error, report = report_of(case)
        label = texts(lang_of(request, user)).gettext(JOB_TEXT.get(status, status))
        return JSONResponse(
            {"status": status, "label": label, "error": error, "verdict": report.verdict.value if report else None},
            headers={"Cache-Control": "no-store"},
        )

    @app.post("/cases/{cid}/retry", include_in_schema=False)
    async def retry(request: Request, cid: str) -> Response:
        user, case = await posted(request, cid)
        status, _error, _report = report_of(case)
        if status == "dead":
            with store.session() as s:
                from intake.service.store import Job

                job = s.get(Job, case.job_id)
                source = Path(job.source) if job else None
                job_options = CheckOptions.model_validate(job.options) if job else options()
            if source is None or not source.exists():
                raise HTTPException(409, "the uploaded file is gone: upload the dossier again")
            queue.submit(source, job_options, store, at=now(), to=broker)
            work.audit(user.name, "retried", now(), case_id=cid)
        return RedirectResponse(f"/cases/{cid}", status_code=303)

    def case_context(request: Request, user: Account, case: Case, lang: Lang) -> dict[str, Any]:
        status, error, report = report_of(case)
        ctx: dict[str, Any] = {
            "case": case,
            "job_status": status,
            "job_error": error,
            "log": work.log(case.id),
            "next_statuses": TRANSITIONS.get(case.status, ()),
            "report": None,
        }
        if report is None:
            return ctx
        v = reports.view(report, lang)
        t = v.t
        decisions = work.reviews(case.id)
        entries = {d.file: d for d in report.documents}
        pages: dict[str, list[dict[str, Any]]] = {}
        for img in work.pages(case.job_id):
            entry = entries.get(img.file)
            if entry is None:
                continue
            pages.setdefault(img.file, []).append(
                {
                    "img": img,
                    "boxes": reports.page_boxes(v, entry, img.page),
                    "where": v.where(img.file, img.page, None),
                }
            )
        reached = int(STATUS_PARAGRAPH[case.status])
        day = today()
        steps = []
        # The application's date of submission when it states one (the report's timeline); else the upload's.
        timeline = report.timeline or received_timeline(case.created_at)
        if timeline is not None:
            for step in timeline.steps:
                done = reached >= int(step.paragraph.value)
                steps.append({"step": step, "done": done, "overdue": not done and step.due < day})
        notice_text, notice_error = case.notice_text, None
        if notice_text is None:
            try:
                notice_text = notice.to_text(notice.draft(report, lang, on=day))
            except IntakeError as exc:
                notice_error = str(exc)
        ctx.update(
            report=report,
            v=v,
            groups=v.grouped(),
            cite=lambda paragraph: notice.cite_paragraph(t, paragraph),
            review_items=[(i, f) for i, f in enumerate(report.findings) if needs_person(f)],
            decisions=decisions,
            pages=pages,
            signatures=[(d.file, s) for d in report.documents for s in d.signatures],
            steps=steps,
            notice_text=notice_text,
            notice_error=notice_error,
            mark=reports.MARK,
            verdict_text=t.gettext(reports.VERDICT_TEXT[report.verdict]),
            detail_text={k: t.gettext(x) for k, x in reports.DETAIL_TEXT.items()},
        )
        return ctx

    @app.get("/cases/{cid}", include_in_schema=False)
    def case_page(request: Request, cid: str) -> HTMLResponse:
        user = user_of(request)
        case = owned(user, cid)
        lang = lang_of(request, user)
        return page(request, "web/case.html.j2", case_context(request, user, case, lang), user=user)

    @app.get("/cases/{cid}/page", include_in_schema=False)
    def large_page(request: Request, cid: str, file: str, page_no: int = 1) -> HTMLResponse:
        user = user_of(request)
        case = owned(user, cid)
        lang = lang_of(request, user)
        _status, _error, report = report_of(case)
        img = next((p for p in work.pages(case.job_id) if p.file == file and p.page == page_no), None)
        entry = next((d for d in report.documents if d.file == file), None) if report else None
        if report is None or img is None or entry is None:
            raise HTTPException(404, "no such page")
        v = reports.view(report, lang)
        boxes = reports.page_boxes(v, entry, page_no)
        return page(request, "web/page.html.j2", {"case": case, "img": img, "boxes": boxes,
                                                  "where": v.where(file, page_no, None)}, user=user)  # fmt: skip

    @app.get("/cases/{cid}/image", include_in_schema=False)
    def image(request: Request, cid: str, file: str, page_no: int = 1, size: str = "small") -> Response:
        user = user_of(request)
        case = owned(user, cid)
        img = next((p for p in work.pages(case.job_id) if p.file == file and p.page == page_no), None)
        if img is None:
            raise HTTPException(404, "no such page")
        data = store.blobs.path(img.large if size == "large" else img.small).read_bytes()
        return Response(data, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=86400"})

    @app.post("/cases/{cid}/review", include_in_schema=False)
    async def review(request: Request, cid: str) -> Response:
        user, case = await posted(request, cid)
        _status, _error, report = report_of(case)
        form = await request.form()
        raw = str(form.get("finding") or "")
        if report is None or not raw.isdigit() or int(raw) >= len(report.findings):
            raise HTTPException(422, "no such finding")
        f = report.findings[int(raw)]
        if not needs_person(f):
            raise HTTPException(422, f"{f.code} is not a finding a person decides on")
        decision = str(form.get("decision") or "")
        comment = str(form.get("comment") or "")[:2000]
        try:
            work.decide(user, case.id, finding=int(raw), code=f.code, decision=decision, comment=comment, at=now())
        except CaseworkError as exc:
            raise HTTPException(422, str(exc)) from exc
        return RedirectResponse(f"/cases/{cid}#finding-{raw}", status_code=303)

    @app.post("/cases/{cid}/status", include_in_schema=False)
    async def move(request: Request, cid: str) -> Response:
        user, case = await posted(request, cid)
        form = await request.form()
        status, _error, _report = report_of(case)
        try:
            work.move(user, case.id, str(form.get("to") or ""), at=now(), screened=status == "done")
        except CaseworkError as exc:
            raise HTTPException(409, str(exc)) from exc
        return RedirectResponse(f"/cases/{cid}#status", status_code=303)

    # ------------------------------------------------------------------ downloads

    @app.post("/cases/{cid}/notice", include_in_schema=False)
    async def notice_save_or_export(request: Request, cid: str) -> Response:
        user, case = await posted(request, cid)
        report = screened(case)
        lang = lang_of(request, user)
        form = await request.form()
        text = str(form.get("text") or "").replace("\r\n", "\n").strip()
        try:
            drafted = notice.draft(report, lang, on=today())
        except IntakeError as exc:
            raise HTTPException(409, str(exc)) from exc
        if not text:
            text = notice.to_text(drafted)
        if text != (case.notice_text or notice.to_text(drafted).strip()):
            work.save_notice(user, case.id, text, now())
        if form.get("action") == "save":
            return RedirectResponse(f"/cases/{cid}#notice", status_code=303)
        name = f"notice-{cid}-{lang.value}"
        if form.get("action") == "eml":
            try:
                eml = notice.text_to_eml(drafted, text)
            except IntakeError as exc:
                raise HTTPException(409, str(exc)) from exc
            return download(user, cid, "notice-exported", f"e-mail, {lang.value}", eml, "message/rfc822", f"{name}.eml")
        pdf = notice.text_to_pdf(drafted, text)
        return download(user, cid, "notice-exported", f"PDF, {lang.value}", pdf, "application/pdf", f"{name}.pdf")

    @app.get("/cases/{cid}/report.json", include_in_schema=False)
    def report_json(request: Request, cid: str) -> Response:
        user = user_of(request)
        case = owned(user, cid)
        report = screened(case)
        data = report.model_dump_json(indent=2) + "\n"
        return download(user, cid, "downloaded", "report.json", data, "application/json", f"report-{cid}.json")

    @app.get("/cases/{cid}/report.html", include_in_schema=False)
    def report_html(request: Request, cid: str) -> Response:
        from PIL import Image

        user = user_of(request)
        case = owned(user, cid)
        report = screened(case)
        thumbs = []
        for img in work.pages(case.job_id):
            data = store.blobs.path(img.small).read_bytes()
            with Image.open(io.BytesIO(data)) as im:
                width, height = im.size
            thumbs.append(Thumbnail(img.file, img.page, data, width, height, (img.frame_width, img.frame_height)))
        html = reports.render_html(report, lang_of(request, user), thumbs)
        return download(user, cid, "downloaded", "report.html", html, "text/html; charset=utf-8", f"report-{cid}.html")
