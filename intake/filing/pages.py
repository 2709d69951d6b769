"""Page counts: pages of a PDF, frames of a TIFF, one for an image; a damaged file gives its reason."""

from __future__ import annotations

import struct
import warnings
from pathlib import Path

from intake.filing.media import JPEG, PDF, PNG, TIFF


def _pdf_pages(path: Path) -> tuple[int | None, str | None, bool]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            return None, "the PDF is encrypted and opens only with a password", True
        return None, f"the PDF cannot be opened ({message})", False
    except (OSError, ValueError) as exc:
        return None, f"the PDF cannot be opened ({exc})", False
    try:
        encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) != -1
        count = len(pdf)
        if count == 0:
            return None, "the PDF has no pages", encrypted
        for index in range(count):
            try:
                page = pdf[index]
            except pdfium.PdfiumError as exc:
                return count, f"page {index + 1} of the PDF cannot be read ({exc})", encrypted
            page.close()
    finally:
        pdf.close()
    with path.open("rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%%EOF" not in tail:
        return count, "the PDF is truncated or damaged: it does not end with %%EOF", encrypted
    return count, None, encrypted


def _image_pages(path: Path, media_type: str) -> tuple[int | None, str | None, bool]:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PIL's complaints about odd metadata: the pixels decide
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                # One page per image; a TIFF has one page per frame (every frame decoded to find damage).
                frames = int(getattr(img, "n_frames", 1)) if media_type == TIFF else 1
                for index in range(frames):
                    img.seek(index)
                    img.load()
                return frames, None, False
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return None, f"the image is too large to decode safely ({exc})", False
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
        return None, f"the image cannot be decoded ({exc})", False


def count_pages(path: Path, media_type: str | None) -> tuple[int | None, str | None, bool]:
    """Pages of a PDF, frames of a TIFF, 1 for an image: (pages, why unreadable, encrypted).

    Never raises for a damaged file: the reason is returned, naming what is wrong.
    """
    try:
        if media_type == PDF:
            return _pdf_pages(path)
        if media_type in (JPEG, PNG, TIFF):
            return _image_pages(path, media_type)
    except Exception as exc:  # a defect of a reader library on a hostile file is still a finding
        return None, f"the file cannot be read ({type(exc).__name__}: {exc})", False
    return None, None, False
