"""Drawing the sample documents: PDF pages with a real text layer, stamps, signatures, scans.

Everything here is deterministic: reportlab runs with `rl_config.invariant = 1` (fixed document
ID and dates), the stamp is drawn with Pillow from fixed inputs, the handwritten stroke and the
scan noise come from seeded generators. Fonts: DejaVu (Debian `fonts-dejavu-core`).
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

rl_config.invariant = 1  # fixed /ID, /CreationDate and font subset names: same bytes every run
rl_config.useA85 = 0  # binary streams: ASCII85 only makes files a quarter bigger

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
SANS, BOLD, SERIF, SERIF_BOLD = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSerif", "DejaVuSerif-Bold"
INK = (0.05, 0.05, 0.08)
STAMP_BLUE = (52, 58, 168)
STAMP_VIOLET = (92, 48, 150)
PEN_BLUE = (0.08, 0.12, 0.45)


class FontMissing(RuntimeError):
    """DejaVu fonts are not installed (Debian package `fonts-dejavu-core`)."""


def register_fonts() -> None:
    """Register the DejaVu faces with reportlab (once)."""
    if SANS in pdfmetrics.getRegisteredFontNames():
        return
    for name in (SANS, BOLD, SERIF, SERIF_BOLD):
        path = FONT_DIR / f"{name}.ttf"
        if not path.exists():
            raise FontMissing(f"{path} not found: install the Debian package fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))


# --------------------------------------------------------------------------- the stamp


@dataclass(frozen=True)
class Stamp:
    """A round seal: text around the ring, lines in the centre."""

    ring: str
    centre: tuple[str, ...]
    color: tuple[int, int, int] = STAMP_BLUE
    angle: float = -8.0


def stamp_png(stamp: Stamp, size: int = 520) -> bytes:
    """The seal as an RGBA PNG (ink with soft alpha), drawn with Pillow."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    r, g, b = stamp.color
    ink = (r, g, b, 210)
    c = size / 2
    for radius, width in ((c - 6, 9), (c - 78, 4), (c - 92, 3)):
        draw.ellipse((c - radius, c - radius, c + radius, c + radius), outline=ink, width=width)
    font = ImageFont.truetype(str(FONT_DIR / f"{BOLD}.ttf"), 34)
    text = stamp.ring.upper() + " • "
    step = 360.0 / len(text)
    radius = c - 42
    for i, ch in enumerate(text):
        angle = -90.0 + i * step
        glyph = Image.new("RGBA", (48, 48), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((24, 24), ch, font=font, fill=ink, anchor="mm")
        glyph = glyph.rotate(-(angle + 90.0), resample=Image.Resampling.BICUBIC)
        x = c + radius * math.cos(math.radians(angle)) - 24
        y = c + radius * math.sin(math.radians(angle)) - 24
        img.alpha_composite(glyph, (round(x), round(y)))
    centre_font = ImageFont.truetype(str(FONT_DIR / f"{BOLD}.ttf"), 30)
    lines = stamp.centre
    top = c - (len(lines) - 1) * 20
    for i, line in enumerate(lines):
        draw.text((c, top + i * 40), line, font=centre_font, fill=ink, anchor="mm")
    img = img.rotate(stamp.angle, resample=Image.Resampling.BICUBIC).resize((320, 320), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, format="PNG", optimize=False)
    return out.getvalue()


# --------------------------------------------------------------------------- the page


@dataclass
class Sheet:
    """An A4 page in the making: a cursor that flows text down the page, and drawing helpers."""

    canvas: Canvas
    seed: str
    left: float = 22 * mm
    right: float = A4[0] - 15 * mm
    top: float = A4[1] - 18 * mm
    bottom: float = 20 * mm
    y: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.y = self.top

    @property
    def width(self) -> float:
        """The text width."""
        return self.right - self.left

    def gap(self, height: float = 4.0) -> None:
        """Move the cursor down by `height` points."""
        self.y -= height

    def new_page(self) -> None:
        """Finish the page and start the next one."""
        self.canvas.showPage()
        self.y = self.top

    def line(
        self, text: str, size: float = 10.5, *, bold: bool = False, align: str = "left", font: str | None = None
    ) -> None:
        """One line of text at the cursor."""
        face = font or (BOLD if bold else SANS)
        self.canvas.setFont(face, size)
        self.canvas.setFillColorRGB(*INK)
        self.y -= size * 1.35
        if align == "center":
            self.canvas.drawCentredString((self.left + self.right) / 2, self.y, text)
        elif align == "right":
            self.canvas.drawRightString(self.right, self.y, text)
        else:
            self.canvas.drawString(self.left, self.y, text)

    def para(
        self, text: str, size: float = 10.5, *, bold: bool = False, indent: float = 0.0, align: str = "left"
    ) -> None:
        """A paragraph wrapped to the text width (left-aligned or centred)."""
        face = BOLD if bold else SANS
        self.canvas.setFont(face, size)
        self.canvas.setFillColorRGB(*INK)
        for i, part in enumerate(simpleSplit(text, face, size, self.width - indent)):
            self.y -= size * 1.35
            if align == "center":
                self.canvas.drawCentredString((self.left + self.right) / 2, self.y, part)
            else:
                self.canvas.drawString(self.left + (indent if i == 0 else 0.0), self.y, part)
        self.y -= size * 0.3

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float], size: float = 9.0) -> None:
        """A ruled table; the first row is the header (bold). `widths` are fractions of the text width."""
        xs = [self.left]
        for w in widths:
            xs.append(xs[-1] + w * self.width)
        c = self.canvas
        c.setStrokeColorRGB(*INK)
        c.setLineWidth(0.6)
        for r, row in enumerate(rows):
            face = BOLD if r == 0 else SANS
            cells = [simpleSplit(str(cell), face, size, xs[i + 1] - xs[i] - 6) for i, cell in enumerate(row)]
            height = max(len(lines) for lines in cells) * size * 1.3 + 6
            top = self.y
            for i, lines in enumerate(cells):
                c.setFont(face, size)
                c.setFillColorRGB(*INK)
                for j, text in enumerate(lines):
                    c.drawString(xs[i] + 3, top - 3 - size - j * size * 1.3, text)
            c.line(xs[0], top, xs[-1], top)
            c.line(xs[0], top - height, xs[-1], top - height)
            for x in xs:
                c.line(x, top, x, top - height)
            self.y = top - height
        self.y -= 6

    def signature(
        self,
        position: str,
        name: str,
        *,
        stamp: Stamp | None = None,
        size: float = 10.5,
    ) -> None:
        """The signature line `Директор ______ Ахметов Е.С.`, a pen stroke over it, and `М.П.` with the seal."""
        self.gap(14)
        c = self.canvas
        c.setFont(SANS, size)
        c.setFillColorRGB(*INK)
        self.y -= size * 1.35
        base = self.y
        c.drawString(self.left, base, position)
        line_x = self.left + max(pdfmetrics.stringWidth(position, SANS, size) + 12, 0.42 * self.width)
        c.drawString(line_x, base, "_" * 18)
        c.drawString(line_x + pdfmetrics.stringWidth("_" * 18, SANS, size) + 8, base, name)
        self._pen(line_x + 8, base + 2)
        if stamp is not None:
            self.y -= size * 2.2
            c.drawString(self.left + 10, self.y, "М.П.")
            png = stamp_png(stamp)
            side = 40 * mm
            c.drawImage(
                ImageReader(io.BytesIO(png)),
                line_x - 6 * mm,
                base - side + 12 * mm,
                side,
                side,
                mask="auto",
            )
            self.y = min(self.y, base - side + 10 * mm)

    def _pen(self, x: float, y: float) -> None:
        """A handwritten-looking stroke: a few seeded Bezier loops in blue ink."""
        rng = random.Random(f"pen:{self.seed}")
        c = self.canvas
        c.saveState()
        c.setStrokeColorRGB(*PEN_BLUE)
        c.setLineWidth(1.1)
        c.setLineCap(1)
        c.setLineJoin(1)
        path = c.beginPath()
        px, py = x, y + rng.uniform(-2, 4)
        path.moveTo(px, py)
        for _ in range(6):
            nx = px + rng.uniform(10, 20)
            ny = y + rng.uniform(-4, 12)
            c1 = (px + rng.uniform(2, 10), py + rng.uniform(6, 18))
            c2 = (nx - rng.uniform(2, 10), ny - rng.uniform(6, 16))
            path.curveTo(*c1, *c2, nx, ny)
            px, py = nx, ny
        path.curveTo(px + 10, py - 8, px - 60, y - 6, px - 30, y + 2)
        c.drawPath(path, stroke=1, fill=0)
        c.restoreState()


def render_pdf(draw: Callable[[Sheet], None], *, seed: str, title: str, author: str) -> bytes:
    """Draw a document and return its PDF bytes (same bytes for the same input)."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("samplegen (intake sample dossiers)")
    canvas.setProducer("samplegen (intake sample dossiers)")
    sheet = Sheet(canvas, seed)
    draw(sheet)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    """Pages of a PDF."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        return len(doc)
    finally:
        doc.close()


# --------------------------------------------------------------------------- scans


def _scan_page(image: Image.Image, rng: np.random.Generator, angle: float) -> Image.Image:
    """Grey paper, toner noise, a slight blur and skew: a page as an office scanner gives it."""
    grey = np.asarray(image.convert("RGB"), dtype=np.float32)
    paper = np.array([236.0, 233.0, 226.0], dtype=np.float32)
    page = grey / 255.0 * paper
    page += rng.normal(0.0, 3.0, size=page.shape[:2])[..., None].astype(np.float32)
    out = Image.fromarray(np.clip(page, 0, 255).astype(np.uint8), "RGB")
    out = out.filter(ImageFilter.GaussianBlur(0.6))
    return out.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=(222, 220, 214))


def scan_images(pdf: bytes, *, seed: str, dpi: int = 300) -> list[Image.Image]:
    """Every page of a PDF rendered at `dpi` and made to look scanned."""
    import pypdfium2 as pdfium

    rng = np.random.default_rng(int.from_bytes(seed.encode("utf-8")[:16].ljust(16, b"\0"), "big"))
    doc = pdfium.PdfDocument(pdf)
    try:
        pages = []
        for i in range(len(doc)):
            bitmap = doc[i].render(scale=dpi / 72)
            image = bitmap.to_pil()
            pages.append(_scan_page(image, rng, angle=0.35 if i % 2 == 0 else -0.25))
        return pages
    finally:
        doc.close()


def scan_jpeg(pdf: bytes, *, seed: str, dpi: int = 300, quality: int = 80) -> bytes:
    """The first page of a PDF as a scanned JPEG (with its dpi in the JFIF header)."""
    image = scan_images(pdf, seed=seed, dpi=dpi)[0]
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, dpi=(dpi, dpi), optimize=False, progressive=False)
    return out.getvalue()


def scan_pdf(pdf: bytes, *, seed: str, dpi: int = 300, quality: int = 80) -> bytes:
    """A PDF whose pages are scanned images only (no text layer), as a scanner's 'save as PDF' gives it."""
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    canvas.setCreator("Scanner (samplegen)")
    canvas.setProducer("samplegen scan")
    for image in scan_images(pdf, seed=seed, dpi=dpi):
        buf = io.BytesIO()
        image.save(buf, format="JPEG", quality=quality, dpi=(dpi, dpi), optimize=False, progressive=False)
        canvas.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 0, 0, A4[0], A4[1])
        canvas.showPage()
    canvas.save()
    return out.getvalue()
