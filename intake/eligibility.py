"""Attestations from state information systems (paragraphs 5, 13; refusal grounds 27.1, 27.7): the facts.

An attestation is an electronic document a state information system issues and certifies with its
EDS: in the dossier as `state/<type>.json` (or `.xml`) with the detached signature
`state/<type>.json.cms`, or from another `AttestationSource` (a folder given with
`--attestations DIR`). Its JSON is::

    {"attestation": "tax-debt", "issuer": "...", "system": "...", "subject": {"bin": "..."},
     "issued_at": "2026-11-18T10:00:00+05:00", "status": "clear" | "adverse",
     "statement": "...", "details": {}}

An XML attestation carries the same fields as elements (`<subject><bin>...</bin></subject>`).

This module only reads (facts); `intake.judgements.on_eligibility` judges the signature, subject,
freshness and statement. Reading never raises for a defect of an attestation: it becomes an
`AttestationProblem` naming the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, Final, Literal, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from intake.models import (
    Attestation,
    AttestationProblem,
    Attestations,
    FileFacts,
    FileRole,
    Say,
    SignatureReport,
    say,
)

__all__ = [
    "DEFAULT_MAX_AGE_DAYS",
    "Attestation",
    "AttestationProblem",
    "AttestationSource",
    "Attestations",
    "DirectorySource",
    "DossierSource",
    "collect",
    "parse_attestation",
]

ALMATY: Final = ZoneInfo("Asia/Almaty")
DEFAULT_MAX_AGE_DAYS: Final = 30
"""An attestation older than this, before the validation moment, is not current (ELIG009)."""
SUFFIXES: Final = (".json", ".xml")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Subject(_Frozen):
    """Whom the attestation is about."""

    bin: str | None = None
    iin: str | None = None


class _Body(_Frozen):
    """The JSON body as issued."""

    attestation: str
    issuer: str
    system: str
    subject: Subject
    issued_at: datetime
    status: Literal["clear", "adverse"]
    statement: str
    details: dict[str, Any] = Field(default_factory=dict)


class AttestationSource(Protocol):
    """Where attestations come from: the dossier's `state/` folder, a folder, a state-system client."""

    name: str

    def collect(self) -> Attestations:
        """Read every attestation the source holds; never raises for a bad attestation."""
        ...


# --------------------------------------------------------------------------- parsing


def _said(message: Say) -> dict[str, Any]:
    """The fields of a problem's message: English, and the template to say it in the report's language."""
    return {"message": str(message), "template": message}


def _type_of_name(name: str) -> str:
    base = PurePosixPath(name).name
    for suffix in SUFFIXES:
        if base.lower().endswith(suffix):
            return base[: -len(suffix)]
    return base


def _xml_to_dict(data: bytes) -> dict[str, Any]:
    # No DTDs: entity expansion is the classic XML attack and no attestation needs one. The hardened
    # parser of the XML signatures (issue 15); the attestation's own ds:Signature is not a field.
    from intake.verifier.xmldsig import DS, XmlFormatError, parse_xml

    if b"<!ENTITY" in data.upper():
        raise ValueError("XML with a DTD or entities is refused")
    try:
        root = parse_xml(data).getroot()
    except XmlFormatError as exc:
        raise ValueError(str(exc)) from exc

    def name(el: Any) -> str:
        return str(el.tag).rsplit("}", 1)[-1]

    def value(el: Any) -> Any:
        children = [c for c in el if isinstance(c.tag, str) and c.tag != f"{{{DS}}}Signature"]
        if not children:
            return (el.text or "").strip()
        return {name(c): value(c) for c in children}

    out = value(root)
    if not isinstance(out, dict):
        raise ValueError("the root element holds no fields")
    if name(root) != "attestation" and "attestation" not in out:
        out["attestation"] = name(root)
    return out


def parse_attestation(
    name: str, data: bytes, signatures: tuple[SignatureReport, ...] = (), origin: str = "dossier"
) -> Attestation | AttestationProblem:
    """Read one attestation (JSON, or XML with the same fields as elements).

    Args:
        name: Its path in the dossier (or in the source), for messages.
        data: The file's bytes.
        signatures: The signature reports verified over exactly these bytes.
        origin: Where it came from.

    Returns:
        The attestation, or the problem that stops it being read.
    """
    guessed = _type_of_name(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return AttestationProblem(
            file=name, origin=origin, type=guessed, **_said(say("not UTF-8 text ({reason})", reason=str(exc.reason)))
        )
    raw: Any
    try:
        is_xml = name.lower().endswith(".xml") or text.lstrip().startswith("<")
        raw = _xml_to_dict(data) if is_xml else json.loads(text)
    except (json.JSONDecodeError, ValueError) as exc:
        return AttestationProblem(
            file=name, origin=origin, type=guessed, **_said(say("not a readable attestation: {error}", error=str(exc)))
        )
    if not isinstance(raw, dict):
        return AttestationProblem(file=name, origin=origin, type=guessed, **_said(say("expected a JSON object")))
    try:
        body = _Body.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors(include_url=False)
        shown = "; ".join(f"`{'.'.join(str(p) for p in e['loc'])}`: {e['msg']}" for e in first[:3])
        return AttestationProblem(
            file=name, origin=origin, type=guessed, **_said(say("not an attestation: {problem}", problem=shown))
        )
    issued = body.issued_at if body.issued_at.tzinfo else body.issued_at.replace(tzinfo=ALMATY)
    return Attestation(
        file=name,
        origin=origin,
        type=body.attestation,
        issuer=body.issuer,
        system=body.system,
        subject_bin=body.subject.bin,
        subject_iin=body.subject.iin,
        issued_at=issued,
        status=body.status,
        statement=body.statement,
        details=body.details,
        sha256=hashlib.sha256(data).hexdigest(),
        signatures=signatures,
    )


# --------------------------------------------------------------------------- sources


class DossierSource:
    """The attestations under `state/` in the dossier, with the signatures the pipeline verified."""

    name = "dossier"

    def __init__(self, files: Sequence[FileFacts]) -> None:
        """Args: files: The dossier's file facts (attestations carry their verified signatures)."""
        self._files = tuple(f for f in files if f.role is FileRole.ATTESTATION)

    def collect(self) -> Attestations:
        """Read each `state/*.json` / `state/*.xml`; other files there are problems."""
        found: list[Attestation] = []
        problems: list[AttestationProblem] = []
        for f in self._files:
            if not f.name.lower().endswith(SUFFIXES):
                problems.append(
                    AttestationProblem(
                        file=f.name,
                        origin=self.name,
                        **_said(say("not a JSON or XML attestation (expected state/<type>.json)")),
                    )
                )
                continue
            try:
                data = f.path.read_bytes()
            except OSError as exc:
                problems.append(
                    AttestationProblem(
                        file=f.name, origin=self.name, **_said(say("cannot be read: {error}", error=str(exc)))
                    )
                )
                continue
            got = parse_attestation(f.name, data, f.signatures, self.name)
            (found if isinstance(got, Attestation) else problems).append(got)  # type: ignore[arg-type]
        return Attestations(found=tuple(found), problems=tuple(problems), sources=(self.name,))


Verifier = Callable[[FileFacts, Path], tuple[SignatureReport, ...]]
"""Verifies the detached signatures of one file (the pipeline passes `intake.signatures.verify_file`)."""


class DirectorySource:
    """Attestations in a folder (`<type>.json` + `<type>.json.cms`), e.g. exported from a state-system client."""

    def __init__(self, root: Path, verify: Verifier) -> None:
        """Args: root: The folder. verify: Verifies a file's detached signatures against the trust store."""
        self.root = root
        self.name = f"folder {root}"
        self._verify = verify

    def collect(self) -> Attestations:
        """Read every `*.json` / `*.xml` in the folder, each with its verified `.cms`/`.p7s`/`.sig` sidecars."""
        found: list[Attestation] = []
        problems: list[AttestationProblem] = []
        if not self.root.is_dir():
            problems.append(
                AttestationProblem(
                    file=str(self.root), origin=self.name, **_said(say("the attestations folder does not exist"))
                )
            )
            return Attestations(problems=tuple(problems), sources=(self.name,))
        for path in sorted(self.root.iterdir()):
            if not path.is_file() or not path.name.lower().endswith(SUFFIXES):
                continue
            try:
                data = path.read_bytes()
            except OSError as exc:
                problems.append(
                    AttestationProblem(
                        file=path.name, origin=self.name, **_said(say("cannot be read: {error}", error=str(exc)))
                    )
                )
                continue
            sidecars = tuple(
                f"{path.name}{ext}" for ext in (".cms", ".p7s", ".sig") if (self.root / f"{path.name}{ext}").is_file()
            )
            facts = FileFacts(
                name=path.name,
                path=path,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                extension=path.suffix.lower(),
                media_type="application/json" if path.suffix.lower() == ".json" else "application/xml",
                role=FileRole.ATTESTATION,
                signature_files=sidecars,
            )
            try:
                sigs = self._verify(facts, self.root)
            except Exception as exc:  # a verifier defect must not stop the other attestations
                problems.append(
                    AttestationProblem(
                        file=path.name,
                        origin=self.name,
                        **_said(say("signature verification failed to run: {error}", error=str(exc))),
                    )
                )
                sigs = ()
            got = parse_attestation(path.name, data, sigs, self.name)
            (found if isinstance(got, Attestation) else problems).append(got)  # type: ignore[arg-type]
        return Attestations(found=tuple(found), problems=tuple(problems), sources=(self.name,))


def collect(sources: Iterable[AttestationSource]) -> Attestations:
    """Every source's attestations and problems, in source order."""
    found: list[Attestation] = []
    problems: list[AttestationProblem] = []
    names: list[str] = []
    for source in sources:
        got = source.collect()
        found += got.found
        problems += got.problems
        names.append(source.name)
    return Attestations(found=tuple(found), problems=tuple(problems), sources=tuple(names))
