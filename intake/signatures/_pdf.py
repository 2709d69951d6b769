"""PDF signatures (placeholder until the PDF path lands)."""

from __future__ import annotations

from pathlib import Path

from intake.models import SignatureReport
from intake.signatures._context import VerificationContext


def verify_pdf(path: Path, name: str, ctx: VerificationContext) -> tuple[SignatureReport, ...]:
    """Every signature of a PDF."""
    return ()
