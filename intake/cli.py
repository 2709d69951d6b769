"""The command line: the only module that prints or picks an exit code.

    intake check DOSSIER [--format text|json|html] [--lang ru|kk|en] [--output FILE] [--at ISO-8601] ...
    intake notice REPORT.json [--lang ru|kk|en] [--format text|pdf|eml] [--upheld CODE,...] [--output FILE]
    intake verify FILE [--signature SIG] [--trust PATH]... [--crl FILE]... [--at ISO-8601] ...

Exit codes: 0 pass, 1 fail, 2 usage error or unreadable input, 3 review.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import sys
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypedDict, get_type_hints
from zoneinfo import ZoneInfo

import typer
import typer.core
import typer.main

from intake.errors import EXIT_FAIL, EXIT_PASS, EXIT_REVIEW, EXIT_USAGE, IntakeError, OutputError
from intake.models import Report, Verdict

if TYPE_CHECKING:  # rich loads when something is printed to stderr
    from rich.console import Console
    from rich.progress import Progress, TaskID

    from intake.signatures import RevocationPolicy, TrustEntry

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


def _group(name: str, help_text: str) -> typer.Typer:
    """A group of subcommands, `intake NAME ...`."""
    group = typer.Typer(help=help_text, no_args_is_help=True)
    app.add_typer(group, name=name)
    return group


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


class Revocation(StrEnum):
    """`--revocation`: what a signature needs to know about its signer's revocation status."""

    REQUIRE = "require"
    SOFT_FAIL = "soft-fail"
    OFF = "off"


REVOCATION_HELP = (
    "Revocation policy: require (default; no data: undecided), soft-fail (passes only where no revocation "
    "data can be had; never where it says revoked or is unusable), off (for testing)."
)


class ReportFormat(StrEnum):
    """Formats of the dossier report."""

    TEXT = "text"
    JSON = "json"
    HTML = "html"


class NoticeFormat(StrEnum):
    """Formats of the notice of paragraph 28."""

    TEXT = "text"
    PDF = "pdf"
    EML = "eml"


class Language(StrEnum):
    """Languages of the reports and the notice."""

    RU = "ru"
    KK = "kk"
    EN = "en"


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
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def escape(text: str) -> str:
    """`text` with rich's markup escaped, to print as it is."""
    from rich.markup import escape as markup_escape

    return markup_escape(text)


def _check_output(output: Path | None, inputs: list[Path]) -> None:
    """Refuse, before any work, an output the report cannot be written to or that is the user's input."""
    if output is None:
        return
    target = output.resolve()
    if target.is_dir():
        raise OutputError(f"--output {output}: is a folder; name a file")
    if not target.parent.is_dir():
        raise OutputError(f"--output {output}: the folder {target.parent} does not exist")
    _refuse_inside_input("--output", output, inputs)


def _check_evidence(evidence: Path | None, inputs: list[Path]) -> None:
    """Refuse, before any work, an evidence folder that is a file or lies inside the user's input."""
    if evidence is None:
        return
    if evidence.exists() and not evidence.is_dir():
        raise OutputError(f"--evidence {evidence}: is a file; name a folder for the cropped images")
    _refuse_inside_input("--evidence", evidence, inputs)


def _refuse_inside_input(option: str, path: Path, inputs: list[Path]) -> None:
    target = path.resolve()
    for given in inputs:
        source = given.resolve()
        if target == source or (source.is_dir() and target.is_relative_to(source)):
            raise OutputError(f"{option} {path}: would write into the input {given}; the input is never changed")


def _emit(text: str, output: Path | None, what: str = "report") -> None:
    text = text if text.endswith("\n") else text + "\n"
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    _emit_bytes(text.encode("utf-8"), output, what)


def _emit_bytes(data: bytes, output: Path | None, what: str) -> None:
    if output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise OutputError(f"--output {output}: cannot be written ({exc.strerror})") from exc
    _err().print(f"{what} written to {escape(str(output))}")


# --------------------------------------------------------------------------- rendering


def render_text(report: Report, lang: str = "en") -> str:
    """The clerk's view: the verdict and its grounds first, then what a person must look at, by document."""
    from intake.reports import render_text as render

    return render(report, lang)


def render_json(report: Report, lang: str = "en") -> str:
    """The machine-readable report (docs/report.schema.json); titles in the language, keys and codes as they are."""
    from intake.reports import localized

    return localized(report, lang).model_dump_json(indent=2)


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
RevocationOpt = Annotated[Revocation, typer.Option("--revocation", help=REVOCATION_HELP)]


@dataclasses.dataclass(frozen=True)
class CheckArgs:
    """The options of `intake check` as given on the command line (`intake batch` and `intake submit` take
    them too): `with_check_args` adds them to a command, each field an option."""

    at: AtOpt = None
    trust: TrustOpt = None
    crl: CrlOpt = None
    ocsp: OcspOpt = None
    online: OnlineOpt = False
    submitted: SubmittedOpt = None
    no_ocr: NoOcrOpt = False
    rates: RatesOpt = None
    attestations: AttestationsOpt = None
    attestation_max_age: MaxAgeOpt = 30
    revocation: RevocationOpt = Revocation.REQUIRE


def with_check_args(command: Callable[..., None]) -> Callable[..., None]:
    """Give a command the options of `CheckArgs`, handed to it as one `options: CheckArgs`.

    Typer reads a command's options from its signature and type hints, so the wrapper shows the
    command's own parameters (less `options`) followed by the fields of `CheckArgs`.
    """
    params: list[inspect.Parameter] = []
    for source in (command, CheckArgs):
        hints = get_type_hints(source, include_extras=True)
        params += [
            p.replace(kind=inspect.Parameter.KEYWORD_ONLY, annotation=hints[p.name])
            for p in inspect.signature(source).parameters.values()
            if p.name != "options"
        ]
    shared = [f.name for f in dataclasses.fields(CheckArgs)]

    @functools.wraps(command)
    def wrapper(**kwargs: Any) -> None:
        command(options=CheckArgs(**{name: kwargs.pop(name) for name in shared}), **kwargs)

    wrapper.__signature__ = inspect.Signature(params, return_annotation=None)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {p.name: p.annotation for p in params}
    return wrapper


@app.command("check", epilog=EXIT_CODES_HELP)
@with_check_args
def check_command(
    dossier: Annotated[Path, typer.Argument(metavar="DOSSIER", help="A dossier folder or .zip archive.")],
    format: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.TEXT,
    lang: Annotated[Language, typer.Option("--lang", help="Language of the text and HTML report.")] = Language.EN,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write the report here.")
    ] = None,
    evidence: Annotated[
        Path | None,
        typer.Option(
            "--evidence", metavar="FOLDER", help="Write a cropped PNG per failed or review scan finding here."
        ),
    ] = None,
    *,
    options: CheckArgs,
) -> None:
    """Screen a dossier and print its completeness report."""
    from intake import ocr
    from intake.pipeline import Settings, check_with_thumbnails

    _check_output(output, [dossier])
    _check_evidence(evidence, [dossier])
    o = options
    no_ocr = o.no_ocr
    engine: ocr.OcrEngine = ocr.NullEngine(reason="OCR switched off with --no-ocr") if no_ocr else ocr.TesseractEngine()
    if not no_ocr and (why := engine.unavailable()):
        _err().print(f"note: {escape(why)}; scanned pages will be undecided")
        engine = ocr.NullEngine(reason=why)
    settings = Settings(
        **validation_settings(o.at, o.trust, o.crl, o.ocsp, o.online, o.revocation),
        submitted=parse_moment(o.submitted) if o.submitted is not None else None,
        rates=o.rates,
        attestations=o.attestations,
        attestation_max_age_days=o.attestation_max_age,
        ocr_engine=engine,
        evidence=evidence,
    )
    html = format is ReportFormat.HTML
    with _page_progress() as progress:
        report, thumbs = check_with_thumbnails(
            dossier, dataclasses.replace(settings, progress=progress), pages=2 if html else 0
        )
    if html:
        from intake.reports import render_html

        _emit(render_html(report, lang.value, thumbs), output)
    else:
        _emit(
            render_json(report, lang.value) if format is ReportFormat.JSON else render_text(report, lang.value), output
        )
    raise typer.Exit(EXIT_OF[report.verdict])


@app.command("notice")
def notice_command(
    report_file: Annotated[Path, typer.Argument(help="A report of `intake check --format json`.")],
    lang: Annotated[Language, typer.Option("--lang", help="Language of the notice.")] = Language.RU,
    format: Annotated[NoticeFormat, typer.Option("--format", "-f", help="Notice format.")] = NoticeFormat.TEXT,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the notice here.")] = None,
    upheld: Annotated[
        str | None, typer.Option("--upheld", help="Codes the Commission upheld, e.g. FILE001,SIG002 (default: all).")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="Date of the notice, ISO-8601 (default: today).")] = None,
    sender: Annotated[str | None, typer.Option("--sender", help="From address of the .eml.")] = None,
) -> None:
    """Draft the reasoned notice of refusal (paragraph 28) from a report's findings, with the right of appeal (29)."""
    from pydantic import ValidationError

    from intake.errors import InputError
    from intake.notice import draft, to_eml, to_pdf, to_text

    _check_output(output, [report_file])
    try:
        report = Report.model_validate_json(report_file.read_bytes())
    except OSError as exc:
        raise InputError(f"{report_file}: cannot be read ({exc.strerror})") from exc
    except ValidationError as exc:
        raise InputError(
            f"{report_file}: not a report of `intake check --format json` ({exc.error_count()} errors)"
        ) from exc
    codes = None if upheld is None else {c.strip().upper() for c in upheld.split(",") if c.strip()}
    notice = draft(report, lang.value, on=parse_moment(on).date(), upheld=codes)
    if format is NoticeFormat.TEXT:
        _emit(to_text(notice), output, "notice")
    elif format is NoticeFormat.PDF:
        _emit_bytes(to_pdf(notice), output, "notice")
    else:
        _emit_bytes(to_eml(notice, sender=sender), output, "notice")
    raise typer.Exit(EXIT_PASS)


@contextlib.contextmanager
def _page_progress() -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr for the pages being read (drawn only on a terminal, and only once
    there are pages to OCR); yields the callback the pipeline calls with (done, total)."""
    bars: list[tuple[Progress, TaskID]] = []

    def update(done: int, total: int) -> None:
        if not bars:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            bar = Progress(
                TextColumn("reading pages"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=_err(),
                transient=True,
            )
            bar.start()
            bars.append((bar, bar.add_task("pages", total=total)))
        bar, task = bars[0]
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bars:
            bars[0][0].stop()


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
    revocation: RevocationOpt = Revocation.REQUIRE,
    cert: Annotated[
        list[Path] | None,
        typer.Option("--cert", help="A certificate file, for a CMS that does not carry its signer's certificate."),
    ] = None,
) -> None:
    """Verify the EDS signatures of one file; exit 0 when every signature is TOTAL_PASSED, else 1."""
    import json

    from intake.signatures import VerificationContext, verify_path

    ctx = VerificationContext(
        **validation_settings(at, trust, crl, ocsp, online, revocation),
        certs=tuple(cert or ()),
    )
    reports = verify_path(file, ctx, signature)
    if format is Format.JSON:
        # the contract {file, signatures}: the policy is in each signature's revocation.policy
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
                f" (policy {r.revocation.policy or ctx.revocation.value}"
                f"{f', from {r.revocation.origin}' if r.revocation.origin else ''})"
            )
            if r.proof_of_existence is not None:
                poe = r.proof_of_existence
                lines.append(f"  proof of existence {poe.time.isoformat()} ({poe.source}, {poe.timestamp_authority})")
            if r.signing_time:
                lines.append(f"  signed at {r.signing_time.isoformat()} ({r.signing_time_source})")
            lines.extend(f"  {m}" for m in r.messages)
        _emit("\n".join(lines), None)
    raise typer.Exit(EXIT_PASS if reports and all(r.passed for r in reports) else EXIT_FAIL)


trust_app = _group("trust", "What is trusted, until when; add a CA; check the bundled profiles.")
WARN_DAYS = 180


class ValidationSettings(TypedDict):
    """What `intake check` and `intake verify` validate signatures with (`Settings`, `VerificationContext`)."""

    at: datetime
    trust: tuple[str, ...]
    crls: tuple[Path, ...]
    ocsp: tuple[Path, ...]
    online: bool
    revocation: RevocationPolicy


def validation_settings(
    at: str | None,
    trust: list[str] | None,
    crl: list[Path] | None,
    ocsp: list[Path] | None,
    online: bool,
    revocation: Revocation,
) -> ValidationSettings:
    """The moment (warning of a bundled anchor that expires near it), the trust anchors and revocation data."""
    from intake.signatures import RevocationPolicy

    moment = parse_moment(at)
    _warn_bundled_expiry(trust, moment)
    return ValidationSettings(
        at=moment,
        trust=tuple(trust or ()),
        crls=tuple(crl or ()),
        ocsp=tuple(ocsp or ()),
        online=online,
        revocation=RevocationPolicy(revocation.value),
    )


def _warn_bundled_expiry(trust: list[str] | None, moment: datetime, warn_days: int = WARN_DAYS) -> None:
    """A note on stderr when a current anchor of a bundled profile named by --trust expires within
    `warn_days` of the validation moment, or has expired by then (`intake trust check` says more)."""
    from intake.signatures import PROFILES, trust_entries

    for profile in [t for t in trust or () if t in PROFILES]:
        for e in trust_entries([profile]):
            state = e.state(moment, warn_days)
            if e.use == "current" and state in ("expiring", "expired"):
                _err().print(
                    f"note: {profile}/{e.file} {'expires' if state == 'expiring' else 'expired'} on "
                    f"{e.not_after.date().isoformat()}; see intake trust check"
                )


def _trust_lines(entries: list[TrustEntry], moment: datetime, warn_days: int) -> list[str]:
    lines = [f"{'source':<10} {'file':<22} {'role':<12} {'use':<10} {'valid until':<11} {'state':<13} subject"]
    for e in entries:
        lines.append(
            f"{e.spec[-10:]:<10} {e.file[:22]:<22} {e.role:<12} {e.use or '-':<10} "
            f"{e.not_after.date().isoformat():<11} {e.state(moment, warn_days):<13} {e.subject}"
        )
    return lines


def _trust_json(entries: list[TrustEntry], moment: datetime, warn_days: int) -> list[dict[str, object]]:
    return [
        {
            "source": e.spec,
            "file": e.file,
            "role": e.role,
            "use": e.use,
            "subject": e.subject,
            "not_before": e.not_before.isoformat(),
            "not_after": e.not_after.isoformat(),
            "sha256": e.sha256,
            "state": e.state(moment, warn_days),
        }
        for e in entries
    ]


@trust_app.command("list")
def trust_list_command(
    trust: Annotated[
        list[str] | None, typer.Option("--trust", help="A profile, file or folder (default: every bundled profile).")
    ] = None,
    at: Annotated[str | None, typer.Option("--at", help="The moment to judge validity at (default: now).")] = None,
    warn_days: Annotated[
        int, typer.Option("--warn-days", min=0, help="Warn this many days before expiry.")
    ] = WARN_DAYS,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.TEXT,
) -> None:
    """Every trusted certificate: anchor or intermediate, current or historical, valid until when."""
    import json

    from intake.signatures import PROFILES, trust_entries

    moment = parse_moment(at)
    entries = list(trust_entries(tuple(trust or PROFILES)))
    if format is Format.JSON:
        _emit(json.dumps(_trust_json(entries, moment, warn_days), ensure_ascii=False, indent=2), None)
    else:
        _emit("\n".join(_trust_lines(entries, moment, warn_days)), None)
    raise typer.Exit(EXIT_PASS)


@trust_app.command("add")
def trust_add_command(
    certificate: Annotated[Path, typer.Argument(help="A CA certificate file (DER, PEM or base64).")],
    to: Annotated[Path, typer.Option("--to", help="The trust folder to add it to (then pass --trust FOLDER).")],
) -> None:
    """Add a CA certificate to a trust folder of your own, named by its fingerprint; shows what was added."""
    from intake.signatures import add_certificate

    moment = parse_moment(None)
    added = list(add_certificate(certificate, to))
    lines = _trust_lines(added, moment, WARN_DAYS)
    lines += [f"sha256 {e.sha256}  {e.file}" for e in added]
    lines.append(f"check the fingerprints against the issuer's published ones; then pass --trust {to}")
    _emit("\n".join(lines), None)
    raise typer.Exit(EXIT_PASS)


@trust_app.command("check")
def trust_check_command(
    at: Annotated[str | None, typer.Option("--at", help="The moment to judge expiry at (default: now).")] = None,
    warn_days: Annotated[
        int, typer.Option("--warn-days", min=0, help="Warn this many days before expiry.")
    ] = WARN_DAYS,
) -> None:
    """Check the bundled profiles: files equal their manifest; no current anchor expired or about to expire.

    Exit 0 when all is well, 3 when a current certificate expires within --warn-days, 1 when a file differs
    from its manifest or a current certificate has expired.
    """
    from intake.signatures import PROFILES, manifest_problems, trust_entries

    moment = parse_moment(at)
    lines: list[str] = []
    failed = warned = False
    for profile in PROFILES:
        for problem in manifest_problems(profile):
            if profile == "kz-test" and "has no" in problem:
                continue  # the test profile carries no manifest of its own
            failed = True
            lines.append(f"✗ {profile}: {problem}")
        for e in trust_entries([profile]):
            state = e.state(moment, warn_days)
            if e.use != "current" or state == "valid":
                continue
            if state == "expiring":
                warned = True
                lines.append(
                    f"! {profile}/{e.file}: expires on {e.not_after.date().isoformat()} (within {warn_days} days)"
                )
            else:
                failed = True
                lines.append(f"✗ {profile}/{e.file}: {state.replace('_', ' ')} at {moment.isoformat()}")
    lines.append(
        f"bundled trust profiles checked at {moment.isoformat()}: "
        + ("problems" if failed else "warnings" if warned else "all current anchors valid")
    )
    _emit("\n".join(lines), None)
    raise typer.Exit(EXIT_FAIL if failed else EXIT_REVIEW if warned else EXIT_PASS)


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


def check_options(args: CheckArgs) -> CheckOptions:
    """The options of `intake check` as job data, paths made absolute (workers may run elsewhere)."""
    from intake.service.jobs import CheckOptions, absolute

    return CheckOptions(
        at=parse_moment(args.at),
        trust=tuple(s if s in TRUST_PROFILES else absolute(s) for s in args.trust or ()),
        crls=tuple(absolute(p) for p in args.crl or ()),
        ocsp=tuple(absolute(p) for p in args.ocsp or ()),
        online=args.online,
        submitted=parse_moment(args.submitted) if args.submitted is not None else None,
        rates=absolute(args.rates) if args.rates is not None else None,
        attestations=absolute(args.attestations) if args.attestations is not None else None,
        attestation_max_age_days=args.attestation_max_age,
        no_ocr=args.no_ocr,
        revocation=args.revocation.value,
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
@with_check_args
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
    *,
    options: CheckArgs,
) -> None:
    """Screen many dossiers in warm worker processes: a report file each, a line each, a summary at the end.

    The options of `intake check` apply to every dossier. A dossier already screened with the same
    content and settings is skipped (`skipped: true`); progress and the summary go to stderr.
    """
    import csv
    import time as clock

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from intake import batch

    job = check_options(options)
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
        for result in batch.run(found.targets, job, out, workers=workers, timeout=timeout, resume=not rescreen):
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


tokens_app = _group("tokens", "API tokens (stored hashed).")


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
@with_check_args
def submit_command(
    dossier: Annotated[Path, typer.Argument(metavar="DOSSIER", help="A dossier folder or .zip on shared storage.")],
    wait: Annotated[
        float | None,
        typer.Option("--wait", metavar="SECONDS", help="Wait for the verdict; exit with its code."),
    ] = None,
    database: DatabaseOpt = None,
    *,
    options: CheckArgs,
) -> None:
    """Put a dossier on the queue (Redis: INTAKE_REDIS_URL); prints {"job", "status"} as JSON.

    The job id is the content hash plus the settings hash: a dossier submitted twice with the same
    options is one job, answered from the stored result once screened.
    """
    import json
    import time as clock

    from intake.service import queue
    from intake.service.store import Store

    job = check_options(options)
    store = Store.open(database)
    store.migrate()
    jid, status = queue.submit(dossier, job, store)
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
    trust: TrustOpt = None,
    crl: CrlOpt = None,
    no_ocr: NoOcrOpt = False,
    revocation: Annotated[Revocation, typer.Option("--revocation", help=REVOCATION_HELP)] = Revocation.REQUIRE,
) -> None:
    """The HTTP API (FastAPI on uvicorn): /api/v1/dossiers; OpenAPI at /openapi.json and in docs/openapi.json.

    And the clerks' web pages at / (accounts: `intake users add`); dossiers uploaded there are screened with
    --trust, --crl, --no-ocr and --revocation. Sessions are signed with INTAKE_SECRET_KEY (set it: without
    it a random key is made and sessions end when the server restarts); INTAKE_COOKIE_SECURE=1 behind HTTPS.
    """
    import os

    import uvicorn

    from intake.service import logs
    from intake.service.api import DEFAULT_MAX_UPLOAD, MAX_UPLOAD_ENV, create_app
    from intake.service.jobs import absolute
    from intake.service.store import Store
    from intake.service.web import SECRET_ENV, settings_from_env

    store = Store.open(database)
    store.migrate()
    web = dataclasses.replace(
        settings_from_env(int(os.environ.get(MAX_UPLOAD_ENV, DEFAULT_MAX_UPLOAD))),
        trust=tuple(s if s in TRUST_PROFILES else absolute(s) for s in trust or ()),
        crls=tuple(absolute(p) for p in crl or ()),
        no_ocr=no_ocr,
        revocation=revocation.value,
    )
    if not os.environ.get(SECRET_ENV):
        _err().print(f"[yellow]warning:[/] {SECRET_ENV} is not set: sessions end when the server restarts")
    logs.install("uvicorn", "uvicorn.access", "uvicorn.error")
    uvicorn.run(create_app(store, web=web), host=host, port=port, log_level="info")
    raise typer.Exit(EXIT_PASS)


users_app = _group("users", "Accounts of the web pages (clerks and supervisors).")


@users_app.command("add")
def users_add_command(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The sign-in name.")],
    role: Annotated[str, typer.Option("--role", metavar="clerk|supervisor", help="What the account may do.")],
    body: Annotated[str, typer.Option("--body", metavar="BODY", help="The local executive body it works for.")],
    region: Annotated[str | None, typer.Option("--region", metavar="REGION", help="Its region.")] = None,
    lang: Annotated[str, typer.Option("--lang", metavar="ru|kk|en", help="The interface language.")] = "ru",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input (first line).")
    ] = False,
    database: DatabaseOpt = None,
) -> None:
    """Create an account; the password is asked for (or read with --password-stdin) and kept as an argon2 hash."""
    from datetime import UTC

    from intake.service.casework import Casework
    from intake.service.store import Store

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if lang not in ("ru", "kk", "en"):
        raise typer.BadParameter("--lang must be ru, kk or en")
    store = Store.open(database)
    store.migrate()
    account = Casework(store).add_user(
        name, password, role=role, body=body, region=region, at=datetime.now(tz=UTC), lang=lang
    )
    _err().print(
        f"{account.name}: {account.role} of {account.body}" + (f" ({account.region})" if account.region else "")
    )
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
