"""Samples of the SCAN area (refusal ground 27.3): an illegible scan and an altered scan.

Both start from the complete organization dossier with the employees-number document as a text PDF,
render that page at 300 dpi (pypdfium2, deterministic), change the image the way a bad scan or a
hand correction would, add the scanner's paper noise (fixed seed) and save it as the dossier's
`03_employees-number_1p.png` scan in place of the PDF. Positions come from the PDF's own text layer,
so no OCR runs at build time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from samplegen.core import Sample, organization

_DPI = 300
_NAME = "03_employees-number_1p"


def _render(pdf: Path) -> tuple[Image.Image, list[tuple[str, tuple[int, int, int, int]]]]:
    """The page at 300 dpi and its words with pixel boxes (from the text layer)."""
    import pypdfium2 as pdfium

    from intake.ocr import text_layer_page

    doc = pdfium.PdfDocument(str(pdf))
    try:
        page = doc[0]
        textpage = page.get_textpage()
        width, height = page.get_size()
        text = textpage.get_text_range()
        layer = text_layer_page(1, textpage, text, width, height, _DPI / 72.0)
        image = page.render(scale=_DPI / 72.0).to_pil().convert("RGB")
        textpage.close()
        page.close()
    finally:
        doc.close()
    return image, [(w.text, w.box) for w in layer.words]


def _paper(image: Image.Image, seed: int) -> Image.Image:
    """A scanner's look: paper a little below white, sensor noise sd 3."""
    arr = np.asarray(image).astype(np.float64) * (236.0 / 255.0)
    arr += np.random.default_rng(seed).normal(0.0, 3.0, size=arr.shape[:2])[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _rescan(
    change: Callable[[Image.Image, list[tuple[str, tuple[int, int, int, int]]]], Image.Image],
) -> Callable[[Path], None]:
    def build(dest: Path) -> None:
        organization(scan={"employees-number": "none"})(dest)
        pdf = dest / f"{_NAME}.pdf"
        image, words = _render(pdf)
        change(image, words).save(dest / f"{_NAME}.png", dpi=(_DPI, _DPI))
        pdf.unlink()

    return build


def _illegible(image: Image.Image, words: list[tuple[str, tuple[int, int, int, int]]]) -> Image.Image:
    """Scanned out of focus: Gaussian blur of 9 px on 12 pt text."""
    return _paper(image, 11).filter(ImageFilter.GaussianBlur(9))


def _struck(image: Image.Image, words: list[tuple[str, tuple[int, int, int, int]]]) -> Image.Image:
    """The employee count crossed out by pen, no signature or seal beside it."""
    draw = ImageDraw.Draw(image)
    candidates = [box for text, box in words if len(text) >= 8 and text.isalpha()]
    x0, y0, x1, y1 = candidates[len(candidates) // 2]
    mid = y0 + (y1 - y0) * 55 // 100
    draw.line((x0 - 6, mid + 2, x1 + 6, mid - 2), fill=(30, 30, 30), width=5)
    return _paper(image, 12)


SAMPLES: tuple[Sample, ...] = (
    Sample(
        name="scan-illegible",
        build=_rescan(_illegible),
        verdict="fail",
        codes=("SCAN001", "DET001", "DET002", "DET003", "DET004", "SCAN003", "SCAN004", "SCAN005", "SCAN006"),
        description=(
            "The information on the number of employees is attached as a scan taken out of focus (blur of "
            "9 px on 12 pt text): no word can be read, so the page fails SCAN001 (27.3: printed indistinctly "
            "and illegibly) with the measures that decided."
        ),
    ),
    Sample(
        name="scan-altered",
        build=_rescan(_struck),
        verdict="review",
        codes=("SCAN003",),
        passes=("SCAN001",),
        description=(
            "The employees-number scan is legible, but one word is crossed out by pen with no signature or "
            "seal beside it: SCAN003 (27.3: crossed-out words) sends it to a person with the page and the box."
        ),
    ),
)
