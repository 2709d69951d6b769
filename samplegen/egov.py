"""egov.kz-style printouts for tests: a state system's XML response signed with an NCA key as the issuer,
zipped into one entry `one`, split into BarcodeElements (research egov-documents.md §1-§2: namespace
`http://barcodes.pdf.shep.nitec.kz/`, base64 per element, QR version 25, ECC L, byte mode) drawn with
segno in the footer of an A4 page whose text shows the same details. Not part of the runtime package.
"""

from __future__ import annotations

import base64
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import segno
from lxml import etree
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from samplegen import xmlsign

NS_RESPONSE = "http://newshep.reggateway.egp.gbdul.tamur.kz"
NS_BARCODE = "http://barcodes.pdf.shep.nitec.kz/"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@dataclass(frozen=True)
class Certificate:
    """The details of a справка о государственной регистрации юридического лица."""

    request_number: str = "10100235762380"
    request_date: str = "2026-11-18T10:15:00+05:00"
    bin: str = "190340045215"
    name_ru: str = "Товарищество с ограниченной ответственностью «Центр социальной реабилитации «Мейірім-Тест»»"
    registration_date: str = "2019-03-14"
    issuer: str = "Департамент юстиции города Алматы"
    extra: dict[str, str] = field(default_factory=dict)


def response_xml(cert: Certificate) -> bytes:
    """The unsigned ГБДЮЛ-style response."""
    root = etree.Element(f"{{{NS_RESPONSE}}}response", nsmap={"ns2": NS_RESPONSE})
    for tag, value in (
        ("requestNumber", cert.request_number),
        ("requestDate", cert.request_date),
        ("BIN", cert.bin),
        ("NameRu", cert.name_ru),
        ("RegistrationDate", cert.registration_date),
        ("RegOrgNameRu", cert.issuer),
        ("CertificateType", "7"),
        *cert.extra.items(),
    ):
        etree.SubElement(root, tag).text = value
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return out


def zip_one(xml: bytes) -> bytes:
    """The ZIP with one deflated entry named `one`."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("one", date_time=(2026, 11, 18, 10, 15, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, xml)
    return buf.getvalue()


def elements(blob: bytes, favor_id: str, count: int = 5) -> list[bytes]:
    """The BarcodeElement XML documents carrying `blob` in `count` chunks (each chunk base64 on its own)."""
    size = -(-len(blob) // count)
    chunks = [blob[i : i + size] for i in range(0, len(blob), size)]
    out = []
    for n, chunk in enumerate(chunks, start=1):
        out.append(
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<BarcodeElement xmlns="{NS_BARCODE}">'
                "<creationDate>2026-11-18T10:15:01.440+05:00</creationDate>"
                f"<elementData>{base64.b64encode(chunk).decode()}</elementData>"
                f"<elementNumber>{n}</elementNumber><elementsAmount>{len(chunks)}</elementsAmount>"
                f"<FavorID>{favor_id}</FavorID></BarcodeElement>"
            ).encode()
        )
    return out


def qr_png(payload: bytes, scale: int = 4) -> bytes:
    """A QR version 25, ECC L, byte mode, as PNG."""
    code = segno.make(payload, version=25, error="L", mode="byte", boost_error=False)
    buf = io.BytesIO()
    code.save(buf, kind="png", scale=scale, border=4)
    return buf.getvalue()


def payloads(cert: Certificate, signer: xmlsign.XmlSigner | None, count: int = 5) -> list[bytes]:
    """The element payloads of a certificate (signed by `signer` as the issuer; None: unsigned look-alike)."""
    xml = response_xml(cert)
    if signer is not None:
        xml = xmlsign.sign_xml(xml, signer, method=None)
    return elements(zip_one(xml), cert.request_number, count)


def page_pdf(printed: Certificate, codes: list[bytes]) -> bytes:
    """An A4 page: the printed details, then the footer row of QR codes (35 mm each)."""
    pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=True)
    c.setFont("DejaVu", 10)
    lines = [
        "СПРАВКА о государственной регистрации юридического лица",
        f"Уникальный номер: {printed.request_number}",
        f"Дата получения: {printed.request_date[:10][8:10]}.{printed.request_date[5:7]}.{printed.request_date[:4]}",
        f"БИН: {printed.bin}",
        f"Наименование: {printed.name_ru}",
        f"Дата государственной регистрации: "
        f"{printed.registration_date[8:10]}.{printed.registration_date[5:7]}.{printed.registration_date[:4]}",
        f"Регистрирующий орган: {printed.issuer}",
    ]
    y = A4[1] - 30 * mm
    for line in lines:
        c.drawString(15 * mm, y, line[:110])
        y -= 7 * mm
    x = 10 * mm
    for png in codes:
        c.drawImage(ImageReader(io.BytesIO(qr_png(png))), x, 25 * mm, 37 * mm, 37 * mm)
        x += 38 * mm
    c.drawString(10 * mm, 18 * mm, "Штрих-код содержит данные, полученные из информационной системы ГБДЮЛ")
    c.showPage()
    c.save()
    return buf.getvalue()


def page_png(pdf: bytes, dest: Path, dpi: int = 300) -> None:
    """The page rendered as an image (a scan without a text layer)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        doc[0].render(scale=dpi / 72).to_pil().convert("L").save(dest)
    finally:
        doc.close()
