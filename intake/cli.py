"""The command line: the only module that prints or picks an exit code.

    intake check DOSSIER [--format text|json] [--output FILE] [--at ISO-8601] ...
    intake verify FILE [--signature SIG] [--trust PATH]... [--crl FILE]... [--at ISO-8601] ...

Exit codes: 0 pass, 1 fail, 2 usage error or unreadable input, 3 review.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import TaskID

from intake.errors import EXIT_FAIL, EXIT_PASS, EXIT_REVIEW, EXIT_USAGE, IntakeError, OutputError
from intake.models import Finding, Outcome, Report, Verdict

ALMATY = ZoneInfo("Asia/Almaty")

app = typer.Typer(
    name="intake",
    help="Pre-screen dossiers for the Kazakhstan register of special social services (Order No. 377).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
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


@app.command("check")
def check_command(
    dossier: Annotated[Path, typer.Argument(help="A dossier folder or .zip archive.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here.")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Validation moment, ISO-8601 (default: now).")] = None,
    trust: Annotated[list[str] | None, typer.Option("--trust", help="Trust anchors: file, folder or profile.")] = None,
    crl: Annotated[list[Path] | None, typer.Option("--crl", help="A CRL file (repeatable).")] = None,
    ocsp: Annotated[list[Path] | None, typer.Option("--ocsp", help="An OCSP response file (repeatable).")] = None,
    online: Annotated[bool, typer.Option("--online", help="Fetch revocation data over the network.")] = False,
    submitted: Annotated[str | None, typer.Option("--submitted", help="Submission moment, ISO-8601.")] = None,
    no_ocr: Annotated[bool, typer.Option("--no-ocr", help="Do not OCR scans (their checks stay undecided).")] = False,
    rates: Annotated[
        Path | None, typer.Option("--rates", help="Exchange rates JSON {date, rates: {USD: KZT per unit}} for 27.4.")
    ] = None,
    attestations: Annotated[
        Path | None, typer.Option("--attestations", help="A folder of signed state-system attestations.")
    ] = None,
    attestation_max_age: Annotated[
        int, typer.Option("--attestation-max-age", min=1, help="Oldest accepted attestation, in days.")
    ] = 30,
    evidence: Annotated[
        Path | None, typer.Option("--evidence", help="Write a cropped PNG per failed or review scan finding here.")
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
    with _page_progress() as progress:
        report = check(dossier, dataclasses.replace(settings, progress=progress))
    _emit(render_json(report) if format is Format.JSON else render_text(report), output)
    raise typer.Exit(EXIT_OF[report.verdict])


@contextlib.contextmanager
def _page_progress() -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr for the pages being read (drawn only on a terminal, and only once
    there are pages to OCR); yields the callback the pipeline calls with (done, total)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("reading pages"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=_err(),
        transient=True,
    )
    task: list[TaskID] = []

    def update(done: int, total: int) -> None:
        if not task:
            bar.start()
            task.append(bar.add_task("pages", total=total))
        bar.update(task[0], completed=done, total=total)

    try:
        yield update
    finally:
        if task:
            bar.stop()


@app.command("verify")
def verify_command(
    file: Annotated[Path, typer.Argument(help="A signed file: PDF, attached CMS (.p7m), or a detached-signed file.")],
    signature: Annotated[Path | None, typer.Option("--signature", help="A detached CMS over FILE.")] = None,
    trust: Annotated[list[str] | None, typer.Option("--trust", help="Trust anchors: file, folder or profile.")] = None,
    crl: Annotated[list[Path] | None, typer.Option("--crl", help="A CRL file (repeatable).")] = None,
    ocsp: Annotated[list[Path] | None, typer.Option("--ocsp", help="An OCSP response file (repeatable).")] = None,
    at: Annotated[str | None, typer.Option("--at", help="Validation moment, ISO-8601 (default: now).")] = None,
    online: Annotated[bool, typer.Option("--online", help="Fetch revocation data over the network.")] = False,
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
    dossier: Annotated[Path, typer.Argument(help="A dossier folder or .zip archive.")],
    apply: Annotated[
        Path | None, typer.Option("--apply", help="Write renamed copies into this new folder (originals untouched).")
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


def main(argv: list[str] | None = None) -> int:
    """Run the CLI in process and return the exit code (tests call this)."""
    args = sys.argv[1:] if argv is None else argv
    try:
        app(args=args, prog_name="intake")  # standalone: usage errors exit 2, commands raise typer.Exit
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
