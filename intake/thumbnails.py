"""Small page images of a dossier's documents, for the HTML report and the web pages.

Each thumbnail is the page as the OCR gate saw it (rendered at 300 dpi, turned upright), scaled down
to a JPEG (the boxes are drawn over it, not into it); `frame` is the size of that full page image, the
frame the report's boxes are drawn in. Made once, while the dossier is open during screening
(`intake.pipeline.check_with_thumbnails`).
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from intake.models import FileFacts, FileRole


@dataclass(frozen=True)
class Thumbnail:
    """A small JPEG of one page and the frame (width, height in pixels) of the boxes on that page."""

    file: str
    page: int
    jpeg: bytes
    width: int
    height: int
    frame: tuple[int, int]

    def data_uri(self) -> str:
        """The image inline, for a self-contained HTML file."""
        return "data:image/jpeg;base64," + base64.b64encode(self.jpeg).decode("ascii")


def render(files: Sequence[FileFacts], *, pages: int = 2, width: int = 320) -> Iterator[Thumbnail]:
    """The first `pages` pages of each document that was read; a page that cannot be rendered is skipped."""
    from intake.ocr import page_image

    for f in files:
        if f.role is not FileRole.DOCUMENT or f.read_error or f.encrypted:
            continue
        for page in f.text[:pages]:
            try:
                image = page_image(f.path, f.media_type, page)
            except Exception:  # a page the gate could not render has no thumbnail; its findings say why
                continue
            frame = (image.width, image.height)
            scale = width / max(1, image.width)
            small = image.convert("RGB").resize((width, max(1, round(image.height * scale))))
            buffer = io.BytesIO()
            small.save(buffer, format="JPEG", quality=70, optimize=True)  # a scan: a JPEG is a quarter of a PNG
            yield Thumbnail(f.name, page.number, buffer.getvalue(), small.width, small.height, frame)
