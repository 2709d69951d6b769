"""The seal detector on the seals it missed on real documents (issue 11), reproduced by `tests/pagegen.py`.

Each page goes through the real image analysis (`imaging.analyse`) and the detectors (`marks.detect`), at the
resolution the reader would assume for it; the web image and the phone photo go through the real reader and
Tesseract.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from intake import details, imaging, marks, ocr
from intake.judgements import on_details
from intake.models import Detail, Dossier, FileFacts, FileRole, Finding, Identification, Kind, Mark, MarkKind, Outcome
from tests.pagegen import (
    EDS_STAMP_LINES,
    MARK_PAGES,
    SEAL_PAGES,
    eds_stamp_pdf,
    mark_page,
    mode_page,
    plain_page,
    scanner_layer_pdf,
    seal_page,
)
from tests.realpages import words_page

pytestmark = pytest.mark.slow


def _seals(image: Image.Image, dpi: float, th: float) -> list[Mark]:
    scan = imaging.analyse(image, dpi)
    return [m for m in marks.detect(scan, (), [], dpi, th) if m.kind is MarkKind.SEAL]


def _facts(path: Path) -> FileFacts:
    pdf = path.suffix == ".pdf"
    return FileFacts(name=path.name, path=path, size=path.stat().st_size, sha256="0" * 64, extension=path.suffix,
                     media_type="application/pdf" if pdf else "image/png")  # fmt: skip


def test_every_seal_page_is_described() -> None:
    assert set(SEAL_PAGES) == {"seal_pale", "seal_web_no_dpi", "emblem_top", "guilloche_pale"}


def test_pale_seal_is_a_seal() -> None:
    page = seal_page("seal_pale")
    (seal,) = _seals(page.image, 300, 40)
    assert page.stamp is not None and imaging.overlap(seal.box, page.stamp) > 0.6 * (
        (page.stamp[2] - page.stamp[0]) * (page.stamp[3] - page.stamp[1])
    )
    assert seal.shape == "round" and seal.score >= details.MARK_SCORE


@pytest.mark.parametrize("name", ["emblem_top", "guilloche_pale"])
def test_no_seal_where_there_is_none(name: str) -> None:
    assert _seals(seal_page(name).image, 300, 40) == [], SEAL_PAGES[name]


def test_physical_dpi_of_a_web_image_without_metadata() -> None:
    page = seal_page("seal_web_no_dpi")
    scan = imaging.analyse(page.image, 300)
    assert 85 <= marks.physical_dpi(scan, 300, 13) <= 115  # the page says 300; its text and width say ~100
    assert marks.physical_dpi(scan, 100, 13) == 100  # a credible dpi is kept
    crop = imaging.analyse(Image.new("RGB", (900, 300), "white"), 300)
    assert marks.physical_dpi(crop, 300, 40) == 300  # a narrow crop with body-size text keeps its dpi


def test_seal_on_a_web_image_without_metadata_is_seen(tmp_path: Path) -> None:
    """Through the real reader: the image says nothing of its dpi, so it is taken at 300 and its sizes in mm
    would come out a third of the truth without `marks.physical_dpi`."""
    page = seal_page("seal_web_no_dpi")
    path = tmp_path / "web.png"
    page.image.save(path)  # no dpi metadata
    pages, error = ocr.read_document(_facts(path), ocr.TesseractEngine())
    assert error is None
    seals = [m for m in pages[0].marks if m.kind is MarkKind.SEAL]
    assert page.stamp is not None and len(seals) == 1
    assert imaging.overlap(seals[0].box, page.stamp) > 0


def test_phone_photo_tilted_10_degrees_gives_the_details_of_the_flat_scan(tmp_path: Path) -> None:
    """Issue 11 target: a phone photo tilted 10° with keystone and shadow yields the details of the flat scan."""
    found = {}
    for name in ("flat", "phone_skew_10"):
        page = mode_page(name) if name != "flat" else plain_page()
        path = tmp_path / f"{name}.png"
        page.image.save(path, dpi=(page.dpi, page.dpi))
        pages, error = ocr.read_document(_facts(path), ocr.TesseractEngine())
        assert error is None
        found[name] = {d.kind: d.value for d in details.extract(pages, document_type=None) if d.source != "image"}
    assert found["phone_skew_10"] == found["flat"]
    assert found["flat"].get("number") == "2471"


def _marks(image: Image.Image, dpi: float = 300, th: float = 40) -> list[Mark]:
    return list(marks.detect(imaging.analyse(image, dpi), (), [], dpi, th))


def _share(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> float:
    """The share of box `b` that box `a` covers."""
    return imaging.overlap(a, b) / max(1, (b[2] - b[0]) * (b[3] - b[1]))


def test_every_mark_page_is_described() -> None:
    assert set(MARK_PAGES) == {"signature_across_seal", "seal_alone", "signature_in_seal_web"}


def test_signature_across_a_seal_is_told_from_the_seal() -> None:
    """Real docs 02 and 34: the pen crosses the seal's ring in the seal's ink; the blob is one, the marks two."""
    page = mark_page("signature_across_seal")
    found = _marks(page.image)
    (seal,) = [m for m in found if m.kind is MarkKind.SEAL]
    (signature,) = [m for m in found if m.kind is MarkKind.SIGNATURE]
    assert page.stamp is not None and page.signature is not None
    assert seal.shape == "round" and _share(seal.box, page.stamp) > 0.8
    assert _share(signature.box, page.signature) > 0.6
    assert signature.score >= details.MARK_SCORE


def test_a_seal_alone_grows_no_signature() -> None:
    page = mark_page("seal_alone")
    found = _marks(page.image)
    assert [m.kind for m in found] == [MarkKind.SEAL]


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_a_signature_inside_a_seal_on_a_web_image_is_seen(seed: int) -> None:
    """Real docs 14, 15 (~70-100 ppi): the pen leaves the seal's ring by a few millimetres (5 mm needed at 300 dpi)."""
    page = mark_page("signature_in_seal_web", seed)
    found = _marks(page.image, page.dpi, 40 * page.dpi / 300)
    assert page.signature is not None
    signatures = [m for m in found if m.kind is MarkKind.SIGNATURE]
    assert [m.kind for m in found].count(MarkKind.SEAL) == 1
    assert len(signatures) == 1 and imaging.overlap(signatures[0].box, page.signature) > 0


def test_a_seal_alone_on_a_web_image_grows_no_signature() -> None:
    page = mark_page("seal_alone")
    f = 96 / 300
    image = page.image.resize((round(page.image.width * f), round(page.image.height * f)), Image.Resampling.LANCZOS)
    found = _marks(image, 96, 40 * f)
    assert [m.kind for m in found] == [MarkKind.SEAL]


def test_the_ring_leaving_threshold_is_lower_on_web_images() -> None:
    assert marks.past_ring_mm(96) < marks.past_ring_mm(300) == marks.PAST_RING_MM


def test_a_scan_under_a_sound_text_layer_keeps_its_seal(tmp_path: Path) -> None:
    """Real docs 28 p10 and the scanner-layer PDFs: the text is the layer's, the seal is in the picture under it."""
    path = scanner_layer_pdf(tmp_path / "scan.pdf", misread=False)
    pages, error = ocr.read_document(_facts(path), ocr.TesseractEngine())
    assert error is None and pages[0].source == "text-layer"
    assert [m.kind for m in pages[0].marks if m.kind is MarkKind.SEAL] == [MarkKind.SEAL]


@pytest.mark.parametrize("vector", [False, True], ids=["picture", "vector"])
def test_a_visual_eds_stamp_on_a_text_layer_page_is_a_signature_mark(tmp_path: Path, vector: bool) -> None:
    """Real doc 27: an extract whose only signature is a visual EDS stamp (a picture on the page, or a frame and
    words in the text layer) has a signature mark of its own kind, and extraction reports it."""
    path = eds_stamp_pdf(tmp_path / "extract.pdf", vector=vector)
    pages, error = ocr.read_document(_facts(path), ocr.TesseractEngine())
    assert error is None and pages[0].source == "text-layer"
    (stamp,) = [m for m in pages[0].marks if m.kind is MarkKind.EDS_STAMP]
    assert stamp.score >= 0.9 and stamp.text is not None and "44A369F5521E0BAD08610CBB88257ED3" in stamp.text
    assert stamp.box[1] > 0.8 * pages[0].height  # at the foot of the page
    signature = {d.kind: d for d in details.extract(pages, document_type=None)}["signature"]
    assert on_details.is_eds_stamp(signature) and on_details.eds_stamp_stands_for_signature(signature)


def test_the_pictures_of_a_text_layer_page(tmp_path: Path) -> None:
    """A placed picture below the page's head is looked at; words and frames drawn in the layer are not pictures."""
    import pypdfium2 as pdfium

    for vector, count in ((False, 1), (True, 0)):
        pdf = pdfium.PdfDocument(eds_stamp_pdf(tmp_path / f"{vector}.pdf", vector=vector))
        boxes = ocr.pictures(pdf[0])
        assert len(boxes) == count
        if boxes:
            assert marks.stamp_shaped(boxes[0], ocr.RENDER_DPI)
        pdf.close()


def test_an_eds_stamp_stands_in_only_when_it_names_a_certificate_and_its_owner() -> None:
    named = Detail(kind="signature", value=f"{details.EDS_STAMP_VALUE}: «ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ "
                   "Сертификат 44A369F5521E0BAD Владелец ООО РОМАШКА»", source="image")  # fmt: skip
    heading = Detail(kind="signature", value=f"{details.EDS_STAMP_VALUE}: «подписан электронной подписью»",
                     source="image")  # fmt: skip
    pen = Detail(kind="signature", value="signature seen on the page (blue stroke)", source="image")
    assert on_details.is_eds_stamp(named) and on_details.eds_stamp_stands_for_signature(named)
    assert on_details.is_eds_stamp(heading) and not on_details.eds_stamp_stands_for_signature(heading)
    assert not on_details.is_eds_stamp(pen)


def _det003(mark: Mark) -> Finding:
    page = words_page(["ВЫПИСКА ИЗ РЕЕСТРА ЛИЦЕНЗИЙ № 2471", "ООО «Тест»", "Выписка носит информационный характер"],
                      marks=[mark])  # fmt: skip
    doc = FileFacts(name="01_constituent-documents_1p.pdf", path=Path("01_constituent-documents_1p.pdf"), size=1,
                    sha256="0" * 64, extension=".pdf", role=FileRole.DOCUMENT,
                    identification=Identification(document_type="constituent-documents"), text=(page,))  # fmt: skip
    dossier = Dossier(source="test", at=datetime(2026, 12, 3, tzinfo=UTC), kind=Kind.ORGANIZATION, application=None,
                      files=(doc,))  # fmt: skip
    (f,) = [x for x in on_details.details_present(dossier) if x.code == "DET003"]
    return f


def test_det003_an_eds_stamp_with_certificate_and_owner_stands_in_for_the_signature() -> None:
    """Real doc 27 was refused (DET003 failed, blocking) though its EDS stamp says it was signed."""
    stamp = Mark(kind=MarkKind.EDS_STAMP, box=(900, 3000, 1700, 3300), score=0.9, shape="rectangular",
                 text=" ".join(EDS_STAMP_LINES))  # fmt: skip
    assert _det003(stamp).outcome is Outcome.PASSED
    heading = stamp.model_copy(update={"text": "ДОКУМЕНТ ПОДПИСАН ЭЛЕКТРОННОЙ ПОДПИСЬЮ", "score": 0.6})
    assert _det003(heading).outcome is Outcome.INDETERMINATE  # review, never a refusal
