"""The HTTP API of the gate (FastAPI): submit dossiers, read their status and reports, list screenings.

    POST /api/v1/dossiers            a zip upload (multipart `file`) or {"path": ...} on shared storage -> job id
    GET  /api/v1/dossiers/{id}       the job's status, verdict and report
    GET  /api/v1/dossiers?verdict=fail&since=2026-11-01T00:00:00Z    the Commission's lists

Bearer tokens (`intake tokens add NAME --scope submit --scope read`), stored hashed; `submit` to post,
`read` to read. Uploads are capped (`INTAKE_MAX_UPLOAD_BYTES`, default 200 MiB); a path must lie under
`INTAKE_SHARED_ROOT`. Every error is an RFC 9457 problem document (`application/problem+json`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from dramatiq.brokers.redis import RedisBroker
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.datastructures import UploadFile as StarletteUploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from intake import __version__
from intake.errors import IntakeError
from intake.service import queue
from intake.service.jobs import CheckOptions
from intake.service.store import Store, utc

if TYPE_CHECKING:
    from intake.service.web import WebSettings

MAX_UPLOAD_ENV = "INTAKE_MAX_UPLOAD_BYTES"
SHARED_ROOT_ENV = "INTAKE_SHARED_ROOT"
DEFAULT_MAX_UPLOAD = 200 * 1024 * 1024
CHUNK = 1 << 20
PROBLEM = "application/problem+json"

Scope = Literal["submit", "read"]
BEARER = HTTPBearer(auto_error=False)


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None


class PathSubmission(BaseModel):
    """A dossier already on shared storage, with the options of `intake check`."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="A dossier folder or .zip under the server's shared root.")
    at: datetime | None = Field(default=None, description="Validation moment (default: when received).")
    trust: list[str] = Field(default_factory=list, description="Trust profiles or files on shared storage.")
    crls: list[str] = Field(default_factory=list)
    no_ocr: bool = False


class JobOut(BaseModel):
    """A job: its id (content hash + settings hash), status, and once done the verdict and report."""

    id: str
    status: Literal["queued", "running", "done", "dead"]
    attempts: int = 0
    error: str | None = None
    verdict: str | None = None
    report: dict[str, Any] | None = None


class ScreeningOut(BaseModel):
    """One line of a list: the job, the verdict, when it finished."""

    id: str
    verdict: str
    kind: str | None
    finished_at: datetime
    seconds: float


def _problem(status: int, title: str, detail: str | None = None) -> JSONResponse:
    body = Problem(title=title, status=status, detail=detail).model_dump(exclude_none=True)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 413: "Content too large",
          415: "Unsupported media type", 422: "Unprocessable content", 503: "Service unavailable"}  # fmt: skip


def create_app(
    store: Store,
    *,
    broker: RedisBroker | None = None,
    max_upload: int | None = None,
    shared_root: Path | None = None,
    web: WebSettings | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The application over one store and one broker (defaults from the environment); with `web`, the clerk's
    pages too (`intake.service.web`)."""
    limit = max_upload or int(os.environ.get(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD))
    root = shared_root or (Path(os.environ[SHARED_ROOT_ENV]) if os.environ.get(SHARED_ROOT_ENV) else None)
    app = FastAPI(
        title="intake",
        version=__version__,
        summary="Pre-screening of dossiers for the register of special social services (Order No. 377).",
        responses={code: {"model": Problem, "content": {PROBLEM: {}}} for code in (401, 403, 422)},
    )

    def need(scope: Scope) -> Any:
        def check(creds: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]) -> None:
            if creds is None:
                raise HTTPException(401, "a bearer token is needed (intake tokens add NAME --scope ...)")
            scopes = store.token_scopes(creds.credentials)
            if scopes is None:
                raise HTTPException(401, "unknown token")
            if scope not in scopes:
                raise HTTPException(403, f"this token lacks the {scope!r} scope")

        return Depends(check)

    @app.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _problem(exc.status_code, TITLES.get(exc.status_code, "Error"), str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())
        return _problem(422, TITLES[422], detail)

    def options_of(at: datetime | None, trust: list[str], crls: list[str], no_ocr: bool) -> CheckOptions:
        return CheckOptions(
            at=utc(at) if at else datetime.now(tz=UTC), trust=tuple(trust), crls=tuple(crls), no_ocr=no_ocr
        )

    def enqueue(path: Path, options: CheckOptions) -> JSONResponse:
        try:
            jid, status = queue.submit(path, options, store, to=broker)
        except IntakeError as exc:
            raise HTTPException(422, str(exc)) from exc
        except Exception as exc:  # Redis or the database away
            raise HTTPException(503, f"the queue cannot take the job now ({type(exc).__name__})") from exc
        return JSONResponse(
            {"id": jid, "status": status, "links": {"self": f"/api/v1/dossiers/{jid}"}},
            status_code=200 if status == "done" else 202,
        )

    upload_schema = {
        "type": "object",
        "properties": {"file": {"type": "string", "format": "binary", "description": "The dossier as a .zip."}},
        "required": ["file"],
    }

    @app.post(
        "/api/v1/dossiers",
        status_code=202,
        dependencies=[need("submit")],
        responses={
            200: {"description": "Screened before: answered from the stored result"},
            413: {"model": Problem},
            415: {"model": Problem},
        },
        summary="Submit a dossier: a zip upload (multipart) or a path on shared storage (JSON)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "multipart/form-data": {"schema": upload_schema},
                    "application/json": {"schema": {"$ref": "#/components/schemas/PathSubmission"}},
                },
            }
        },
    )
    async def submit(
        request: Request,
        at: Annotated[datetime | None, Query(description="Validation moment (default: when received).")] = None,
        no_ocr: Annotated[bool, Query()] = False,
        trust: Annotated[list[str] | None, Query(description="Trust profiles (kz-nca, kz-test).")] = None,
    ) -> JSONResponse:
        """The job id is the content hash plus the settings hash: the same dossier twice is one job."""
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit + 64 * 1024:
            raise HTTPException(413, f"the upload is larger than {limit} bytes")
        kind = request.headers.get("content-type", "")
        if kind.startswith("application/json"):
            try:
                body = PathSubmission.model_validate_json(await request.body())
            except ValueError as exc:
                raise HTTPException(422, str(exc)) from exc
            if root is None:
                raise HTTPException(403, f"path submissions are off: the server has no {SHARED_ROOT_ENV}")
            path = Path(body.path)
            if not path.is_absolute() or not path.resolve().is_relative_to(root.resolve()):
                raise HTTPException(403, f"{body.path}: not under the shared root")
            return enqueue(path, options_of(body.at, body.trust, body.crls, body.no_ocr))
        if not kind.startswith("multipart/form-data"):
            raise HTTPException(415, "send a multipart 'file' (a .zip) or JSON {\"path\": ...}")
        async with request.form(max_files=1, max_fields=10) as form:
            file = form.get("file")
            if not isinstance(file, StarletteUploadFile):
                raise HTTPException(422, "the multipart body has no 'file' part")
            data = bytearray()
            while chunk := await file.read(CHUNK):
                data += chunk
                if len(data) > limit:
                    raise HTTPException(413, f"the upload is larger than {limit} bytes")
        digest = store.blobs.put(bytes(data))
        return enqueue(store.blobs.path(digest), options_of(at, trust or [], [], no_ocr))

    @app.get("/api/v1/dossiers/{job_id}", dependencies=[need("read")], responses={404: {"model": Problem}})
    def read(job_id: str) -> JobOut:
        """A job's status; once done, its verdict and report."""
        state = queue.job_status(job_id, store)
        if state is None:
            raise HTTPException(404, f"no job {job_id}")
        return JobOut.model_validate(state)

    @app.get("/api/v1/dossiers", dependencies=[need("read")])
    def listing(
        verdict: Annotated[Literal["pass", "fail", "review"] | None, Query()] = None,
        since: Annotated[datetime | None, Query(description="Finished at or after this moment.")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[ScreeningOut]:
        """Screenings, newest first (the Commission's lists)."""
        rows = store.list_screenings(verdict=verdict, since=utc(since) if since else None, limit=limit)
        return [
            ScreeningOut(
                id=r.job_id,
                verdict=r.verdict,
                kind=r.report.get("kind"),
                finished_at=utc(r.finished_at),
                seconds=r.seconds,
            )
            for r in rows
        ]

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = generate()
            doc["components"]["schemas"]["PathSubmission"] = PathSubmission.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
        return app.openapi_schema or {}

    app.openapi = openapi  # type: ignore[method-assign]  # the JSON body is read by hand: document its schema
    if web is not None:
        from intake.service import web as pages

        pages.install(app, store, settings=web, broker=broker, clock=clock)
    return app


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document, as committed in docs/openapi.json (no store needed to build it)."""
    return create_app(Store.open("sqlite://")).openapi()
