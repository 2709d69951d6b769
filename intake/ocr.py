"""The text of every page: a PDF's own text layer when it is sound, otherwise OCR.

Engines sit behind `OcrEngine`: `TesseractEngine` (rus+kaz+eng) and `NullEngine` (no OCR: scans
cannot be judged, and say so).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from PIL import Image

from intake.models import FileFacts, PageText, Word

LANGUAGES = "rus+kaz+eng"
RENDER_DPI = 300


class OcrEngine(Protocol):
    """Recognises the words of a page image."""

    @property
    def name(self) -> str:
        """A short name for reports."""

    def unavailable(self) -> str | None:
        """Why this engine cannot run here, or None when it can."""

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        """Words with boxes and confidences of one page image."""


@dataclass(frozen=True)
class NullEngine:
    """No OCR: every scanned page is reported unread (indeterminate), never passed."""

    name: str = "none"
    reason: str = "OCR is switched off"

    def unavailable(self) -> str | None:
        """Always unavailable, with the reason."""
        return self.reason

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        """Returns an empty page with the reason."""
        return PageText(number=number, source="none", width=image.width, height=image.height, dpi=dpi, note=self.reason)


@dataclass(frozen=True)
class TesseractEngine:
    """Tesseract 5 through pytesseract, one thread per process (OMP_THREAD_LIMIT=1)."""

    name: str = "tesseract"
    languages: str = LANGUAGES
    timeout: float = 120.0

    def unavailable(self) -> str | None:
        """None when the tesseract binary and the language data are installed."""
        if shutil.which("tesseract") is None:
            return "Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-rus tesseract-ocr-kaz)"
        import pytesseract

        try:
            have = set(pytesseract.get_languages(config=""))
        except pytesseract.TesseractError as exc:  # pragma: no cover - broken installation
            return f"Tesseract does not run: {exc}"
        missing = [lang for lang in self.languages.split("+") if lang not in have]
        if missing:
            return f"Tesseract language data missing: {', '.join(missing)}"
        return None

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        """OCR one page image into words with boxes and confidences."""
        import pytesseract

        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        data = pytesseract.image_to_data(
            image,
            lang=self.languages,
            config=f"--psm 3 --dpi {int(dpi)}",
            output_type=pytesseract.Output.DICT,
            timeout=self.timeout,
        )
        words: list[Word] = []
        lines: dict[tuple[int, int, int], int] = {}
        for i, text in enumerate(data["text"]):
            conf = float(data["conf"][i])
            if conf < 0 or not text.strip():
                continue
            key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
            line = lines.setdefault(key, len(lines))
            x, y, w, h = data["left"][i], data["top"][i], data["width"][i], data["height"][i]
            words.append(Word(text=text, box=(x, y, x + w, y + h), conf=conf, line=line, block=data["block_num"][i]))
        return PageText(
            number=number,
            source="ocr",
            text=_join(words),
            words=tuple(words),
            width=image.width,
            height=image.height,
            dpi=dpi,
        )


def _join(words: list[Word]) -> str:
    out: list[str] = []
    last = None
    for w in words:
        if last is not None and w.line != last:
            out.append("\n")
        elif last is not None:
            out.append(" ")
        out.append(w.text)
        last = w.line
    return "".join(out)


def _pdf_pages(facts: FileFacts, engine: OcrEngine) -> Iterator[PageText]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(facts.path))
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
            scale = RENDER_DPI / 72.0
            width, height = page.get_size()
            if len(text.strip()) >= 20:
                yield _text_layer_page(index + 1, textpage, text, width, height, scale)
            else:
                image = page.render(scale=scale).to_pil()
                yield engine.recognize(image, index + 1, RENDER_DPI)
            textpage.close()
            page.close()
    finally:
        pdf.close()


def _text_layer_page(number: int, textpage: object, text: str, width: float, height: float, scale: float) -> PageText:
    """Words of a PDF text layer with boxes in pixels at RENDER_DPI (top-left origin)."""
    words: list[Word] = []
    tp = textpage
    count = tp.count_chars()  # type: ignore[attr-defined]
    current: list[tuple[str, tuple[float, float, float, float]]] = []
    line = 0
    last_bottom: float | None = None

    def flush() -> None:
        if not current:
            return
        word = "".join(c for c, _ in current)
        x0 = min(b[0] for _, b in current)
        y0 = min(b[1] for _, b in current)
        x1 = max(b[2] for _, b in current)
        y1 = max(b[3] for _, b in current)
        box = (int(x0 * scale), int((height - y1) * scale), int(x1 * scale), int((height - y0) * scale))
        words.append(Word(text=word, box=box, conf=100.0, line=line))
        current.clear()

    for i in range(count):
        ch = tp.get_text_range(i, 1)  # type: ignore[attr-defined]
        if ch in ("\r", "\n"):
            flush()
            line += 1 if ch == "\n" else 0
            last_bottom = None
            continue
        if not ch.strip():
            flush()
            continue
        box = tp.get_charbox(i)  # type: ignore[attr-defined]
        if last_bottom is not None and abs(box[1] - last_bottom) > (box[3] - box[1]) * 1.5:
            flush()
            line += 1
        last_bottom = box[1]
        current.append((ch, box))
    flush()
    return PageText(
        number=number,
        source="text-layer",
        text=text,
        words=tuple(words),
        width=int(width * scale),
        height=int(height * scale),
        dpi=RENDER_DPI,
    )


def _image_pages(facts: FileFacts, engine: OcrEngine) -> Iterator[PageText]:
    with Image.open(facts.path) as img:
        frames = getattr(img, "n_frames", 1)
        for index in range(frames):
            img.seek(index)
            frame = img.convert("RGB")
            dpi_info = img.info.get("dpi", (RENDER_DPI, RENDER_DPI))
            dpi = float(dpi_info[0]) if dpi_info and dpi_info[0] else float(RENDER_DPI)
            yield engine.recognize(frame, index + 1, dpi)


def read_document(facts: FileFacts, engine: OcrEngine) -> tuple[tuple[PageText, ...], str | None]:
    """The text of every page of one document, and why it could not be read (if so)."""
    if facts.read_error:
        return (), facts.read_error
    try:
        if facts.media_type == "application/pdf":
            pages = tuple(_pdf_pages(facts, engine))
        elif facts.media_type in {"image/jpeg", "image/png", "image/tiff"}:
            pages = tuple(_image_pages(facts, engine))
        else:
            return (), "not a PDF or image"
    except Exception as exc:
        return (), f"the pages could not be read ({type(exc).__name__}: {exc})"
    unread = [p.number for p in pages if p.source == "none"]
    if unread:
        return pages, f"page(s) {', '.join(map(str, unread))} need OCR: {engine.unavailable() or 'no text'}"
    return pages, None
