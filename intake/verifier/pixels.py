"""What a reader sees change after signing: the signed revision and the final one rendered and compared.

pdfium (pypdfium2) renders each page of the signed prefix of the file and of the whole file at a low
resolution in grey; the cells whose pixels differ are merged into boxes, reported in PDF points. A
shadow attack changes what a clerk sees; these boxes show where, whatever the structure says.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from intake.models import ChangedRegion

if TYPE_CHECKING:  # numpy loads in the functions that use it
    import numpy as np

SCALE: Final = 1.0  # 72 dpi: a 10 pt line of text is 10 pixels high, enough to see it change
CELL: Final = 8  # pixels per cell of the difference grid
THRESHOLD: Final = 40  # grey levels: anti-aliasing noise stays below
MAX_PAGES: Final = 50


Page = tuple["np.ndarray[Any, Any]", float]


def _render(data: bytes, max_pages: int) -> list[Page] | None:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # pdfium refuses the file: nothing to compare
        return None
    pages: list[Page] = []
    try:
        for i in range(min(len(doc), max_pages)):
            page = doc[i]
            bitmap = page.render(scale=SCALE, grayscale=True)
            pages.append((_grey(bitmap.to_numpy()), float(page.get_height())))
            bitmap.close()
            page.close()
    except Exception:  # a page pdfium cannot draw: undecided
        return None
    finally:
        doc.close()
    return pages


def compare(
    data: bytes, signed_end: int, evidence: Path | None = None, stem: str = "pdf"
) -> tuple[ChangedRegion, ...] | None:
    """Regions that differ between the revision ending at `signed_end` and the whole file (None: cannot render).

    With `evidence`, a PNG per region (the signed crop beside the final one) is written there.
    """
    from intake.opencv import cv2

    before = _render(data[:signed_end], MAX_PAGES)
    after = _render(data, MAX_PAGES)
    if before is None or after is None:
        return None
    regions: list[ChangedRegion] = []
    for index in range(max(len(before), len(after))):
        if index >= len(before) or index >= len(after):
            page = after[index] if index < len(after) else before[index]
            arr, height = page
            regions.append(ChangedRegion(page=index + 1, box=(0.0, 0.0, arr.shape[1] / SCALE, float(height))))
            continue
        (a, height), (b, _) = before[index], after[index]
        if a.shape != b.shape:
            regions.append(ChangedRegion(page=index + 1, box=(0.0, 0.0, b.shape[1] / SCALE, float(height))))
            continue
        _, mask = cv2.threshold(cv2.absdiff(a, b), THRESHOLD, 255, cv2.THRESH_BINARY)
        if not cv2.countNonZero(mask):
            continue
        rows, cols = -(-mask.shape[0] // CELL), -(-mask.shape[1] // CELL)
        padded = cv2.copyMakeBorder(
            mask, 0, rows * CELL - mask.shape[0], 0, cols * CELL - mask.shape[1], cv2.BORDER_CONSTANT, value=0
        )
        # a cell is set when any of its pixels is: the area average of 255s over 64 pixels is at least 4
        grid = cv2.resize(padded, (cols, rows), interpolation=cv2.INTER_AREA) > 0
        diff = mask
        for r0, c0, r1, c1 in _boxes(grid):
            x0, x1 = c0 * CELL / SCALE, min(c1 * CELL, diff.shape[1]) / SCALE
            top, bottom = r0 * CELL / SCALE, min(r1 * CELL, diff.shape[0]) / SCALE
            box = (round(x0, 1), round(float(height) - bottom, 1), round(x1, 1), round(float(height) - top, 1))
            crop = None
            if evidence is not None:
                crop = _write_crop(evidence, stem, index + 1, len(regions), a, b, (r0, c0, r1, c1))
            regions.append(ChangedRegion(page=index + 1, box=box, evidence=crop))
    return tuple(regions)


def _boxes(grid: np.ndarray[Any, Any]) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (row0, col0, row1, col1; cells, end exclusive) of the 8-connected groups of set cells."""
    import numpy as np

    from intake.opencv import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(grid.astype(np.uint8), connectivity=8)
    return [(int(y), int(x), int(y + h), int(x + w)) for x, y, w, h, _area in (stats[i] for i in range(1, count))]


def _write_crop(
    folder: Path,
    stem: str,
    page: int,
    index: int,
    a: np.ndarray[Any, Any],
    b: np.ndarray[Any, Any],
    cells: tuple[int, int, int, int],
) -> str | None:
    import numpy as np
    from PIL import Image

    r0, c0, r1, c1 = cells
    pa, pb = a, b
    y0, y1 = max(0, r0 * CELL - 2 * CELL), min(pa.shape[0], r1 * CELL + 2 * CELL)
    x0, x1 = max(0, c0 * CELL - 8 * CELL), min(pa.shape[1], c1 * CELL + 8 * CELL)
    side = np.concatenate([pa[y0:y1, x0:x1], np.full((y1 - y0, 4), 0, dtype=pa.dtype), pb[y0:y1, x0:x1]], axis=1)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{stem}-p{page}-change{index + 1}.png"
        Image.fromarray(side).save(path)
    except OSError:
        return None
    return str(path)


def _grey(arr: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    import numpy as np

    a = np.asarray(arr)
    return np.ascontiguousarray(a if a.ndim == 2 else a[..., 0], dtype=np.uint8)
