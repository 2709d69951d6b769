"""Renaming for `intake names`: the canonical name of each document, and renamed copies of a dossier."""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from intake.errors import NotADossier
from intake.filing.naming import canonical_extension, canonical_name, display_path
from intake.filing.walking import OpenedDossier
from intake.models import FileFacts, FileRole
from intake.rules import DOCUMENTS


@dataclass(frozen=True)
class NamePlan:
    """What a file's name says, what the file is, and the name it should have."""

    name: str
    role: FileRole
    document_type: str | None
    declared_pages: int | None
    pages: int | None
    canonical: str | None
    note: str | None = None


def plan_names(files: Sequence[FileFacts]) -> tuple[NamePlan, ...]:
    """The canonical name of each document (from the real page count); sidecars follow their file."""
    plans: dict[str, NamePlan] = {}
    taken: set[str] = set()
    for f in files:
        if f.role is not FileRole.DOCUMENT:
            continue
        ident = f.identification
        doc = DOCUMENTS.get(ident.document_type or "")
        canonical: str | None = None
        note: str | None = None
        if doc is None:
            note = "the name identifies no document"
        elif f.pages is None:
            note = f"the pages could not be counted ({f.read_error or 'unknown type'})"
        else:
            canonical = canonical_name(doc.order, doc.id, f.pages, canonical_extension(f))
            if canonical in taken:  # a document split over files: keep them apart, say so
                n = 2
                stem, ext = canonical.rsplit(".", 1) if "." in canonical else (canonical, "")
                while f"{stem}_part{n}.{ext}" in taken:
                    n += 1
                canonical = f"{stem}_part{n}.{ext}"
                note = "another file is the same document (one file per document, paragraphs 8 and 16)"
            taken.add(canonical)
        plans[f.name] = NamePlan(f.name, f.role, ident.document_type, ident.declared_pages, f.pages, canonical, note)
    return tuple(plans[f.name] for f in files if f.name in plans)


def _beside(name: str, new_base: str) -> str:
    parent = PurePosixPath(name).parent
    return new_base if str(parent) == "." else (parent / new_base).as_posix()


def apply_names(opened: OpenedDossier, out: Path) -> list[tuple[str, str]]:
    """Copy the dossier into `out` with canonical names; the originals are never renamed or changed.

    Documents that cannot be named canonically keep their names; signature sidecars follow their
    file; ignored files are left out. Returns (original, copy) pairs.

    Raises:
        NotADossier: `out` exists and is not an empty folder, lies inside the dossier, or cannot be written.
    """
    try:
        taken = out.exists() and (not out.is_dir() or any(out.iterdir()))
    except OSError as exc:
        raise NotADossier(f"{display_path(out)}: cannot be read ({exc.strerror or exc})") from exc
    if taken:
        raise NotADossier(
            f"{display_path(out)}: exists and is not an empty folder; give a new folder for the renamed copies"
        )
    real_out = Path(os.path.realpath(out))  # never raises on a link loop, unlike Path.resolve
    inside = (Path(os.path.realpath(opened.root)), Path(os.path.realpath(opened.source)))
    if any(real_out.is_relative_to(d) for d in inside):
        raise NotADossier(f"{display_path(out)}: lies inside the dossier; give a folder outside it")
    renamed = {p.name: p.canonical for p in plan_names(opened.files) if p.canonical}
    pairs: list[tuple[str, str]] = []
    for f in opened.files:
        if f.role is FileRole.IGNORED:
            continue
        new = f.name
        if f.role is FileRole.SIGNATURE and f.signed_file in renamed:
            new = _beside(f.signed_file, f"{renamed[f.signed_file]}{f.extension}")
        elif f.role is FileRole.DOCUMENT and f.name in renamed:
            new = _beside(f.name, renamed[f.name])
        target = out.joinpath(*PurePosixPath(new).parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f.path, target)
        except OSError as exc:  # the copy cannot be written, or the original went away meanwhile
            raise NotADossier(f"{display_path(target)}: the copy of {f.name} cannot be written ({exc})") from exc
        pairs.append((f.name, new))
    return pairs
