"""intake.ocr: text layers judged by content, Tesseract words, engines, the process pool, PDF editing signs."""

from __future__ import annotations

import importlib
import io
import os
import pickle
import re
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from intake import forensics, ocr
from intake.models import FileFacts, PageText
from tests.factories import file_facts
from tests.pagegen import BODY, FONTS, document_page, garbled, scanner_layer_pdf, small_page

RUSSIAN = (
    "Настоящая справка выдана в том, что организация оказывает специальные социальные услуги "
    "лицам с инвалидностью в условиях полустационара."
)


def _facts(path: Path, media_type: str | None) -> FileFacts:
    facts = file_facts(path.name, root=path.parent)
    assert facts.media_type == media_type, f"{path.name} sniffs as {facts.media_type}"
    return facts


def _font() -> str:
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSerif.ttf")))
    return "DejaVu"


def _pdf(path: Path, text: str | None, image: Image.Image | None = None, invisible: bool = False) -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    if image is not None:
        c.drawImage(ImageReader(image), 0, 0, width, height)
    if text is not None:
        t = c.beginText(60, height - 100)
        t.setFont(_font(), 11)
        if invisible:
            t.setTextRenderMode(3)
        t.textLine(text)
        c.drawText(t)
    c.showPage()
    c.save()
    return path


@dataclass
class CountingEngine:
    """A fake engine (unit tests only): answers fixed words and counts its calls."""

    name: str = "counting"
    calls: list[int] = field(default_factory=list)

    def unavailable(self) -> str | None:
        return None

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        self.calls.append(number)
        return PageText(number=number, source="ocr", width=image.width, height=image.height, dpi=dpi)

    def orientation(self, image: Image.Image) -> tuple[int, float] | None:
        return None


@dataclass(frozen=True)
class CrashingEngine:
    """A fake engine (unit tests only) whose worker dies on page `crash`, as a crash in an image library or
    the OOM killer would end it; page `slow` takes a while, so a neighbour is still in flight then."""

    crash: int
    slow: int = 0
    workers: int = 2
    name: str = "crashing"

    def unavailable(self) -> str | None:
        return None

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        if number == self.crash:
            os._exit(1)
        if number == self.slow:
            time.sleep(3)
        return PageText(number=number, source="ocr", width=image.width, height=image.height, dpi=dpi)

    def orientation(self, image: Image.Image) -> tuple[int, float] | None:
        return None


def _rss() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) * 1024 for line in fh if line.startswith("VmRSS:"))


@dataclass(frozen=True)
class ResidentEngine:
    """A fake engine (unit tests only) that reads no words and notes, in the page's note, the resident size of
    the process at the moment Tesseract would run beside it."""

    name: str = "resident"

    def unavailable(self) -> str | None:
        return None

    def recognize(self, image: Image.Image, number: int, dpi: float) -> PageText:
        return PageText(number=number, source="ocr", width=image.width, height=image.height, dpi=dpi, note=str(_rss()))

    def orientation(self, image: Image.Image) -> tuple[int, float] | None:
        return None


def resident_at_ocr(path: str) -> tuple[int, int]:
    """Run in a pool worker: its resident size before a page is read, and when the page's OCR starts.

    The worker reads the page once first, with its heap then trimmed: what a worker's first page costs
    once (the imports a forkserver started by another pool did not preload, OpenCV's and numpy's first
    buffers: 37-49 MiB, and up to 69 MiB in a CI run) is not the page's memory."""
    for name in ocr.WORKER_PRELOAD:
        importlib.import_module(name)
    job = ocr.PageJob(path, 0, "image", 1)
    ocr.read_page(job, ResidentEngine())
    ocr.release_free_memory()
    before = _rss()
    page = ocr.read_page(job, ResidentEngine())
    return before, int(page.note or 0)


# --------------------------------------------------------------------------- text layer soundness


def test_sound_russian_layer() -> None:
    assert ocr.layer_soundness(RUSSIAN) is None


def test_generator_stamp_only_is_no_layer() -> None:
    why = ocr.layer_soundness("Powered by TCPDF (www.tcpdf.org)")
    assert why is not None and "generator stamp" in why


def test_replacement_characters_make_a_layer_unsound() -> None:
    why = ocr.layer_soundness(RUSSIAN + " \ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd" * 10)
    assert why is not None and "undecodable" in why


def test_latin_garbage_for_cyrillic_is_unsound() -> None:
    garbage = "Ha3BaHMe opraHM3aLlMM cnpaBKa BblAaHa o TOM, 4TO opraHM3aL|MЯ oka3blBaeT ycnyrM " * 3
    why = ocr.layer_soundness(garbage)
    assert why is not None and "misread" in why


def test_english_text_is_sound() -> None:
    assert ocr.layer_soundness("This certificate confirms that the organisation provides social services.") is None


# --------------------------------------------------------------------------- TSV and engines


def test_parse_tsv_keeps_words_with_boxes_and_lines() -> None:
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "4\t1\t1\t1\t1\t0\t10\t10\t200\t30\t-1\t\n"
        "5\t1\t1\t1\t1\t1\t10\t10\t90\t30\t96.5\tСправка\n"
        "5\t1\t1\t1\t1\t2\t110\t10\t20\t30\t91\t№\n"
        "5\t1\t1\t1\t2\t1\t10\t50\t60\t30\t-1\t \n"
        "5\t1\t1\t1\t2\t1\t10\t50\t60\t30\t88\t2471\n"
    )
    words = ocr.parse_tsv(tsv)
    assert [w.text for w in words] == ["Справка", "№", "2471"]
    assert words[0].box == (10, 10, 100, 40)
    assert words[0].line == words[1].line != words[2].line


def test_null_engine_pages_are_unread_with_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "scan.png"
    small_page(("Справка № 12",)).save(path)
    pages, error = ocr.read_document(_facts(path, "image/png"), ocr.NullEngine(reason="OCR switched off"))
    assert pages[0].source == "none"
    assert error is not None and "OCR switched off" in error


def test_sound_text_layer_skips_ocr(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "born-digital.pdf", RUSSIAN)
    engine = CountingEngine()
    pages, error = ocr.read_document(_facts(path, "application/pdf"), engine)
    assert error is None
    assert pages[0].source == "text-layer"
    assert engine.calls == []
    assert any(w.text == "Настоящая" for w in pages[0].words)


def test_stamp_only_layer_goes_to_ocr(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "tcpdf.pdf", "Powered by TCPDF (www.tcpdf.org)", image=small_page(("Справка",)))
    engine = CountingEngine()
    pages, _ = ocr.read_document(_facts(path, "application/pdf"), engine)
    assert set(engine.calls) == {1}
    assert pages[0].source == "ocr"


def test_invisible_scanner_layer_is_still_text(tmp_path: Path) -> None:
    path = _pdf(tmp_path / "scanner-ocr.pdf", RUSSIAN, image=small_page(("Справка",)), invisible=True)
    engine = CountingEngine()
    pages, _ = ocr.read_document(_facts(path, "application/pdf"), engine)
    assert pages[0].source == "text-layer"
    assert engine.calls == []


def test_not_a_document(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("x")
    pages, error = ocr.read_document(_facts(path, None), CountingEngine())
    assert pages == () and error is not None and "not a PDF" in error  # what gather_file makes of a .txt


def test_broken_image_is_a_reason_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)
    _, error = ocr.read_document(_facts(path, "image/png"), CountingEngine())
    assert error is not None and "cannot be decoded" in error  # the reason gather_file recorded


def test_tesseract_reads_a_small_crop() -> None:
    engine = ocr.TesseractEngine()
    if engine.unavailable():
        pytest.fail(f"Tesseract is required: {engine.unavailable()}")
    image = small_page(("Справка № 2471 ТОО «Жанұя Көмек»",))
    page = engine.recognize(image, 1, 300)
    texts = [w.text for w in page.words]
    assert "Справка" in texts and "2471" in texts
    word = page.words[texts.index("2471")]
    assert word.conf > 80
    x0, y0, x1, y1 = word.box
    assert 0 <= x0 < x1 <= image.width and 0 <= y0 < y1 <= image.height


def test_pool_reads_pages_of_several_files_in_order(tmp_path: Path) -> None:
    files = []
    for i in range(3):
        path = tmp_path / f"p{i}.png"
        small_page((f"Справка № {i + 10}",)).save(path)
        files.append(_facts(path, "image/png"))
    out = list(ocr.read_documents(files, ocr.TesseractEngine(workers=2)))
    assert [f.name for f, _, _ in out] == ["p0.png", "p1.png", "p2.png"]
    for i, (_, pages, error) in enumerate(out):
        assert error is None
        assert f"{i + 10}" in pages[0].text


def test_multipage_tiff_frames(tmp_path: Path) -> None:
    path = tmp_path / "two.tiff"
    a, b = small_page(("Страница один",)), small_page(("Страница два",))
    a.save(path, save_all=True, append_images=[b])
    pages, _ = ocr.read_document(_facts(path, "image/tiff"), CountingEngine())
    assert [p.number for p in pages] == [1, 2]


# --------------------------------------------------------------------------- PDF editing signs


def test_editor_producer_is_a_sign(tmp_path: Path) -> None:
    import pypdf

    src = _pdf(tmp_path / "a.pdf", RUSSIAN)
    writer = pypdf.PdfWriter(clone_from=str(src))
    writer.add_metadata({"/Producer": "PDF-XChange Editor 9.5"})
    out = tmp_path / "edited.pdf"
    writer.write(out)
    signs = forensics.edit_signs(out)
    (sign,) = [s for s in signs if s.sign == "editor"]
    assert sign.value and "PDF-XChange" in sign.value and sign.page == 1 and sign.box and sign.box[2] > 2000


def test_incremental_update_changing_content_is_a_sign(tmp_path: Path) -> None:
    import pypdf
    from pypdf.generic import ContentStream

    src = _pdf(tmp_path / "a.pdf", RUSSIAN)
    data = src.read_bytes()
    writer = pypdf.PdfWriter(io.BytesIO(data), incremental=True)
    page = writer.pages[0]
    stream = ContentStream(None, writer)
    stream.set_data(b"q 1 0 0 1 0 0 cm 0 g 100 100 50 10 re f Q")
    page.replace_contents(stream)
    buf = io.BytesIO()
    writer.write(buf)
    out = tmp_path / "updated.pdf"
    out.write_bytes(buf.getvalue())
    assert out.read_bytes().startswith(data[:100])
    signs = forensics.edit_signs(out)
    (sign,) = [s for s in signs if s.sign == "incremental_update"]
    assert sign.pages_changed == (1,) and sign.page == 1 and sign.box and sign.box[3] > 3000


def test_visible_text_over_scan_is_a_sign_invisible_is_not(tmp_path: Path) -> None:
    scan = small_page(("Справка",))
    visible = _pdf(tmp_path / "v.pdf", "185 000", image=scan)
    invisible = _pdf(tmp_path / "i.pdf", "185 000", image=scan, invisible=True)
    signs = forensics.edit_signs(visible)
    assert [s.sign for s in signs] == ["visible_text_over_scan"]
    assert signs[0].page == 1 and signs[0].box and len(signs[0].box) == 4
    assert forensics.edit_signs(invisible) == []


def test_text_beneath_a_scan_is_no_sign(tmp_path: Path) -> None:
    """ABBYY FineReader puts its (visible) text *under* the page image: hidden, not drawn over (real doc 28)."""
    path = tmp_path / "under.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    t = c.beginText(60, height - 100)
    t.setFont(_font(), 11)
    t.textLine("185 000")
    c.drawText(t)
    c.drawImage(ImageReader(small_page(("Справка",))), 0, 0, width, height)
    c.showPage()
    c.save()
    assert forensics.edit_signs(path) == []


def test_forensics_are_gathered_within_a_size_cap(tmp_path: Path) -> None:
    facts = _facts(_pdf(tmp_path / "a.pdf", RUSSIAN), "application/pdf")
    gathered = forensics.gather(facts)
    assert gathered is not None and gathered.examined and gathered.signs == ()
    capped = forensics.gather(facts, max_bytes=10)
    assert capped is not None and not capped.examined and capped.reason and "MB" in capped.reason
    assert forensics.gather(facts.model_copy(update={"media_type": "image/png"})) is None


def test_progress_is_reported_per_page(tmp_path: Path) -> None:
    paths = []
    for i in range(3):
        paths.append(tmp_path / f"p{i}.png")
        small_page((f"Страница {i}",)).save(paths[-1], dpi=(300, 300))
    calls: list[tuple[int, int]] = []
    files = [_facts(p, "image/png") for p in paths]
    list(ocr.read_documents(files, CountingEngine(), progress=lambda done, total: calls.append((done, total))))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_a_page_that_kills_its_worker_costs_that_page_only(tmp_path: Path) -> None:
    # page 2 is slow, so it is still in flight when page 3 kills the other worker: page 2 must not be blamed
    path = tmp_path / "four.tiff"
    frames = [small_page((f"Страница {i}",)) for i in range(1, 5)]
    frames[0].save(path, save_all=True, append_images=frames[1:])
    calls: list[tuple[int, int]] = []
    ((_, pages, error),) = list(
        ocr.read_documents(
            [_facts(path, "image/tiff")],
            CrashingEngine(crash=3, slow=2),
            progress=lambda done, total: calls.append((done, total)),
        )
    )
    assert [p.number for p in pages] == [1, 2, 3, 4]
    assert [p.source for p in pages] == ["ocr", "ocr", "none", "ocr"]
    assert "worker stopped" in (pages[2].note or "")
    assert error is not None and error.startswith("page(s) 3 could not be read")
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_a_worker_holds_little_of_its_page_while_tesseract_runs(tmp_path: Path) -> None:
    # the colour page (26 MB at 300 dpi) and the analysis' temporaries are given back before OCR: on the
    # 200-page bench a worker held ~190 MB beside each Tesseract process, its heap's high-water mark
    path = tmp_path / "a4.png"
    document_page(100, height=3508).image.save(path, dpi=(300, 300))
    with ocr.page_pool(1) as pool:
        before, at_ocr = pool.submit(resident_at_ocr, str(path)).result()
    assert at_ocr - before < 64 << 20, f"the worker held {(at_ocr - before) >> 20} MiB more while OCR ran"


def test_pool_tasks_carry_a_path_and_a_page_number_not_pixels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a 300-dpi scanned page is ~26 MB of pixels: the pipe to a worker carries where the page is, not the page
    path = _pdf(tmp_path / "scan.pdf", None, small_page((RUSSIAN[:60],)))
    sent: list[int] = []

    class Recording(ProcessPoolExecutor):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            sent.append(len(pickle.dumps((fn, args, kwargs))))
            return super().submit(fn, *args, **kwargs)

    def recording_pool(workers: int) -> ProcessPoolExecutor:
        return Recording(max_workers=workers, mp_context=get_context("forkserver"))

    monkeypatch.setattr(ocr, "page_pool", recording_pool)
    facts = _facts(path, "application/pdf")
    out = list(ocr.read_documents([facts, facts], CountingEngine()))
    assert [pages[0].source for _, pages, _ in out] == ["ocr", "ocr"]
    assert len(sent) == 2 and max(sent) < 2048, sent


def test_clean_pdf_has_no_signs(tmp_path: Path) -> None:
    assert forensics.edit_signs(_pdf(tmp_path / "a.pdf", RUSSIAN)) == []


def test_scan007_finding_carries_page_and_box(tmp_path: Path) -> None:
    from intake.judgements import on_scans as scan
    from intake.models import Dossier, Outcome
    from tests.conftest import AT

    visible = _pdf(tmp_path / "v.pdf", "185 000", image=small_page(("Справка",)))
    facts = _facts(visible, "application/pdf")
    facts = facts.model_copy(update={"forensics": forensics.gather(facts)})
    dossier = Dossier(source="t", at=AT, kind=None, application=None, files=(facts,))
    (f,) = list(scan.pdf_editing(dossier))
    assert f.outcome is Outcome.FAILED and f.page == 1 and len(f.evidence["box"]) == 4


# --------------------------------------------------------------------------- scanner layers misread (real doc 08)


def test_scanner_layer_misread_letter_by_letter_is_unsound() -> None:
    lines = garbled(BODY)
    text = "\n".join(lines)
    # no mixed scripts, no digits inside words: the old checks found it sound
    tokens = [t for t in text.split() if sum(c.isalpha() for c in t) >= 3]
    assert not any(re.search(r"[А-Яа-я]", t) and re.search(r"[A-Za-z]", t) for t in tokens)
    why = ocr.layer_soundness(text)
    assert why is not None and "letter pairs" in why
    assert ocr.layer_soundness("\n".join(BODY)) is None  # the same text read right is sound


def test_scanner_layer_of_fragments_is_unsound() -> None:
    # real doc 28 (ABBYY FineReader over a security background): letters in one- and two-letter scraps
    fragments = "^ lq / >s О / ex s <c CQ < О CO Ql О LQ О ° Ш C 1 ° c T lu cl CQ LU 0 ® < со CL c < К CL Ш Si ST"
    why = ocr.layer_soundness(" ".join([fragments] * 2))
    assert why is not None and "fragments" in why


def test_misread_scanner_layer_is_ocred_and_the_page_read(tmp_path: Path) -> None:
    engine = ocr.TesseractEngine(workers=1)
    if engine.unavailable():
        pytest.skip(engine.unavailable() or "")
    misread = scanner_layer_pdf(tmp_path / "misread.pdf")
    pages, error = ocr.read_document(_facts(misread, "application/pdf"), engine)
    assert error is None and pages[0].source == "ocr"
    words = {w.text.strip(".,«»").casefold() for w in pages[0].words}
    assert {"справка", "услуги", "организация"} <= words
    sound = scanner_layer_pdf(tmp_path / "sound.pdf", misread=False)
    pages, _ = ocr.read_document(_facts(sound, "application/pdf"), CountingEngine())
    assert pages[0].source == "text-layer"  # a scanner layer read right stands for the page


def _append_picture(data: bytes, box: tuple[int, int, int, int]) -> bytes:
    """An incremental update (written by hand, as a registry's signing tool writes one) that appends to page 1
    a content stream drawing a small image at `box` (x, y, width, height in points): `q w 0 0 h x y cm /Stamp Do Q`."""
    import re as re_

    import pypdf
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    reader = pypdf.PdfReader(io.BytesIO(data))
    size = int(reader.trailer["/Size"])
    page_ref = reader.trailer["/Root"]["/Pages"].raw_get("/Kids")[0]
    page = page_ref.get_object()
    image_num, content_num = size, size + 1
    x, y, w, h = box
    content = f"q {w} 0 0 {h} {x} {y} cm /Stamp Do Q".encode()
    updated = DictionaryObject(page)
    updated[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents"), IndirectObject(content_num, 0, reader)])
    resources = DictionaryObject(page["/Resources"])
    xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()))
    xobjects[NameObject("/Stamp")] = IndirectObject(image_num, 0, reader)
    resources[NameObject("/XObject")] = xobjects
    updated[NameObject("/Resources")] = resources
    page_bytes = io.BytesIO()
    updated.write_to_stream(page_bytes)
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offsets: dict[int, int] = {}
    for num, body in (
        (page_ref.idnum, page_bytes.getvalue()),
        (image_num, b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray "
                    b"/BitsPerComponent 8 /Length 4 >>\nstream\n\x40\x40\x40\x40\nendstream"),
        (content_num, b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"),
    ):  # fmt: skip
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + body + b"\nendobj\n"
    prev = int(re_.findall(rb"startxref\s+(\d+)", data)[-1])
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n"
    for num in sorted(offsets):
        out += b"%d 1\n%010d 00000 n \n" % (num, offsets[num])
    root = reader.trailer.raw_get("/Root")
    out += b"trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        size + 2,
        root.idnum,
        prev,
        xref,
    )
    return bytes(out)


def test_a_stamp_appended_in_free_space_is_no_sign_over_text_it_is(tmp_path: Path) -> None:
    """Real doc 27: the registry's signing tool appends its e-signature stamp image in the bottom margin by an
    incremental update; the same update putting a picture over the text (a patch over a figure) is a sign."""
    data = _pdf(tmp_path / "a.pdf", RUSSIAN).read_bytes()  # the text line sits at y = height - 100
    margin = tmp_path / "stamped.pdf"
    margin.write_bytes(_append_picture(data, (220, 10, 196, 80)))
    assert margin.read_bytes().count(b"%%EOF") == 2
    assert forensics.edit_signs(margin) == []
    over = tmp_path / "patched.pdf"
    over.write_bytes(_append_picture(data, (60, int(A4[1]) - 104, 120, 16)))
    (sign,) = [s for s in forensics.edit_signs(over) if s.sign == "incremental_update"]
    assert sign.pages_changed == (1,)


def test_online_service_over_a_word_processor_is_no_sign(tmp_path: Path) -> None:
    """Real doc 21: a price list made in Word and compressed by ilovepdf; the same service over no authoring
    application, or its editor by name, is still a sign."""
    import pypdf

    src = _pdf(tmp_path / "a.pdf", RUSSIAN)

    def with_meta(name: str, meta: dict[str, str]) -> Path:
        writer = pypdf.PdfWriter(clone_from=str(src))
        writer.add_metadata(meta)
        out = tmp_path / name
        writer.write(out)
        return out

    word = with_meta("word.pdf", {"/Producer": "www.ilovepdf.com", "/Creator": "Microsoft® Word 2016"})
    assert [s.sign for s in forensics.edit_signs(word)] == []
    bare = with_meta("bare.pdf", {"/Producer": "www.ilovepdf.com", "/Creator": ""})
    assert [s.sign for s in forensics.edit_signs(bare)] == ["editor"]
    editor = with_meta("editor.pdf", {"/Producer": "Sejda PDF Editor", "/Creator": "Microsoft® Word 2016"})
    assert [s.sign for s in forensics.edit_signs(editor)] == ["editor"]


def test_pypdf_repairs_of_a_damaged_pdf_stay_out_of_the_output(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Real doc 31 (re-exported pages, dangling references) made pypdf log «Object 32 0 not defined.» 30 times on
    stderr during a check; a page whose contents object is missing does the same here."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf)
    pdf.drawString(100, 700, "Spravka")
    pdf.save()
    data = buf.getvalue()
    size = int(re.search(rb"/Size (\d+)", data).group(1))  # type: ignore[union-attr]
    contents = re.search(rb"/Contents (\d) 0 R", data)
    assert contents is not None and size < 10
    path = tmp_path / "dangling.pdf"
    path.write_bytes(data[: contents.start(1)] + str(size + 1).encode()[-1:] + data[contents.end(1) :])
    assert forensics.edit_signs(path) == []
    assert not [r for r in caplog.records if r.name.startswith("pypdf")], [r.getMessage() for r in caplog.records]
