"""PDF signatures written by hand over the /ByteRange, so that the bytes are the same on every run.

pyHanko stamps the wall-clock time and a random /ID into what it writes; here the incremental
update is written directly: a signature dictionary (`/SubFilter /ETSI.CAdES.detached`, as NCANode
signs, or `/adbe.pkcs7.detached`), an invisible signature field with its widget on page 1, the
catalog with `/AcroForm`, a classic xref section and a trailer with `/Prev`. The CMS comes from
`samplegen.cms.signed_data` over the two byte ranges. `append_overlay` adds a later revision that
changes page content (the "changed after signing" case of issue 3).
"""

from __future__ import annotations

import io
import re
from datetime import datetime

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, PdfObject

from samplegen.cms import Signer, signed_data

_CONTENTS_HEX = 16384  # room for the CMS: 8 KiB of DER
_BYTERANGE_PLACEHOLDER = b"/ByteRange [0 0000000000 0000000000 0000000000]"


def _serialize(obj: PdfObject) -> bytes:
    out = io.BytesIO()
    obj.write_to_stream(out)
    return out.getvalue()


def _startxref(pdf: bytes) -> int:
    match = re.findall(rb"startxref\s+(\d+)", pdf[-1024:])
    if not match:
        raise ValueError("no startxref in the PDF")
    return int(match[-1])


def _append_update(pdf: bytes, objects: dict[int, bytes], reader: PdfReader) -> bytes:
    """Append `objects` (number -> body) as an incremental update with a classic xref section."""
    out = bytearray(pdf)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets: dict[int, int] = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += f"{number} 0 obj\n".encode() + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n"
    for number in sorted(objects):
        out += f"{number} 1\n{offsets[number]:010d} 00000 n\r\n".encode()
    size = max(_size(reader), max(objects) + 1)
    trailer = DictionaryObject(
        {
            NameObject("/Size"): _num(size),
            NameObject("/Root"): reader.trailer.raw_get("/Root"),
            NameObject("/Prev"): _num(_startxref(pdf)),
        }
    )
    if "/Info" in reader.trailer:
        trailer[NameObject("/Info")] = reader.trailer.raw_get("/Info")
    if "/ID" in reader.trailer:
        trailer[NameObject("/ID")] = reader.trailer.raw_get("/ID")
    out += b"trailer\n" + _serialize(trailer) + f"\nstartxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def _size(reader: PdfReader) -> int:
    """The trailer's /Size: the next free object number."""
    size = reader.trailer["/Size"]
    assert isinstance(size, int)
    return size


def _num(value: int) -> PdfObject:
    from pypdf.generic import NumberObject

    return NumberObject(value)


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"


def sign_pdf(
    pdf: bytes,
    signer: Signer,
    signing_time: datetime,
    *,
    subfilter: str = "ETSI.CAdES.detached",
    field: str = "Signature1",
    reason: str = "Подписано ЭЦП",
) -> bytes:
    """Sign a PDF with an invisible signature field on page 1 (one incremental update)."""
    reader = PdfReader(io.BytesIO(pdf))
    root_ref = reader.trailer.raw_get("/Root")
    assert isinstance(root_ref, IndirectObject)
    page = reader.pages[0]
    page_ref = page.indirect_reference
    assert page_ref is not None
    size = _size(reader)
    sig_no, field_no, form_no = size, size + 1, size + 2
    sig_body = (
        b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /"
        + subfilter.encode()
        + b" "
        + _BYTERANGE_PLACEHOLDER
        + b" /Contents <"
        + b"0" * _CONTENTS_HEX
        + b">"
        + b" /M ("
        + _pdf_date(signing_time).encode()
        + b")"
        + b" /Reason "
        + _serialize(_text(reason))
        + b" >>"
    )
    widget = (
        f"<< /Type /Annot /Subtype /Widget /FT /Sig /T ({field}) /V {sig_no} 0 R /F 132 /Rect [0 0 0 0] "
        f"/P {page_ref.idnum} 0 R >>"
    ).encode()
    form = f"<< /Fields [{field_no} 0 R] /SigFlags 3 >>".encode()
    root = reader.trailer["/Root"]
    assert isinstance(root, DictionaryObject)
    catalog = DictionaryObject({NameObject(k): v for k, v in root.items()})
    catalog[NameObject("/AcroForm")] = IndirectObject(form_no, 0, reader)
    page_dict = DictionaryObject({NameObject(k): page.raw_get(k) for k in page})
    annots = ArrayObject(list(page.get("/Annots", [])))
    annots.append(IndirectObject(field_no, 0, reader))
    page_dict[NameObject("/Annots")] = annots
    updated = _append_update(
        pdf,
        {
            root_ref.idnum: _serialize(catalog),
            page_ref.idnum: _serialize(page_dict),
            sig_no: sig_body,
            field_no: widget,
            form_no: form,
        },
        reader,
    )
    start = updated.index(b"/Contents <" + b"0" * 64, len(pdf)) + len(b"/Contents ")
    end = start + _CONTENTS_HEX + 2
    byte_range = f"/ByteRange [0 {start} {end} {len(updated) - end}]".encode()
    byte_range = byte_range.ljust(len(_BYTERANGE_PLACEHOLDER))
    br_at = updated.index(_BYTERANGE_PLACEHOLDER, len(pdf))
    updated = updated[:br_at] + byte_range + updated[br_at + len(byte_range) :]
    content = updated[:start] + updated[end:]
    der = signed_data(content, signer, signing_time)
    hexed = der.hex().upper().encode()
    if len(hexed) > _CONTENTS_HEX:
        raise ValueError("the CMS does not fit the /Contents placeholder")
    return updated[: start + 1] + hexed.ljust(_CONTENTS_HEX, b"0") + updated[end - 1 :]


def _text(value: str) -> PdfObject:
    from pypdf.generic import create_string_object

    return create_string_object(value)


def append_overlay(pdf: bytes, content: bytes, page_index: int = 0) -> bytes:
    """A later revision that adds a content stream to a page: content changed after signing."""
    reader = PdfReader(io.BytesIO(pdf))
    page = reader.pages[page_index]
    page_ref = page.indirect_reference
    assert page_ref is not None
    stream_no = _size(reader)
    contents = page.raw_get("/Contents")
    parts = list(contents) if isinstance(contents, ArrayObject) else [contents]
    parts.append(IndirectObject(stream_no, 0, reader))
    page_dict = DictionaryObject({NameObject(k): page.raw_get(k) for k in page})
    page_dict[NameObject("/Contents")] = ArrayObject(parts)
    stream = f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream"
    return _append_update(pdf, {page_ref.idnum: _serialize(page_dict), stream_no: stream}, reader)
