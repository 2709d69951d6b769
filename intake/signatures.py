"""EDS signature verification (paragraphs 7, 15): CMS and PDF signatures, Kazakh NCA certificates.

Interface used by the pipeline:

    context(settings) -> VerificationContext
    verify_file(facts, ctx) -> tuple[SignatureReport, ...]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from intake.models import FileFacts, SignatureReport


@dataclass(frozen=True)
class VerificationContext:
    """Trust anchors, revocation data and the validation moment."""

    at: datetime
    trust: tuple[str, ...] = ()
    crls: tuple[Path, ...] = ()
    ocsp: tuple[Path, ...] = ()
    online: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def verify_file(facts: FileFacts, root: Path, ctx: VerificationContext) -> tuple[SignatureReport, ...]:
    """Verify every signature that applies to one file: detached sidecars, attached CMS, PDF signatures."""
    return tuple(
        SignatureReport(
            indication="INDETERMINATE",
            subindication="SIGNED_DATA_NOT_FOUND",
            source=sig,
            messages=("EDS verification is not available in this build; the signature was not checked",),
        )
        for sig in facts.signature_files
    )
