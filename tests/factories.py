"""Facts built through the real gathering code (`intake.files.gather_file`, `open_dossier`), so that a
test's facts never drift from what intake makes (`extension=".pdf"`, the sniffed media type, the role)."""

from __future__ import annotations

import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from intake.checks import run_checks
from intake.files import OpenedDossier, gather_file
from intake.judgements import on_files
from intake.models import Applicant, DocumentEntry, Dossier, FileFacts, Finding, Report, Summary, Verdict

AT = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))
ONE_PAGE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
_HOLD = tempfile.TemporaryDirectory(prefix="intake-factories-")  # removed when the test run ends


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, format="PNG")
    return out.getvalue()


def _default_bytes(name: str) -> bytes:
    suffix = Path(name).suffix.lower()
    if suffix == ".pdf":
        return ONE_PAGE_PDF
    if suffix == ".png":
        return _png()
    return b"{}"


def file_facts(name: str, data: bytes | None = None, *, root: Path | None = None, **update: Any) -> FileFacts:
    """The facts `gather_file` makes of a file `name` holding `data` (a one-page PDF, a blank PNG or `{}` by
    its extension), under `root` (a shared temporary folder by default); `update` then sets facts that later
    stages add (text, signatures, details)."""
    if root is None:
        root = Path(tempfile.mkdtemp(dir=_HOLD.name))
    path = root / name
    if data is not None or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_default_bytes(name) if data is None else data)
    facts = gather_file(root, path)
    return facts.model_copy(update=update) if update else facts


def intake_findings(opened: OpenedDossier) -> list[Finding]:
    """The findings the checks make of what file intake recorded (refused entries and the passed checks)."""
    dossier = Dossier(
        source=opened.source, at=AT, kind=None, application=None, files=opened.files, intake=opened.intake
    )
    return list(run_checks(dossier, on_files.INTAKE_CHECKS, strict=True))


def failing_report(
    findings: tuple[Finding, ...],
    *,
    documents: tuple[DocumentEntry, ...] = (),
    applicant: Applicant | None = None,
    causes: bool = False,
) -> Report:
    """A failing report holding just these findings (for the report's and the notice's own tests); `causes`
    groups them as the pipeline does."""
    from intake.causes import group

    return Report(
        tool="intake",
        profile="kz-377-2018",
        dossier="d",
        validated_at=AT,
        verdict=Verdict.FAIL,
        kind=None,
        documents=documents,
        findings=findings,
        summary=Summary(total=len(findings), outcomes={}, severities={}),
        applicant=applicant,
        causes=group(findings) if causes else (),
    )
