"""Many dossiers at once: find them, skip those already screened, screen the rest in warm workers.

    targets = discover(["samples/", "inbox/*.zip"])
    for result in run(targets, options, out=Path("reports"), workers=2):
        ...   # one `JobResult` per dossier, in the order they finish

Each worker process imports the pipeline once (a `ProcessPoolExecutor` whose processes come from a
forkserver that preloaded `intake.service.jobs`), so the 1.2 s of interpreter and import start-up is
paid once per core, not once per dossier. The job code is `intake.service.jobs.screen`, the same that
the Dramatiq worker runs.

Resumable: `OUT/index.jsonl` records, per report, the content hash of the dossier and the settings hash;
a dossier whose entry matches (and whose report file is still there) is not screened again.
Nothing here prints; `intake.cli` does.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from intake.errors import DossierNotFound, NotADossier, OutputError
from intake.files import display_path, parse_name, role_of
from intake.models import FileRole
from intake.ocr import WORKER_PRELOAD
from intake.service.jobs import CheckOptions, JobResult, content_hash, screen, warm, write_atomically

INDEX = "index.jsonl"
GLOB_CHARS = frozenset("*?[")
MAX_DEPTH = 4  # a folder of folders of dossiers (region / month / dossier) and a little more


@dataclass(frozen=True)
class Target:
    """One dossier to screen: its path, how it is shown, and the stem of its report file."""

    path: Path
    dossier: str
    key: str


@dataclass(frozen=True)
class Discovery:
    """The dossiers found, and the paths looked at that held none (said on stderr by the CLI)."""

    targets: tuple[Target, ...]
    ignored: tuple[str, ...]


def is_dossier_folder(path: Path) -> bool:
    """A folder is one dossier when it holds, at its top, an application or a document named by the scheme."""
    try:
        names = [p.name for p in path.iterdir() if p.is_file()]
    except OSError:
        return False
    return any(role_of(n) is FileRole.APPLICATION or parse_name(n).document_type for n in names)


def _is_zip(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".zip"


def discover(inputs: Sequence[str]) -> Discovery:
    """The dossiers named by the inputs: dossier folders, .zip archives, folders of them, glob patterns.

    Raises:
        DossierNotFound: an input (not a pattern) does not exist, or a pattern matches nothing.
        NotADossier: an input (not a pattern) is a file that is not a .zip archive.
    """
    found: list[tuple[Path, str]] = []
    ignored: list[str] = []

    def walk(folder: Path, prefix: str, depth: int) -> None:
        for child in sorted(folder.iterdir()):
            rel = f"{prefix}{child.name}"
            if _is_zip(child):
                found.append((child, rel))
            elif child.is_dir() and not child.name.startswith("."):
                if is_dossier_folder(child):
                    found.append((child, rel))
                elif depth < MAX_DEPTH and any(True for _ in child.iterdir()):
                    before = len(found)
                    walk(child, f"{rel}/", depth + 1)
                    if len(found) == before:
                        ignored.append(display_path(child))
                else:
                    ignored.append(display_path(child))

    def take(path: Path, explicit: bool) -> None:
        if _is_zip(path) or (path.is_dir() and is_dossier_folder(path)):
            found.append((path, path.name))
        elif path.is_dir():
            before = len(found)
            walk(path, "", 1)
            if len(found) == before:
                raise NotADossier(f"{display_path(path)}: holds no dossier (no application.json, no .zip archive)")
        elif explicit and path.exists():
            raise NotADossier(f"{display_path(path)}: neither a folder nor a .zip archive")
        elif explicit:
            raise DossierNotFound(f"{display_path(path)}: no such file or folder")
        else:
            ignored.append(display_path(path))

    for given in inputs:
        if not Path(given).exists() and GLOB_CHARS & set(given):
            matches = sorted(glob.glob(given, recursive=True))
            if not matches:
                raise DossierNotFound(f"{given}: the pattern matches nothing")
            for match in matches:
                take(Path(match), explicit=False)
        else:
            take(Path(given), explicit=True)
    return Discovery(targets=_name(found), ignored=tuple(ignored))


def _name(found: list[tuple[Path, str]]) -> tuple[Target, ...]:
    """Report stems from the paths relative to their input, unique; a dossier given twice is screened once."""
    seen: set[Path] = set()
    used: set[str] = set()
    targets: list[Target] = []
    for path, rel in found:
        real = path.resolve()
        if real in seen:
            continue
        seen.add(real)
        stem = rel.removesuffix(".zip").removesuffix(".ZIP").replace("/", "__") or "dossier"
        key, n = stem, 1
        while key in used:
            n += 1
            key = f"{stem}-{n}"
        used.add(key)
        targets.append(Target(path=path, dossier=display_path(path), key=key))
    return tuple(targets)


def check_out(out: Path, targets: Sequence[Target]) -> None:
    """Refuse, before any work, a report folder that is a file or lies inside a dossier (input is never changed).

    Raises:
        OutputError: the folder cannot hold the reports.
    """
    target = out.resolve()
    if target.exists() and not target.is_dir():
        raise OutputError(f"--out {out}: is a file; name a folder")
    for t in targets:
        source = t.path.resolve()
        if source.is_dir() and (target == source or target.is_relative_to(source)):
            raise OutputError(f"--out {out}: would write into the dossier {t.dossier}; the input is never changed")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--out {out}: cannot be created ({exc.strerror})") from exc


def load_index(out: Path) -> dict[str, JobResult]:
    """The last entry per report stem of `OUT/index.jsonl` (a line cut short by a crash is ignored)."""
    entries: dict[str, JobResult] = {}
    try:
        lines = (out / INDEX).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return entries
    for line in lines:
        try:
            doc = json.loads(line)
            entries[doc["key"]] = JobResult.model_validate(doc["result"])
        except (ValueError, KeyError, TypeError):
            continue
    return entries


def record(out: Path, key: str, result: JobResult) -> None:
    """Append one finished dossier to the index (one line, flushed: a crash loses at most that line)."""
    line = json.dumps({"key": key, "result": result.model_dump(mode="json")}, ensure_ascii=False)
    with (out / INDEX).open("a", encoding="utf-8") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def default_workers() -> int:
    """One worker per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def run(
    targets: Sequence[Target],
    options: CheckOptions,
    out: Path,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    resume: bool = True,
) -> Iterator[JobResult]:
    """Screen the targets in warm worker processes; yield one result per dossier as each finishes.

    Dossiers already screened with the same content and settings come first, as `skipped`.
    """
    settings = options.digest()
    index = load_index(out) if resume else {}
    pending: list[tuple[Target, str]] = []
    for t in targets:
        try:
            content = content_hash(t.path)
        except OSError as exc:
            report = (out / f"{t.key}.json").absolute()
            why = f"{t.dossier}: cannot be read ({exc.strerror or exc})"
            failed = JobResult(
                dossier=t.dossier, verdict="error", report=str(report), settings_hash=settings, error=why
            )
            write_atomically(report, json.dumps({"dossier": t.dossier, "verdict": "error", "error": why}) + "\n")
            yield failed
            continue
        done = index.get(t.key)
        if (
            done is not None
            and done.content_hash == content
            and done.settings_hash == settings
            and done.verdict != "error"
            and Path(done.report).is_file()
        ):
            yield done.model_copy(update={"skipped": True, "dossier": t.dossier, "seconds": 0.0})
            continue
        pending.append((t, content))
    if not pending:
        return
    count = max(1, min(workers or default_workers(), len(pending)))
    context = get_context("forkserver")
    # One forkserver serves the process: preload what the page pool's workers need too, or whichever
    # pool starts it first decides what the other's workers import afresh (and count as their own).
    context.set_forkserver_preload(["intake.service.jobs", "intake.pipeline", *WORKER_PRELOAD])
    with ProcessPoolExecutor(
        max_workers=count, mp_context=context, initializer=warm, initargs=(options.no_ocr,)
    ) as pool:
        futures: dict[Future[JobResult], Target] = {}
        for t, content in pending:
            future = pool.submit(
                screen,
                t.path.absolute(),
                options,
                (out / f"{t.key}.json").absolute(),
                dossier=t.dossier,
                content=content,
                settings=settings,
                timeout=timeout,
            )
            futures[future] = t
        remaining = set(futures)
        while remaining:
            finished, remaining = wait(remaining, return_when=FIRST_COMPLETED)
            for future in finished:
                t = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # the worker process died (killed, out of memory)
                    why = f"the worker screening it stopped ({type(exc).__name__}: {exc})"
                    report = (out / f"{t.key}.json").absolute()
                    write_atomically(
                        report, json.dumps({"dossier": t.dossier, "verdict": "review", "error": why}) + "\n"
                    )
                    result = JobResult(dossier=t.dossier, verdict="review", report=str(report), error=why)
                record(out, t.key, result)
                yield result
