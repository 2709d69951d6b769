"""The command line: the only module that prints or picks an exit code.

    intake check DOSSIER [--format text|json] [--output FILE] [--at ISO-8601] ...
    intake verify FILE [--signature SIG] [--trust PATH]... [--crl FILE]... [--at ISO-8601] ...

Exit codes: 0 pass, 1 fail, 2 usage error or unreadable input, 3 review.
"""

from __future__ import annotations

import io
import sys
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from zoneinfo import ZoneInfo

import typer
import typer.core
import typer.main
from rich.console import Console
from rich.markup import escape

from intake.errors import EXIT_FAIL, EXIT_PASS, EXIT_REVIEW, EXIT_USAGE, IntakeError, OutputError
from intake.models import Finding, Outcome, Report, Verdict

if TYPE_CHECKING:
    from intake.service.jobs import CheckOptions, JobResult

ALMATY = ZoneInfo("Asia/Almaty")

app = typer.Typer(
    name="intake",
    help="Pre-screen dossiers for the Kazakhstan register of special social services (Order No. 377).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


EXIT_CODES_HELP = (
    "Exit codes: 0 pass, 1 fail (a blocking requirement is not met), 2 usage error or unreadable input, "
    "3 review (a person must look). `intake batch` exits with the worst verdict of its dossiers "
    "(fail 1, then unreadable 2, then review 3, then pass 0)."
)
TRUST_PROFILES = ("kz-nca", "kz-test")  # intake/trust/<name>/ (intake.verifier.trust.PROFILES; a test keeps them equal)


def _version(value: bool) -> None:
    if value:
        from intake import __version__

        sys.stdout.write(f"intake {__version__}\n")
        raise typer.Exit(EXIT_PASS)


@app.callback(epilog=EXIT_CODES_HELP)
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Pre-screen dossiers for the Kazakhstan register of special social services (Order No. 377)."""


class Format(StrEnum):
    """Output formats."""

    TEXT = "text"
    JSON = "json"


EXIT_OF = {Verdict.PASS: EXIT_PASS, Verdict.FAIL: EXIT_FAIL, Verdict.REVIEW: EXIT_REVIEW}


def parse_moment(value: str | None) -> datetime:
    """An ISO-8601 moment; a date alone is its start in Asia/Almaty, a naive time is Almaty time."""
    if value is None:
        return datetime.now(tz=ALMATY)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), time())
        except ValueError as exc:
            raise typer.BadParameter(f"{value!r} is not an ISO-8601 date or moment") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def _check_output(output: Path | None, inputs: list[Path]) -> None:
    """Refuse, before any work, an output the report cannot be written to or that is the user's input."""
    if output is None:
        return
    target = output.resolve()
    if target.is_dir():
        raise OutputError(f"--output {output}: is a folder; name a file")
    if not target.parent.is_dir():
        raise OutputError(f"--output {output}: the folder {target.parent} does not exist")
    for given in inputs:
        source = given.resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            raise OutputError(f"--output {output}: would write into the input {given}; the input is never changed")


def _emit(text: str, output: Path | None) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"--output {output}: cannot be written ({exc.strerror})") from exc
    _err().print(f"report written to {escape(str(output))}")


# --------------------------------------------------------------------------- text rendering

_VERDICT_STYLE = {Verdict.PASS: "bold green", Verdict.FAIL: "bold red", Verdict.REVIEW: "bold yellow"}
_MARK = {Outcome.FAILED: "✗", Outcome.INDETERMINATE: "?", Outcome.PASSED: "✓"}


def _line(f: Finding, *, with_document: bool) -> str:
    where = f" p.{f.page}" if f.page else ""
    doc = f"{escape(f.document)}{where}: " if with_document and f.document else (f"p.{f.page}: " if f.page else "")
    style = {"blocking": "red" if f.outcome is Outcome.FAILED else "yellow", "review": "yellow", "info": "dim"}
    return f"  [{style[f.severity.value]}]{_MARK[f.outcome]} {f.code}[/] §{f.rule} {doc}{escape(f.message)}"


def render_text(report: Report) -> str:
    """The clerk's view: the verdict and its reasons first, then what a person must look at, by document."""
    console = Console(record=True, width=110, file=io.StringIO(), highlight=False)
    verdict = report.verdict
    console.print(f"[{_VERDICT_STYLE[verdict]}]VERDICT: {verdict.value.upper()}[/]  ({report.kind or 'unknown kind'})")
    console.print(f"dossier {escape(report.dossier)}  ·  validated at {report.validated_at.isoformat()}")
    s = report.summary
    console.print(
        f"{s.total} checks: {s.outcomes['passed']} passed, {s.outcomes['failed']} failed, "
        f"{s.outcomes['indeterminate']} undecided"
    )
    refusals = [f for f in report.findings if f.severity.value == "blocking" and f.outcome is Outcome.FAILED]
    if refusals:
        console.print("\n[bold]Grounds for refusal[/] (blocking findings that failed)")
        for f in sorted(refusals, key=lambda f: (f.document or "", f.code)):
            console.print(_line(f, with_document=True))
    rest = [
        f
        for f in report.findings
        if f.outcome is not Outcome.PASSED and f not in refusals and f.severity.value != "info"
    ]
    if rest:
        console.print("\n[bold]For a person to check[/] (undecided, or flagged for review), by document")
        groups: dict[str, list[Finding]] = {}
        for f in rest:
            groups.setdefault(f.document or "(dossier)", []).append(f)
        order = {"blocking": 0, "review": 1}
        for doc in sorted(groups, key=lambda d: (d != "(dossier)", d)):
            console.print(f"[bold]{escape(doc)}[/]")
            for f in sorted(groups[doc], key=lambda f: (order[f.severity.value], f.code, f.page or 0)):
                console.print(_line(f, with_document=False))
    notes = [f for f in report.findings if f.outcome is not Outcome.PASSED and f.severity.value == "info"]
    if notes:
        console.print("\n[bold]Notes[/]")
        for f in notes:
            console.print(_line(f, with_document=True))
    details = [d for d in report.documents if d.details]
    if details:
        console.print("\n[bold]Details found[/] (confirm at a glance)")
        for d in details:
            console.print(f"  {escape(d.file)}")
            for x in d.details:
                page = f" (p.{x.page})" if x.page else ""
                console.print(f"      {x.kind:<15} {escape(x.value)}{page}")
    if report.timeline is not None:
        console.print("\n[bold]Review timeline[/]")
        for e in report.timeline.steps:
            console.print(
                f"  §{e.paragraph.value} {escape(e.what)}: due {e.due.isoformat()} ({e.working_days} working days)"
            )
    if not refusals and not rest:
        console.print("\nEvery check passed.")
    return console.export_text(styles=False)


def render_json(report: Report) -> str:
    """The machine-readable report (docs/report.schema.json)."""
    return report.model_dump_json(indent=2)


# --------------------------------------------------------------------------- commands


_PROFILES_TEXT = ", ".join(TRUST_PROFILES)
AtOpt = Annotated[
    str | None, typer.Option("--at", metavar="ISO-8601", help="Validation moment, ISO-8601 (default: now).")
]
TrustOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--trust",
        metavar="FILE|FOLDER|PROFILE",
        help=f"Trust anchors: a certificate file, a folder of them, or a profile ({_PROFILES_TEXT}); repeatable.",
    ),
]
CrlOpt = Annotated[list[Path] | None, typer.Option("--crl", metavar="FILE", help="A CRL file (repeatable).")]
OcspOpt = Annotated[
    list[Path] | None, typer.Option("--ocsp", metavar="FILE", help="An OCSP response file (repeatable).")
]
OnlineOpt = Annotated[bool, typer.Option("--online", help="Fetch revocation data over the network.")]
SubmittedOpt = Annotated[
    str | None, typer.Option("--submitted", metavar="ISO-8601", help="Submission moment, ISO-8601.")
]
NoOcrOpt = Annotated[bool, typer.Option("--no-ocr", help="Do not OCR scans (their checks stay undecided).")]
RatesOpt = Annotated[
    Path | None,
    typer.Option("--rates", metavar="FILE", help="Exchange rates JSON {date, rates: {USD: KZT per unit}} for 27.4."),
]
AttestationsOpt = Annotated[
    Path | None,
    typer.Option("--attestations", metavar="FOLDER", help="A folder of signed state-system attestations."),
]
MaxAgeOpt = Annotated[
    int, typer.Option("--attestation-max-age", min=1, metavar="DAYS", help="Oldest accepted attestation, in days.")
]


@app.command("check", epilog=EXIT_CODES_HELP)
def check_command(
    dossier: Annotated[Path, typer.Argument(metavar="DOSSIER", help="A dossier folder or .zip archive.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.TEXT,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report here.")
    ] = None,
    at: AtOpt = None,
    trust: TrustOpt = None,
    crl: CrlOpt = None,
    ocsp: OcspOpt = None,
    online: OnlineOpt = False,
    submitted: SubmittedOpt = None,
    no_ocr: NoOcrOpt = False,
    rates: RatesOpt = None,
    attestations: AttestationsOpt = None,
    attestation_max_age: MaxAgeOpt = 30,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence", metavar="FOLDER", help="Write a cropped PNG per failed or review scan finding here."
        ),
    ] = None,
) -> None:
    """Screen a dossier and print its completeness report."""
    from intake import ocr
    from intake.pipeline import Settings, check

    _check_output(output, [dossier])
    engine: ocr.OcrEngine = ocr.NullEngine(reason="OCR switched off with --no-ocr") if no_ocr else ocr.TesseractEngine()
    if not no_ocr and (why := engine.unavailable()):
        _err().print(f"note: {escape(why)}; scanned pages will be undecided")
        engine = ocr.NullEngine(reason=why)
    settings = Settings(
        at=parse_moment(at),
        trust=tuple(trust or ()),
        crls=tuple(crl or ()),
        ocsp=tuple(ocsp or ()),
        online=online,
        submitted=parse_moment(submitted) if submitted is not None else None,
        rates=rates,
        attestations=attestations,
        attestation_max_age_days=attestation_max_age,
        ocr_engine=engine,
        evidence=evidence,
    )
    report = check(dossier, settings)
    _emit(render_json(report) if format is Format.JSON else render_text(report), output)
    raise typer.Exit(EXIT_OF[report.verdict])


@app.command("verify", epilog="Exit codes: 0 every signature TOTAL_PASSED, 1 otherwise, 2 usage error.")
def verify_command(
    file: Annotated[
        Path,
        typer.Argument(metavar="FILE", help="A signed file: PDF, attached CMS (.p7m), or a detached-signed file."),
    ],
    signature: Annotated[
        Path | None, typer.Option("--signature", metavar="FILE", help="A detached CMS over FILE.")
    ] = None,
    trust: TrustOpt = None,
    crl: CrlOpt = None,
    ocsp: OcspOpt = None,
    at: AtOpt = None,
    online: OnlineOpt = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
) -> None:
    """Verify the EDS signatures of one file; exit 0 when every signature is TOTAL_PASSED, else 1."""
    import json

    from intake.signatures import VerificationContext, verify_path

    ctx = VerificationContext(
        at=parse_moment(at), trust=tuple(trust or ()), crls=tuple(crl or ()), ocsp=tuple(ocsp or ()), online=online
    )
    reports = verify_path(file, ctx, signature)
    if format is Format.JSON:
        doc = {"file": str(file), "signatures": [r.model_dump(mode="json") for r in reports]}
        _emit(json.dumps(doc, ensure_ascii=False, indent=2), None)
    else:
        lines = [f"{file}: {len(reports)} signature(s)"]
        for r in reports:
            sub = f"/{r.subindication}" if r.subindication else ""
            who = r.signer.common_name or "?"
            ids = ", ".join(f"{k.upper()} {v}" for k, v in (("iin", r.signer.iin), ("bin", r.signer.bin)) if v)
            lines.append(f"- {r.source or file.name}: {r.indication}{sub}  {who}{f' ({ids})' if ids else ''}")
            lines.append(
                f"  intact={r.intact} valid={r.valid} trusted={r.trusted} algorithm={r.algorithm} "
                f"role={r.signer.role} key={r.signer.key_purpose} revocation={r.revocation.status}"
            )
            if r.signing_time:
                lines.append(f"  signed at {r.signing_time.isoformat()} ({r.signing_time_source})")
            lines.extend(f"  {m}" for m in r.messages)
        _emit("\n".join(lines), None)
    raise typer.Exit(EXIT_PASS if reports and all(r.indication == "TOTAL_PASSED" for r in reports) else EXIT_FAIL)


@app.command("names")
def names_command(
    dossier: Annotated[Path, typer.Argument(metavar="DOSSIER", help="A dossier folder or .zip archive.")],
    apply: Annotated[
        Path | None,
        typer.Option(
            "--apply", metavar="FOLDER", help="Write renamed copies into this new folder (originals untouched)."
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
) -> None:
    """Per file: the recognised document, declared and real page count, and the canonical name (paragraphs 8, 16)."""
    import json

    from intake.files import apply_names, display_path, open_dossier, plan_names

    with open_dossier(dossier) as opened:
        plans = plan_names(opened.files)
        copies = apply_names(opened, apply) if apply is not None else []
    if format is Format.JSON:
        doc = {
            "dossier": display_path(dossier),
            "files": [
                {
                    "file": p.name,
                    "document_type": p.document_type,
                    "declared_pages": p.declared_pages,
                    "pages": p.pages,
                    "canonical_name": p.canonical,
                    "note": p.note,
                }
                for p in plans
            ],
            "copies": [{"from": a, "to": b} for a, b in copies],
        }
        _emit(json.dumps(doc, ensure_ascii=False, indent=2), None)
    else:
        lines = [f"{'file':<48} {'document':<22} {'declared':>8} {'real':>5}  canonical name"]
        for p in plans:
            lines.append(
                f"{p.name:<48} {p.document_type or '?':<22} {p.declared_pages or '-':>8} {p.pages or '-':>5}  "
                f"{p.canonical or '-'}" + (f"  ({p.note})" if p.note else "")
            )
        if apply is not None:
            lines.append(f"{len(copies)} file(s) copied into {display_path(apply)}; the originals are unchanged")
        _emit("\n".join(lines), None)
    raise typer.Exit(EXIT_PASS)


class BatchFormat(StrEnum):
    """Per-dossier output formats of `intake batch` (stdout)."""

    TEXT = "text"
    JSONL = "jsonl"
    CSV = "csv"
    JUNIT = "junit"


BATCH_EXIT = {"pass": EXIT_PASS, "review": EXIT_REVIEW, "error": EXIT_USAGE, "fail": EXIT_FAIL}
BATCH_RANK = {"pass": 0, "review": 1, "error": 2, "fail": 3}  # the exit code is the worst verdict's


def check_options(
    *,
    at: str | None,
    trust: list[str] | None,
    crl: list[Path] | None,
    ocsp: list[Path] | None,
    online: bool,
    submitted: str | None,
    rates: Path | None,
    attestations: Path | None,
    attestation_max_age: int,
    no_ocr: bool,
) -> CheckOptions:
    """The options of `intake check` as job data, paths made absolute (workers may run elsewhere)."""
    from intake.service.jobs import CheckOptions, absolute

    return CheckOptions(
        at=parse_moment(at),
        trust=tuple(s if s in TRUST_PROFILES else absolute(s) for s in trust or ()),
        crls=tuple(absolute(p) for p in crl or ()),
        ocsp=tuple(absolute(p) for p in ocsp or ()),
        online=online,
        submitted=parse_moment(submitted) if submitted is not None else None,
        rates=absolute(rates) if rates is not None else None,
        attestations=absolute(attestations) if attestations is not None else None,
        attestation_max_age_days=attestation_max_age,
        no_ocr=no_ocr,
    )


def batch_line(result: JobResult) -> str:
    """The jsonl contract: one object per dossier."""
    import json

    doc = {
        "dossier": result.dossier,
        "verdict": result.verdict,
        "report": result.report,
        "skipped": result.skipped,
        "seconds": result.seconds,
    }
    if result.error:
        doc["error"] = result.error
    return json.dumps(doc, ensure_ascii=False)


def batch_junit(results: list[JobResult]) -> str:
    """JUnit XML for CI dashboards: one test case per dossier (fail: failure, unreadable: error, review: skipped)."""
    from junitparser import Error, Failure, JUnitXml, Skipped, TestCase, TestSuite

    suite = TestSuite("intake batch")
    for r in results:
        case = TestCase(r.dossier, classname="intake.batch", time=r.seconds)
        why = r.error or ", ".join(r.codes) or r.verdict
        if r.verdict == "fail":
            case.result = [Failure(f"fail: {why}", "fail")]
        elif r.verdict == "error":
            case.result = [Error(why, "error")]
        elif r.verdict == "review":
            case.result = [Skipped(f"review: {why}")]
        case.system_out = f"report: {r.report}" + ("\nskipped: already screened" if r.skipped else "")
        suite.add_testcase(case)
    xml = JUnitXml()
    xml.add_testsuite(suite)
    raw: bytes = xml.tostring()  # type: ignore[no-untyped-call]  # junitparser has no annotations
    return raw.decode("utf-8")


def batch_summary(results: list[JobResult], seconds: float) -> Console:
    """The table at the end, on stderr: verdicts, the most frequent failing codes, the slowest dossiers."""
    from collections import Counter

    from rich.table import Table

    console = _err()
    verdicts = Counter(r.verdict for r in results)
    skipped = sum(r.skipped for r in results)
    table = Table(title=f"{len(results)} dossier(s) in {seconds:.1f} s ({skipped} already screened, skipped)")
    table.add_column("verdict")
    table.add_column("dossiers", justify="right")
    for v in ("pass", "review", "fail", "error"):
        if verdicts[v]:
            table.add_row(v, str(verdicts[v]))
    console.print(table)
    codes = Counter(c for r in results for c in r.codes)
    if codes:
        top = Table(title="most frequent failing codes")
        top.add_column("code")
        top.add_column("dossiers", justify="right")
        for code, n in codes.most_common(10):
            top.add_row(code, str(n))
        console.print(top)
    screened = sorted((r for r in results if not r.skipped), key=lambda r: -r.seconds)[:5]
    if screened:
        slow = Table(title="slowest dossiers")
        slow.add_column("dossier")
        slow.add_column("seconds", justify="right")
        slow.add_column("verdict")
        for r in screened:
            slow.add_row(escape(r.dossier), f"{r.seconds:.2f}", r.verdict)
        console.print(slow)
    for r in results:
        if r.error:
            console.print(f"[yellow]{escape(r.dossier)}[/]: {escape(r.error)}")
    return console


@app.command("batch", epilog=EXIT_CODES_HELP)
def batch_command(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Dossier folders, .zip archives, folders of them, or glob patterns ('inbox/*.zip').",
        ),
    ],
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-j", min=1, metavar="N", help="Worker processes (default: one per core)."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", metavar="FOLDER", help="Where the report files go (and index.jsonl, for resuming).")
    ] = Path("intake-reports"),
    format: Annotated[
        BatchFormat, typer.Option("--format", "-f", help="What goes to stdout, per dossier.")
    ] = BatchFormat.TEXT,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.1, metavar="SECONDS", help="Time limit per dossier (then: review)."),
    ] = None,
    rescreen: Annotated[
        bool, typer.Option("--rescreen", help="Screen again dossiers already screened with the same settings.")
    ] = False,
    at: AtOpt = None,
    trust: TrustOpt = None,
    crl: CrlOpt = None,
    ocsp: OcspOpt = None,
    online: OnlineOpt = False,
    submitted: SubmittedOpt = None,
    no_ocr: NoOcrOpt = False,
    rates: RatesOpt = None,
    attestations: AttestationsOpt = None,
    attestation_max_age: MaxAgeOpt = 30,
) -> None:
    """Screen many dossiers in warm worker processes: a report file each, a line each, a summary at the end.

    The options of `intake check` apply to every dossier. A dossier already screened with the same
    content and settings is skipped (`skipped: true`); progress and the summary go to stderr.
    """
    import csv
    import time as clock

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from intake import batch

    options = check_options(
        at=at,
        trust=trust,
        crl=crl,
        ocsp=ocsp,
        online=online,
        submitted=submitted,
        rates=rates,
        attestations=attestations,
        attestation_max_age=attestation_max_age,
        no_ocr=no_ocr,
    )
    found = batch.discover(inputs)
    batch.check_out(out, found.targets)
    err = _err()
    for ignored in found.ignored:
        err.print(f"note: {escape(ignored)} holds no dossier; ignored")
    started = clock.perf_counter()
    results: list[JobResult] = []
    writer = csv.writer(sys.stdout, lineterminator="\n") if format is BatchFormat.CSV else None
    if writer is not None:
        writer.writerow(["dossier", "verdict", "report", "skipped", "seconds", "error"])
    progress = Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeRemainingColumn(),
        console=err,
        transient=False,
    )
    with progress:
        task = progress.add_task("screening", total=len(found.targets), rate="")
        for result in batch.run(found.targets, options, out, workers=workers, timeout=timeout, resume=not rescreen):
            results.append(result)
            elapsed = clock.perf_counter() - started
            rate = f"{len(results) / elapsed:.1f}/s" if elapsed > 0 else ""
            progress.update(task, advance=1, rate=rate)
            if format is BatchFormat.JSONL:
                sys.stdout.write(batch_line(result) + "\n")
            elif writer is not None:
                writer.writerow(
                    [result.dossier, result.verdict, result.report, result.skipped, result.seconds, result.error or ""]
                )
            elif format is BatchFormat.TEXT:
                mark = " (skipped: already screened)" if result.skipped else ""
                sys.stdout.write(f"{result.verdict.upper():<6} {result.dossier}  {result.seconds:.2f} s{mark}\n")
            sys.stdout.flush()
    if format is BatchFormat.JUNIT:
        _emit(batch_junit(results), None)
    batch_summary(results, clock.perf_counter() - started)
    worst = max((r.verdict for r in results), key=BATCH_RANK.__getitem__, default="pass")
    raise typer.Exit(BATCH_EXIT[worst])


DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database",
        metavar="URL",
        envvar="INTAKE_DATABASE_URL",
        show_envvar=True,
        help="The database of screenings (default: SQLite in ./intake-data).",
    ),
]


@app.command("purge")
def purge_command(
    apply: Annotated[bool, typer.Option("--apply", help="Delete; without it, only list what would go.")] = False,
    at: AtOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Paragraph 35: remove the records of suppliers removed more than two years ago (dry run by default)."""
    from intake.service.logs import mask_ids
    from intake.service.store import Store

    store = Store.open(database)
    store.migrate()
    items = store.purge(parse_moment(at).date(), apply=apply)
    err = _err()
    for item in items:
        sys.stdout.write(
            f"{mask_ids(item.identifier)}  removed {item.removed_on}  kept until {item.purge_after}  "
            f"{item.dossiers} dossier(s), {item.screenings} screening(s), {len(item.blobs)} file(s)\n"
        )
    verb = "removed" if apply else "would be removed (dry run; --apply to delete)"
    err.print(f"{len(items)} supplier(s) {verb}")
    raise typer.Exit(EXIT_PASS)


tokens_app = typer.Typer(help="API tokens (stored hashed).", no_args_is_help=True)
app.add_typer(tokens_app, name="tokens")


@tokens_app.command("add")
def tokens_add_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Who the token is for.")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", metavar="submit|read", help="A scope, repeatable (default: read).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Create an API token and print it once (only its hash is stored)."""
    from datetime import UTC

    from intake.service.store import Store

    store = Store.open(database)
    store.migrate()
    sys.stdout.write(store.add_token(name, scope or ["read"], datetime.now(tz=UTC)) + "\n")
    raise typer.Exit(EXIT_PASS)


@app.command("submit", epilog=EXIT_CODES_HELP)
def submit_command(
    dossier: Annotated[Path, typer.Argument(metavar="DOSSIER", help="A dossier folder or .zip on shared storage.")],
    wait: Annotated[
        float | None,
        typer.Option("--wait", metavar="SECONDS", help="Wait for the verdict; exit with its code."),
    ] = None,
    at: AtOpt = None,
    trust: TrustOpt = None,
    crl: CrlOpt = None,
    ocsp: OcspOpt = None,
    online: OnlineOpt = False,
    submitted: SubmittedOpt = None,
    no_ocr: NoOcrOpt = False,
    rates: RatesOpt = None,
    attestations: AttestationsOpt = None,
    attestation_max_age: MaxAgeOpt = 30,
    database: DatabaseOpt = None,
) -> None:
    """Put a dossier on the queue (Redis: INTAKE_REDIS_URL); prints {"job", "status"} as JSON.

    The job id is the content hash plus the settings hash: a dossier submitted twice with the same
    options is one job, answered from the stored result once screened.
    """
    import json
    import time as clock

    from intake.service import queue
    from intake.service.store import Store

    options = check_options(
        at=at,
        trust=trust,
        crl=crl,
        ocsp=ocsp,
        online=online,
        submitted=submitted,
        rates=rates,
        attestations=attestations,
        attestation_max_age=attestation_max_age,
        no_ocr=no_ocr,
    )
    store = Store.open(database)
    store.migrate()
    jid, status = queue.submit(dossier, options, store)
    doc: dict[str, object] = {"job": jid, "status": status}
    if wait is not None:
        deadline = clock.monotonic() + wait
        while clock.monotonic() < deadline:
            state = queue.job_status(jid, store) or {}
            if state.get("status") in ("done", "dead"):
                doc = {
                    "job": jid,
                    "status": state["status"],
                    "verdict": state.get("verdict"),
                    "error": state.get("error"),
                }
                break
            clock.sleep(0.2)
    _emit(json.dumps(doc, ensure_ascii=False), None)
    verdict = doc.get("verdict")
    if wait is not None and isinstance(verdict, str):
        raise typer.Exit(BATCH_EXIT.get(verdict, EXIT_USAGE))
    raise typer.Exit(EXIT_PASS if wait is None or doc["status"] != "dead" else EXIT_USAGE)


@app.command("worker")
def worker_command(
    processes: Annotated[
        int, typer.Option("--processes", "-p", min=1, metavar="N", help="Worker processes (one thread each).")
    ] = 1,
) -> None:
    """Consume the queue (Dramatiq on INTAKE_REDIS_URL), storing results in INTAKE_DATABASE_URL."""
    import os

    argv = [sys.executable, "-m", "dramatiq", "intake.service.queue", "-p", str(processes), "-t", "1", "-Q", "intake"]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)  # this process becomes the Dramatiq supervisor


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", metavar="ADDRESS", help="Listen on this address.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", metavar="PORT", min=0, max=65535, help="Listen on this port.")] = 8000,
    database: DatabaseOpt = None,
) -> None:
    """The HTTP API (FastAPI on uvicorn): /api/v1/dossiers; OpenAPI at /openapi.json and in docs/openapi.json."""
    import uvicorn

    from intake.service import logs
    from intake.service.api import create_app
    from intake.service.store import Store

    store = Store.open(database)
    store.migrate()
    logs.install("uvicorn", "uvicorn.access", "uvicorn.error")
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")
    raise typer.Exit(EXIT_PASS)


def command() -> typer.core.TyperGroup:
    """The click command behind `app`, with flags shown without a value type (`--online`, not `<bool>`)."""
    cmd = typer.main.get_command(app)
    assert isinstance(cmd, typer.core.TyperGroup)
    for c in [cmd, *cmd.commands.values()]:
        for p in [*c.params, c.get_help_option(c.context_class(c))]:
            if getattr(p, "is_flag", False):
                p.metavar = ""  # type: ignore[union-attr]
            elif getattr(p, "param_type_name", "") == "argument":  # its metavar says it: DOSSIER, INPUT
                p.display_type_rich = _no_type  # type: ignore[union-attr]
    return cmd


def _no_type(ctx: object) -> None:
    return None


def main(argv: list[str] | None = None) -> int:
    """Run the CLI in process and return the exit code (tests call this)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        command().main(args=args, prog_name="intake")  # usage errors exit 2, commands raise typer.Exit
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (EXIT_PASS if code is None else EXIT_USAGE)
    except IntakeError as exc:
        _err().print(f"[red]error:[/] {escape(str(exc))}")
        return exc.exit_code
    return EXIT_PASS


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
