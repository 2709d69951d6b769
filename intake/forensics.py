"""Facts about how a PDF was made and changed: the signs of editing after it was made (SCAN007, 27.3).

Gathered once per file by the pipeline (`gather`), within a size cap, and kept on the file as
`FileFacts.forensics`; `intake.judgements.on_scans.pdf_editing` judges them and never reads the disk.
Three signs (research/scan-heuristics.md §2.5):

* an incremental update that changes a page's content stream (a signature's update adds no content);
* visible text drawn over (after) a page-size scan image; an invisible OCR layer (render mode 3) and
  text drawn *before* the image (beneath it, hidden: ABBYY FineReader's "text under the page image")
  are fine;
* an editing tool as Producer or Creator.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from intake.models import Box, EditSign, FileFacts, PdfForensics, Say, say, say_n

MAX_BYTES = 64 * 1024 * 1024
"""A larger PDF is not examined (its revisions would be parsed one by one): the judgement says so."""

MAX_REVISIONS = 20
"""Incremental updates compared at most (each is parsed as a whole file)."""

RENDER_DPI = 300  # boxes in pixels of the page rendered at 300 dpi, as `intake.ocr` renders it

EDITORS = re.compile(
    r"(acrobat(?! distiller)(?! pdfmaker)(?! paper capture)(?! \d+(\.\d+)* image conversion)|"
    r"foxit (phantom|pdf editor|editor)|pdf-xchange|nitro|sejda|ilovepdf|smallpdf|pdfescape|pdf candy|pdffiller|"
    r"pdfelement|wondershare|inkscape|photoshop|gimp|master pdf editor|pdf24|libreoffice draw|canva)",
    re.IGNORECASE,
)


ONLINE_TOOLS = re.compile(r"(ilovepdf|smallpdf|sejda|pdf24|pdf candy)", re.IGNORECASE)
"""Online services that compress, merge and convert as much as they edit: their name as Producer over a Creator
that is a word processor says the file was authored there and passed through the service (real doc 21:
«Microsoft® Word 2016» compressed by «www.ilovepdf.com»), no edit of its content."""

AUTHORING = re.compile(r"(microsoft.{0,3} (word|excel|powerpoint)|libreoffice|openoffice|writer|calc)", re.IGNORECASE)

MADE_FROM_IMAGES = re.compile(r"(image conversion|paper capture|scan|image to pdf)", re.IGNORECASE)
"""A PDF its producer made from images: Acrobat as its Creator then only assembled the scans (real doc 02)."""


def _said(message: Say) -> dict[str, Any]:
    """The fields of a sign's message: English, and the template to say it in the report's language."""
    return {"message": str(message), "template": message}


def gather(facts: FileFacts, max_bytes: int = MAX_BYTES) -> PdfForensics | None:
    """The editing signs of a PDF file (None for another kind of file); never raises."""
    if facts.media_type != "application/pdf" or facts.read_error:
        return None
    if facts.size > max_bytes:
        reason = say(
            "the file is {size} MB, above the {max} MB examined",
            size=f"{facts.size / 2**20:.0f}",
            max=f"{max_bytes / 2**20:.0f}",
        )
        return PdfForensics(examined=False, reason=str(reason), reason_template=reason)
    try:
        return PdfForensics(examined=True, signs=tuple(edit_signs(facts.path)))
    except Exception as exc:  # a damaged structure: undecided, with the reason
        why = say("the PDF could not be examined ({error})", error=f"{type(exc).__name__}: {exc}")
        return PdfForensics(examined=False, reason=str(why), reason_template=why)


def edit_signs(path: Path) -> list[EditSign]:
    """Signs that the PDF at `path` was edited after it was made."""
    import pypdf

    data = path.read_bytes()
    signs: list[EditSign] = []
    reader = pypdf.PdfReader(io.BytesIO(data))
    info: dict[str, Any] = dict(reader.metadata or {})
    boxes = [_page_box(page) for page in reader.pages]
    from_images = any(MADE_FROM_IMAGES.search(str(info.get(k, "") or "")) for k in ("/Producer", "/Creator"))
    authored = bool(AUTHORING.search(str(info.get("/Creator", "") or "")))
    for key in ("/Producer", "/Creator"):
        value = str(info.get(key, "") or "")
        passed_through = authored and key == "/Producer" and ONLINE_TOOLS.search(value) and not _editor_name(value)
        if value and EDITORS.search(value) and not (from_images and key == "/Creator") and not passed_through:
            signs.append(
                EditSign(
                    sign="editor",
                    field=key[1:],
                    value=value,
                    **_said(say("{field} is an editing tool: «{value}»", field=key[1:], value=value)),
                    page=1,  # the producer is about the whole file: shown on page 1
                    box=boxes[0] if boxes else None,
                )
            )
    final_raw = [_content(page) for page in reader.pages]
    final = [hashlib.sha256(raw).hexdigest() for raw in final_raw]
    ends = [m.end() for m in re.finditer(rb"%%EOF[\r\n]*", data)]
    for end in ends[:-1][-MAX_REVISIONS:]:
        try:
            earlier = pypdf.PdfReader(io.BytesIO(data[:end]))
            before_raw = [_content(page) for page in earlier.pages]
        except Exception:
            continue  # a linearised file's first section is no revision of its own
        changed = [
            i + 1
            for i, (a, b) in enumerate(zip(before_raw, final_raw, strict=False))
            if a != b and not added_in_free_space(data[:end], i, a, b)
        ]
        added = len(final) - len(before_raw)
        if changed or added > 0:
            page = changed[0] if changed else min(len(before_raw) + 1, len(boxes))
            signs.append(
                EditSign(
                    sign="incremental_update",
                    revision_end=end,
                    pages_changed=tuple(changed),
                    pages_added=max(0, added),
                    page=page,
                    box=boxes[page - 1] if boxes else None,
                    **_said(
                        say_n(
                            "an incremental update after byte {end} changes the content of page {pages}",
                            "an incremental update after byte {end} changes the content of pages {pages}",
                            len(changed),
                            end=end,
                            pages=", ".join(map(str, changed)),
                        )
                        if changed
                        else say_n(
                            "an incremental update after byte {end} adds {n} page",
                            "an incremental update after byte {end} adds {n} pages",
                            added,
                            end=end,
                        )
                    ),
                )
            )
    signs.extend(_text_over_scan(path))
    return signs


def _editor_name(value: str) -> bool:
    """Whether a Producer names an online service's editor itself («Sejda PDF Editor»), not the service."""
    return "editor" in value.casefold()


def _page_box(page: Any) -> Box:
    """The whole page as a box in pixels at RENDER_DPI."""
    box = page.mediabox
    scale = RENDER_DPI / 72.0
    return (0, 0, int(float(box.width) * scale), int(float(box.height) * scale))


def _content(page: Any) -> bytes:
    try:
        contents = page.get_contents()
        return bytes(contents.get_data()) if contents is not None else b""
    except Exception:
        return b""


_PLACED = re.compile(
    rb"q\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+cm\s+/[^\s/()<>\[\]]+\s+Do\s+Q"
)


def added_in_free_space(earlier: bytes, index: int, before: bytes, after: bytes) -> bool:
    """Whether an update only appended pictures (an image or form drawn upright, `q a 0 0 d e f cm /X Do Q`) that
    lie over no text and no image of the earlier page: a stamp put in free space, such as the e-signature stamp
    a registry appends to an extract (real doc 27), not a patch over the content. Anything else appended (text,
    paths: a white box over a figure) or a picture over earlier content is a change."""
    at = after.find(before) if before.strip() else -1
    if at < 0 or after[:at].strip():
        return False  # the earlier drawing is not kept intact at the start (white space aside)
    added = after[at + len(before) :]
    boxes = []
    for m in _PLACED.finditer(added):
        a, b, c, d, e, f = (float(v) for v in m.groups())
        if b or c or a <= 0 or d <= 0:
            return False  # turned or mirrored: not a plain stamp
        boxes.append((e, f, e + a, f + d))
    if not boxes or _PLACED.sub(b"", added).strip():
        return False
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    pdf = pdfium.PdfDocument(earlier)
    try:
        page = pdf[index]
        taken = [
            obj.get_bounds()
            for obj in page.get_objects(max_depth=3)
            if obj.type in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_IMAGE)
        ]
        page.close()
    finally:
        pdf.close()
    return not any(t[0] < s[2] and t[2] > s[0] and t[1] < s[3] and t[3] > s[1] for s in boxes for t in taken)


def _text_over_scan(path: Path) -> list[EditSign]:
    """Visible text objects painted after a page-size image and overlapping it (content order is paint order)."""
    import pypdfium2 as pdfium
    from pypdfium2 import raw

    out: list[EditSign] = []
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            scans: list[tuple[float, float, float, float]] = []
            texts = []
            for obj in page.get_objects(max_depth=3):
                left, bottom, right, top = obj.get_bounds()
                if obj.type == raw.FPDF_PAGEOBJ_IMAGE and (right - left) * (top - bottom) >= 0.5 * width * height:
                    scans.append((left, bottom, right, top))
                elif (
                    scans  # text painted before the scan lies beneath it, hidden
                    and obj.type == raw.FPDF_PAGEOBJ_TEXT
                    and raw.FPDFTextObj_GetTextRenderMode(obj.raw) != raw.FPDF_TEXTRENDERMODE_INVISIBLE
                ):
                    texts.append((left, bottom, right, top))
            over = [t for t in texts if any(t[0] < s[2] and t[2] > s[0] and t[1] < s[3] and t[3] > s[1] for s in scans)]
            if over:
                scale = RENDER_DPI / 72.0
                x0 = min(t[0] for t in over)
                y0 = max(t[3] for t in over)
                x1 = max(t[2] for t in over)
                y1 = min(t[1] for t in over)
                out.append(
                    EditSign(
                        sign="visible_text_over_scan",
                        page=index + 1,
                        box=(int(x0 * scale), int((height - y0) * scale), int(x1 * scale), int((height - y1) * scale)),
                        text_objects=len(over),
                        **_said(
                            say_n(
                                "page {page}: {n} visible text object drawn over a scan image",
                                "page {page}: {n} visible text objects drawn over a scan image",
                                len(over),
                                page=index + 1,
                            )
                        ),
                    )
                )
            page.close()
    finally:
        pdf.close()
    return out
