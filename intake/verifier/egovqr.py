"""egov.kz e-certificates verified from the QR codes of their printout (research egov-documents.md §1-§7).

The footer of an egov справка carries its signed XML in a row of QR codes, each a ``BarcodeElement``
(namespace ``http://barcodes.pdf.shep.nitec.kz/``) with ``FavorID`` (= the printed unique number),
``elementNumber``/``elementsAmount`` and a base64 chunk. The chunks, grouped by FavorID, sorted, decoded
one by one and concatenated, are a ZIP with one entry, ``one``: the state system's XML response with an
enveloped GOST XMLDSig (:mod:`intake.verifier.xmldsig`). Nothing outside the signature counts: the
header QR, ``creationDate`` and the element wrapper are unsigned, and look-alike barcodes around an
unsigned XML are trivial to print.

Steps: find the codes (zxing-cpp; a PDF's embedded images first, then the page rendered at 300 dpi,
then each detected but unreadable code cropped, upscaled twice and binarized with an adaptive
threshold); reassemble; verify the signature at the moment named inside the signed XML
(``signing_time_source`` ``signed_data``: a claim of the signed content, no timestamp); read the fields a
reader can compare with the page (unique number, BIN/IIN, names, dates, issuing body) into
``signed_data``; and, given the page text, name each signed value that the page does not show
(``page_mismatches``). Judging a mismatch is for :mod:`intake.judgements`.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from lxml import etree
from PIL import Image

from intake.models import SignatureReport
from intake.verifier.context import VerificationContext
from intake.verifier.xmldsig import XmlFormatError, covers_root, parse_xml, verify_tree

BARCODE_NS: Final = "http://barcodes.pdf.shep.nitec.kz/"
FORMAT: Final = "egov-qr"
MAX_ELEMENTS: Final = 64
MAX_ELEMENT_BYTES: Final = 8_192
MAX_UNZIPPED: Final = 4_000_000
MAX_PAGES: Final = 20
RENDER_DPI: Final = 300
ALMATY: Final = ZoneInfo("Asia/Almaty")

# Local names of the signed fields (ГБДЮЛ, ГБД РН responses; research §3) -> the key in signed_data.
FIELDS: Final = {
    "requestnumber": "unique_number",
    "bin": "bin",
    "iin": "iin",
    "nameru": "name_ru",
    "namekz": "name_kz",
    "fullnameru": "name_ru",
    "fullnamekz": "name_kz",
    "registrationdate": "registration_date",
    "issuedate": "issue_date",
    "requestdate": "request_date",
    "regorgnameru": "issuer",
}
MOMENT_FIELDS: Final = ("request_date", "issue_date")


@dataclass(frozen=True)
class Element:
    """One decoded BarcodeElement (unsigned wrapper around a signed chunk)."""

    favor_id: str
    number: int
    amount: int
    data: bytes


@dataclass(frozen=True)
class Scan:
    """What the codes of one file gave: the elements read, and how many symbols could not be decoded."""

    elements: tuple[Element, ...] = ()
    unreadable: int = 0
    other_codes: int = 0  # QR codes that are not BarcodeElements (the header QR)


def parse_element(payload: bytes) -> Element | None:
    """A BarcodeElement, or None when the payload is not one."""
    if len(payload) > MAX_ELEMENT_BYTES or b"BarcodeElement" not in payload[:512]:
        return None
    try:
        root = parse_xml(payload).getroot()
    except XmlFormatError:
        return None
    if root.tag != f"{{{BARCODE_NS}}}BarcodeElement":
        return None

    def text(name: str) -> str:
        el = root.find(f"{{{BARCODE_NS}}}{name}")
        return (el.text or "").strip() if el is not None else ""

    try:
        number, amount = int(text("elementNumber")), int(text("elementsAmount"))
        data = base64.b64decode("".join(text("elementData").split()), validate=True)
    except (ValueError, binascii.Error):
        return None
    favor = text("FavorID")
    if not favor or not 1 <= number <= amount <= MAX_ELEMENTS:
        return None
    return Element(favor, number, amount, data)


# --------------------------------------------------------------------------- finding the codes


def _decode(image: Image.Image | Any, thorough: bool = False) -> tuple[list[bytes], list[tuple[int, int, int, int]]]:
    """QR payloads read, and the boxes of symbols detected but not decoded.

    The first pass looks for upright, dark-on-light codes only (printouts; half the time of a full search);
    `thorough` also tries rotations and inverted codes (the crops of symbols seen but not read).
    """
    import zxingcpp

    qr = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    found = zxingcpp.read_barcodes(image, formats=qr, return_errors=True, try_rotate=thorough, try_invert=thorough)
    good: list[bytes] = []
    bad: list[tuple[int, int, int, int]] = []
    for code in found:
        if code.valid:
            good.append(bytes(code.bytes))
        else:
            p = code.position
            xs = [p.top_left.x, p.top_right.x, p.bottom_left.x, p.bottom_right.x]
            ys = [p.top_left.y, p.top_right.y, p.bottom_left.y, p.bottom_right.y]
            bad.append((min(xs), min(ys), max(xs), max(ys)))
    return good, bad


def _retry_crops(image: Image.Image, boxes: Iterable[tuple[int, int, int, int]]) -> list[bytes]:
    """Each unreadable symbol cropped with a margin, upscaled 2x and binarized (adaptive Gaussian, 31/5)."""
    import numpy as np

    from intake.opencv import cv2

    grey = np.asarray(image.convert("L"))
    out: list[bytes] = []
    for x0, y0, x1, y1 in boxes:
        m = max(8, (x1 - x0) // 8)
        crop = grey[max(0, y0 - m) : y1 + m, max(0, x0 - m) : x1 + m]
        if crop.size == 0:
            continue
        big = cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_LANCZOS4)
        binary = cv2.adaptiveThreshold(big, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5)
        good, _ = _decode(binary, thorough=True)
        out.extend(good)
    return out


def _scan_image(image: Image.Image) -> tuple[list[bytes], int]:
    if image.mode != "L":
        image = image.convert("L")  # zxing-cpp reads a grey image ten times faster than RGB
    good, bad = _decode(image)
    if bad:
        again = _retry_crops(image, bad)
        good.extend(again)
        return good, max(0, len(bad) - len(again))
    return good, 0


def _complete(elements: Sequence[Element]) -> bool:
    groups: dict[str, set[int]] = {}
    amounts: dict[str, int] = {}
    for e in elements:
        groups.setdefault(e.favor_id, set()).add(e.number)
        amounts[e.favor_id] = e.amount
    return bool(groups) and all(len(n) == amounts[f] for f, n in groups.items())


def _collect(payloads: Iterable[bytes], scan: Scan) -> Scan:
    elements = list(scan.elements)
    others = scan.other_codes
    for p in payloads:
        el = parse_element(p)
        if el is None:
            others += 1
        elif el not in elements:
            elements.append(el)
    return Scan(tuple(elements), scan.unreadable, others)


def scan_file(path: Path, dpi: int = RENDER_DPI) -> Scan:
    """The BarcodeElements on a PDF's pages or in an image (PNG, JPEG, TIFF).

    A file that cannot be opened as a PDF or an image has no barcode (its other readers say why).
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(1024)
        if b"%PDF-" in head:
            return _scan_pdf(path, dpi)
        with Image.open(path) as img:
            img.draft("L", img.size)  # JPEG: decode straight to grey
            img.load()
            payloads, unreadable = _scan_image(img)
    except Exception:  # pdfium and Pillow raise many kinds on damaged or hostile files
        return Scan()
    scan = _collect(payloads, Scan())
    return Scan(scan.elements, unreadable, scan.other_codes)


def _scan_pdf(path: Path, dpi: int = RENDER_DPI) -> Scan:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    scan = Scan()
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            # 1. the embedded images (egov PDFs place each code as an image)
            before = len(scan.elements)
            for obj in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,), max_depth=2):
                try:
                    img = obj.get_bitmap(render=False).to_pil()
                except Exception:  # an image pdfium cannot hand out: the rendering below still sees it
                    continue
                payloads, _ = _decode(img)
                scan = _collect(payloads, scan)
            if len(scan.elements) > before and _complete(scan.elements):
                continue
            # 2. the page rendered at 300 dpi, 3. unreadable symbols cropped and binarized
            image = page.render(scale=dpi / 72, grayscale=True).to_pil()
            payloads, unreadable = _scan_image(image)
            scan = _collect(payloads, Scan(scan.elements, scan.unreadable + unreadable, scan.other_codes))
    finally:
        pdf.close()
    return scan


# --------------------------------------------------------------------------- reassembly


@dataclass(frozen=True)
class Group:
    """The elements of one FavorID: the reassembled XML when every element was read."""

    favor_id: str
    amount: int
    read: int
    xml: bytes | None = None
    problem: str | None = None


def reassemble(elements: Sequence[Element]) -> tuple[Group, ...]:
    """Group by FavorID, check numbering, decode each chunk, concatenate, unzip the single entry ``one``."""
    by_id: dict[str, list[Element]] = {}
    for e in elements:
        by_id.setdefault(e.favor_id, []).append(e)
    out: list[Group] = []
    for favor, group in by_id.items():
        amounts = {e.amount for e in group}
        numbers: dict[int, bytes] = {}
        conflict = False
        for e in group:
            if e.number in numbers and numbers[e.number] != e.data:
                conflict = True
            numbers[e.number] = e.data
        amount = max(amounts)
        if len(amounts) > 1 or conflict:
            why = "elements disagree on their count" if len(amounts) > 1 else "two elements share a number"
            out.append(Group(favor, amount, len(numbers), problem=why))
            continue
        if len(numbers) < amount:
            out.append(Group(favor, amount, len(numbers)))
            continue
        blob = b"".join(numbers[i] for i in range(1, amount + 1))
        try:
            out.append(Group(favor, amount, amount, xml=_unzip_one(blob)))
        except ValueError as exc:
            out.append(Group(favor, amount, amount, problem=str(exc)))
    return tuple(out)


def _unzip_one(blob: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(blob)) as zf:
            infos = zf.infolist()
            if len(infos) != 1 or infos[0].filename != "one":
                raise ValueError(f"the archive must hold one entry named 'one', found {[i.filename for i in infos]}")
            if infos[0].file_size > MAX_UNZIPPED:
                raise ValueError(f"the entry declares {infos[0].file_size} bytes, over {MAX_UNZIPPED}")
            with zf.open(infos[0]) as fh:
                data = fh.read(MAX_UNZIPPED + 1)
            if len(data) > MAX_UNZIPPED:
                raise ValueError(f"the entry inflates past {MAX_UNZIPPED} bytes")
            return data
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise ValueError(f"the reassembled data is not a readable ZIP: {exc}") from exc


# --------------------------------------------------------------------------- signed fields and the page


def signed_fields(root: etree._Element) -> dict[str, str]:
    """The comparable fields of the signed XML (first occurrence of each)."""
    out: dict[str, str] = {}
    for el in root.iter(etree.Element):
        key = FIELDS.get(str(etree.QName(el).localname).lower())
        if key and key not in out and el.text and el.text.strip() and len(el) == 0:
            out[key] = " ".join(el.text.split())
    return out


def _moment(fields: dict[str, str]) -> datetime | None:
    for key in MOMENT_FIELDS:
        value = fields.get(key)
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        return moment if moment.tzinfo else moment.replace(tzinfo=ALMATY)
    return None


def _norm(text: str) -> str:
    text = text.lower().replace("ё", "е")
    text = re.sub(r"[«»\"'“”„`]", "", text)
    return re.sub(r"\s+", " ", text).strip()


def _date_forms(value: str) -> list[str]:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return [value]
    y, mo, d = m.groups()
    return [f"{d}.{mo}.{y}", f"{y}-{mo}-{d}", f"{d}/{mo}/{y}"]


def page_mismatches(fields: dict[str, str], page_text: str) -> tuple[str, ...]:
    """Each signed value the printed page does not show, as ``key=value``."""
    text = _norm(page_text)
    digits = re.sub(r"\D", "", page_text)
    missing: list[str] = []
    for key, value in fields.items():
        if key.endswith("_date"):
            ok = any(form in text for form in _date_forms(value))
        elif key in ("unique_number", "bin", "iin"):
            ok = re.sub(r"\D", "", value) in digits and bool(re.sub(r"\D", "", value))
        else:
            ok = _norm(value) in text
        if not ok:
            missing.append(f"{key}={value}")
    return tuple(missing)


# --------------------------------------------------------------------------- verification


def _report(source: str, indication: str, sub: str | None, message: str, **extra: Any) -> SignatureReport:
    return SignatureReport.model_validate(
        {"indication": indication, "subindication": sub, "format": FORMAT, "source": source, "messages": (message,)}
        | extra
    )


def verify_scan(
    scan: Scan, ctx: VerificationContext, source: str, page_text: str | None
) -> tuple[SignatureReport, ...]:
    """One report per FavorID found (none when the file has no BarcodeElement)."""
    out: list[SignatureReport] = []
    groups = reassemble(scan.elements)
    if not groups and scan.unreadable:
        out.append(
            _report(
                source,
                "INDETERMINATE",
                "SIGNED_DATA_NOT_FOUND",
                f"{scan.unreadable} QR code(s) seen but none could be read: an egov barcode cannot be checked",
            )
        )
    for g in groups:
        label = f"egov barcode {g.favor_id}"
        if g.problem:
            out.append(_report(source, "TOTAL_FAILED", "FORMAT_FAILURE", f"{label}: {g.problem}"))
            continue
        if g.xml is None:
            out.append(
                _report(
                    source,
                    "INDETERMINATE",
                    "SIGNED_DATA_NOT_FOUND",
                    f"{label}: read {g.read} of {g.amount} elements"
                    + (f" ({scan.unreadable} code(s) seen but unreadable)" if scan.unreadable else "")
                    + "; the signature needs every element",
                )
            )
            continue
        out.append(_verify_group(g, g.xml, ctx, source, page_text))
    return tuple(out)


def _verify_group(
    g: Group, xml: bytes, ctx: VerificationContext, source: str, page_text: str | None
) -> SignatureReport:
    label = f"egov barcode {g.favor_id}"
    try:
        tree = parse_xml(xml)
    except XmlFormatError as exc:
        return _report(source, "TOTAL_FAILED", "FORMAT_FAILURE", f"{label}: {exc}")
    fields = signed_fields(tree.getroot())
    moment = _moment(fields)
    sigs = verify_tree(tree, ctx, source, fmt=FORMAT, at=moment, signing_time_source="signing_time")
    if not sigs:
        return _report(
            source,
            "TOTAL_FAILED",
            "FORMAT_FAILURE",
            f"{label}: the barcodes carry unsigned XML (a look-alike of an egov document)",
            signed_data=fields,
        )
    sig = sigs[0]
    report = sig.report
    messages = [f"{label}: {g.amount} of {g.amount} elements read", *report.messages]
    if len(sigs) > 1:
        messages.append(f"{len(sigs)} signatures in the XML; the first is reported")
    if not covers_root(sig) and report.indication != "TOTAL_FAILED":
        report = report.model_copy(update={"indication": "TOTAL_FAILED", "subindication": "FORMAT_FAILURE"})
        messages.append("the signature does not cover the whole XML that is read (signature wrapping)")
    if fields.get("unique_number") and fields["unique_number"] != g.favor_id:
        messages.append(f"the FavorID {g.favor_id} of the barcodes differs from the signed number")
    update: dict[str, Any] = {"signed_data": fields, "messages": tuple(messages)}
    if moment is not None and report.signing_time_source == "signing_time":
        update["signing_time_source"] = "signed_data"
    elif moment is None:
        messages.append("no date in the signed XML: validated at the validation time")
    if page_text is not None:
        update["page_mismatches"] = page_mismatches(fields, page_text)
        update["page_compared"] = True
    return report.model_copy(update=update)


def verify_file(
    path: Path, ctx: VerificationContext, source: str, page_text: str | None
) -> tuple[SignatureReport, ...]:
    """Find, reassemble and verify the egov barcodes of one PDF or image."""
    return verify_scan(scan_file(path), ctx, source, page_text)
