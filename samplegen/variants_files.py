"""Samples of the FILE area (paragraphs 7, 8, 15, 16): missing, misnamed, split, duplicated files.

Each sample changes one thing of a complete dossier, so the FILE codes it lists are the reason for
its verdict. The names in the `*-names` samples are what people really type, in Russian and Kazakh:
they must pass.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from samplegen.core import Sample, organization, specialist

_FIXED_TIME = (2026, 11, 18, 10, 0, 0)


def _split_constituent(dest: Path) -> None:
    """Save each page of the 2-page charter as its own file: one document over two files."""
    whole = dest / "01_constituent-documents_2p.pdf"
    reader = PdfReader(io.BytesIO(whole.read_bytes()))
    for index, page in enumerate(reader.pages, 1):
        part = PdfWriter()
        part.add_page(page)
        buffer = io.BytesIO()
        part.write(buffer)  # pypdf writes no creation date or random ID: the same bytes every run
        (dest / f"01_Устав ТОО часть {index} (1 стр).pdf").write_bytes(buffer.getvalue())
    whole.unlink()


def _copy_charter(dest: Path) -> None:
    """The charter attached twice under two names (same bytes)."""
    data = (dest / "01_constituent-documents_2p.pdf").read_bytes()
    (dest / "Устав ТОО копия 2 стр.pdf").write_bytes(data)


def _zip(entries: dict[str, bytes]) -> bytes:
    """A small deterministic zip (fixed times), as a Word file or a nested archive is one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=_FIXED_TIME), data)
    return buffer.getvalue()


_DOCX = _zip(
    {
        "[Content_Types].xml": b'<?xml version="1.0" encoding="UTF-8"?><Types '
        b'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>Пояснительная записка</w:t></w:r></w:p>"
        "</w:body></w:document>".encode(),
    }
)

SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="organization-missing-document",
        build=organization(drop=("material-resources",)),
        verdict="fail",
        codes=("FILE001",),
        description=(
            "The information on material resources (paragraph 7.2, required of every organization) is not "
            "attached: FILE001 fails for it."
        ),
    ),
    Sample(
        name="organization-page-count-wrong",
        build=organization(rename={"premises-document": "Договор аренды помещения 5 стр.pdf"}),
        verdict="fail",
        codes=("FILE004",),
        passes=("FILE002",),
        description=(
            "The lease contract is named `Договор аренды помещения 5 стр.pdf`: the name identifies the "
            "document (FILE002 passes) but declares 5 pages where the PDF has 2 (FILE004, paragraph 8)."
        ),
    ),
    Sample(
        name="organization-unidentified-name",
        build=organization(rename={"material-resources": "scan0001.pdf"}),
        verdict="fail",
        codes=("FILE001", "FILE002", "FILE003"),
        description=(
            "The information on material resources is attached as `scan0001.pdf` (with its signature "
            "`scan0001.pdf.cms`): the name identifies no document and states no page count (FILE002, "
            "FILE003, paragraph 8), so the required document counts as missing (FILE001)."
        ),
    ),
    Sample(
        name="organization-split-document",
        build=organization(after=_split_constituent),
        verdict="fail",
        codes=("FILE005", "DET003"),
        passes=("FILE001", "FILE004"),
        description=(
            "The 2-page charter is attached as two files, `Устав ТОО часть 1 (1 стр).pdf` and "
            "`... часть 2 (1 стр).pdf`: each document must be one file (FILE005, paragraph 8); each name "
            "is right about its own pages."
        ),
    ),
    Sample(
        name="organization-duplicate-file",
        build=organization(after=_copy_charter),
        verdict="review",
        codes=("FILE006",),
        description=(
            "The charter is attached twice, under two names, with the same bytes: FILE006 (duplicate content, "
            "review) rather than a split document."
        ),
    ),
    Sample(
        name="organization-unsupported-type",
        build=organization(extra_files={"Пояснительная записка 1 стр.docx": _DOCX}),
        verdict="fail",
        codes=("FILE011", "FILE002"),
        description=(
            "An extra Word file (.docx) is attached: documents are PDF, JPEG, PNG or TIFF (FILE011), and its "
            "name identifies no document of paragraph 7 (FILE002)."
        ),
    ),
    Sample(
        name="organization-nested-archive",
        build=organization(extra_files={"Документы.zip": _zip({"Справка 1 стр.pdf": b"%PDF-1.4\n%%EOF\n"})}),
        verdict="review",
        codes=("FILE015",),
        description=("A zip archive sits inside the dossier: it is reported (FILE015, review) and never unpacked."),
    ),
    Sample(
        name="organization-russian-names",
        build=organization(
            rename={
                "constituent-documents": "Устав ТОО 2 стр.pdf",
                "material-resources": "Сведения о материальных ресурсах_1стр.pdf",
                "employees-number": "Справка о численности работников_1стр.jpg",
                "price-document": "Прейскурант цен на услуги (1 л.).pdf",
                "exw-prices": "Цены EXW в референтных странах 1 стр.pdf",
                "premises-document": "Договор аренды помещения на 2 листах.pdf",
            }
        ),
        verdict="pass",
        passes=("FILE001", "FILE002", "FILE003", "FILE004"),
        description=(
            "The complete organization dossier with the file names people type in Russian; every name "
            "identifies its document and its true page count (paragraph 8)."
        ),
    ),
    Sample(
        name="specialist-kazakh-names",
        build=specialist(
            rename={
                "qualification": "Диплом көшірмесі 1 бет.pdf",
                "position-document": "Лауазымға тағайындау туралы бұйрық 1 бет.pdf",
                "medical-certificate": "086у медициналық анықтама 1 бет.jpg",
            }
        ),
        verdict="pass",
        passes=("FILE001", "FILE002", "FILE003", "FILE004"),
        description=(
            "The complete specialist dossier with the file names typed in Kazakh; every name identifies its "
            "document and its true page count (paragraph 16)."
        ),
    ),
)
