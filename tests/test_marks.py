"""The seal detector on the seals it missed on real documents (issue 11), reproduced by `tests/pagegen.py`.

Each page goes through the real image analysis (`imaging.analyse`) and the detectors (`marks.detect`), at the
resolution the reader would assume for it; the web image and the phone photo go through the real reader and
Tesseract.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from intake import details, imaging, marks, ocr
from intake.models import FileFacts, Mark, MarkKind
from tests.pagegen import MARK_PAGES, SEAL_PAGES, mark_page, mode_page, plain_page, seal_page

pytestmark = pytest.mark.slow


def _seals(image: Image.Image, dpi: float, th: float) -> list[Mark]:
    scan = imaging.analyse(image, dpi)
    return [m for m in marks.detect(scan, (), [], dpi, th) if m.kind is MarkKind.SEAL]


def _facts(path: Path) -> FileFacts:
    return FileFacts(name=path.name, path=path, size=path.stat().st_size, sha256="0" * 64, extension=".png",
                     media_type="image/png")  # fmt: skip


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
    assert set(MARK_PAGES) == {"signature_across_seal", "seal_alone"}


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
