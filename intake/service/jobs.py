"""The job code: screen one dossier with one set of options and write its report file.

`intake batch` runs it in a local pool of warm worker processes, `intake worker` runs it for Dramatiq
messages, and `intake serve` enqueues it: the same function everywhere. A job is identified by what it
reads, never by where it runs: the content hash of the dossier plus the hash of the options (and of the
files the options name: trust anchors, CRLs, OCSP responses, rates, attestations), so screening the same
dossier twice with the same options is the same job (idempotent; at-least-once delivery needs that).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Literal

from pydantic import BaseModel, ConfigDict

from intake import __version__
from intake.errors import IntakeError
from intake.models import Outcome, Report, Severity
from intake.thumbnails import Thumbnail

JobVerdict = Literal["pass", "fail", "review", "error"]
"""A dossier's verdict, or `error` when it could not be opened at all (not a dossier, unreadable)."""

HASH_CHUNK = 1 << 20


class CheckOptions(BaseModel):
    """The options of `intake check` that a job needs, as plain data (picklable, JSON-able).

    Paths are absolute so that a worker in another process (or on another machine with the same shared
    storage) reads the same files.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    at: datetime
    trust: tuple[str, ...] = ()
    crls: tuple[str, ...] = ()
    ocsp: tuple[str, ...] = ()
    online: bool = False
    submitted: datetime | None = None
    rates: str | None = None
    attestations: str | None = None
    attestation_max_age_days: int = 30
    no_ocr: bool = False
    revocation: Literal["require", "soft-fail", "off"] = "require"

    def digest(self) -> str:
        """The settings hash: these options, the tool version, and the content of every file they name."""
        from intake.verifier.trust import PROFILES

        named = [s for s in self.trust if s not in PROFILES]
        files = [*named, *self.crls, *self.ocsp, *(p for p in (self.rates, self.attestations) if p)]
        doc = {
            "tool": __version__,
            "options": self.model_dump(mode="json"),
            "files": {p: content_hash(Path(p)) if Path(p).exists() else None for p in files},
        }
        return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def absolute(path: str | Path) -> str:
    """A path made absolute against the current folder (not resolved: symlinks stay as given)."""
    return str(Path(path).absolute())


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes; of a folder, over its files' relative names and SHA-256s (sorted).

    Raises:
        OSError: a file cannot be read.
    """
    if path.is_file():
        return _file_hash(path)
    digest = hashlib.sha256()
    for item in sorted(p for p in path.rglob("*") if p.is_file()):
        digest.update(item.relative_to(path).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(bytes.fromhex(_file_hash(item)))
    return digest.hexdigest()


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def job_id(content: str, settings: str) -> str:
    """The job id: the first 32 hex digits of SHA-256(content hash, settings hash)."""
    return hashlib.sha256(f"{content}:{settings}".encode()).hexdigest()[:32]


class JobResult(BaseModel):
    """What a job gives back: enough for the jsonl line, the index and the summary."""

    model_config = ConfigDict(frozen=True)

    dossier: str
    verdict: JobVerdict
    report: str
    skipped: bool = False
    seconds: float = 0.0
    content_hash: str = ""
    settings_hash: str = ""
    kind: str | None = None
    codes: tuple[str, ...] = ()  # the codes of the findings that failed (info aside)
    error: str | None = None


class JobTimeout(BaseException):
    """The per-dossier time limit (`--timeout`) passed.

    A `BaseException`, like `KeyboardInterrupt`: the pipeline turns any `Exception` in one file into a
    finding on that file, and a time limit must stop the whole dossier instead.
    """


# --------------------------------------------------------------------------- the warm worker

_ENGINE: object | None = None


def warm(no_ocr: bool) -> None:
    """Pay the start-up once per worker process: import the pipeline and pick the OCR engine.

    The engine uses one process per dossier (`workers=1`): the batch already has one worker per core.
    """
    global _ENGINE  # noqa: PLW0603 - the per-process cache of a pool initializer
    from intake import ocr, pipeline  # noqa: F401 - imported for its start-up cost

    if no_ocr:
        _ENGINE = ocr.NullEngine(reason="OCR switched off with --no-ocr")
        return
    engine = ocr.TesseractEngine(workers=1)
    why = engine.unavailable()
    _ENGINE = ocr.NullEngine(reason=why) if why else engine


def _engine(no_ocr: bool) -> object:
    if _ENGINE is None:
        warm(no_ocr)
    return _ENGINE


REPEAT_ALARM_S = 1.0  # after the first alarm; long enough for cleanup on the way out to finish undisturbed


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise `JobTimeout` in this thread after `seconds` (main thread only: SIGALRM; elsewhere no limit,
    the queue worker has its own)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise JobTimeout(f"the time limit of {seconds:g} s per dossier passed")

    previous = signal.signal(signal.SIGALRM, expire)
    # The alarm repeats: a JobTimeout raised inside a finalizer (`__del__`, a weakref callback) is printed
    # and dropped by Python, and a one-shot alarm would then let the dossier run on without a limit.
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT_ALARM_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check(path: Path, options: CheckOptions) -> Report:
    """Screen one dossier with these options (the pipeline, nothing more).

    Raises:
        IntakeError: the path is not a dossier at all.
    """
    return check_with_pages(path, options, pages=0)[0]


def check_with_pages(
    path: Path, options: CheckOptions, *, pages: int, width: int = 1100
) -> tuple[Report, tuple[Thumbnail, ...]]:
    """`check`, and images of the first `pages` pages of each document (for the web pages), made while open.

    Raises:
        IntakeError: the path is not a dossier at all.
    """
    from intake import ocr
    from intake.pipeline import Settings, check_with_thumbnails
    from intake.signatures import RevocationPolicy

    engine = _engine(options.no_ocr)
    assert isinstance(engine, (ocr.TesseractEngine, ocr.NullEngine))
    settings = Settings(
        at=options.at,
        trust=options.trust,
        crls=tuple(Path(p) for p in options.crls),
        ocsp=tuple(Path(p) for p in options.ocsp),
        online=options.online,
        submitted=options.submitted,
        rates=Path(options.rates) if options.rates else None,
        attestations=Path(options.attestations) if options.attestations else None,
        attestation_max_age_days=options.attestation_max_age_days,
        ocr_engine=engine,
        revocation=RevocationPolicy(options.revocation),
    )
    return check_with_thumbnails(path, settings, pages=pages, width=width)


def failed_codes(report: Report) -> tuple[str, ...]:
    """The codes of the findings that failed, blocking or review (info notes aside), each once."""
    return tuple(
        dict.fromkeys(
            f.code for f in report.findings if f.outcome is Outcome.FAILED and f.severity is not Severity.INFO
        )
    )


def write_atomically(path: Path, text: str) -> None:
    """Write a file so a reader never sees half of it (a temporary beside it, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def screen(
    path: Path,
    options: CheckOptions,
    report_path: Path,
    *,
    dossier: str,
    content: str,
    settings: str,
    timeout: float | None = None,
) -> JobResult:
    """Screen one dossier, write its report file, and say what came of it; never raises.

    A dossier that cannot be opened at all gets verdict `error`; one that could not be screened to the end
    (time limit, a crash in the pipeline) gets `review` with the reason, since "could not check" is never
    a pass and never a refusal.
    """
    started = time.perf_counter()
    common = {"dossier": dossier, "report": str(report_path), "content_hash": content, "settings_hash": settings}
    try:
        with time_limit(timeout):
            report = check(path, options)
    except IntakeError as exc:
        return _failed(report_path, common, "error", str(exc), started)
    except JobTimeout as exc:
        return _failed(report_path, common, "review", str(exc), started)
    except Exception as exc:  # a crash in the pipeline is this dossier's problem, not the batch's
        return _failed(report_path, common, "review", f"the screening crashed ({type(exc).__name__}: {exc})", started)
    write_atomically(report_path, report.model_dump_json(indent=2) + "\n")
    return JobResult(
        **common,
        verdict=report.verdict.value,
        seconds=round(time.perf_counter() - started, 3),
        kind=report.kind.value if report.kind else None,
        codes=failed_codes(report),
    )


def _failed(report_path: Path, common: dict[str, str], verdict: JobVerdict, why: str, started: float) -> JobResult:
    body = {"dossier": common["dossier"], "verdict": verdict, "error": why, "tool": f"intake {__version__}"}
    write_atomically(report_path, json.dumps(body, ensure_ascii=False, indent=2) + "\n")
    return JobResult(**common, verdict=verdict, seconds=round(time.perf_counter() - started, 3), error=why)
