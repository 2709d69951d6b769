"""intake.judgements.on_scans and intake.imaging on synthetic facts (no OCR): judgements, abbreviations, detectors."""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from intake import imaging, ocr
from intake.judgements import on_scans as scan
from intake.models import Dossier, FileFacts, Finding, ImageMeasures, Outcome, PageQuality, PageSign, PageText, Word
from tests.conftest import AT
from tests.factories import file_facts
from tests.pagegen import INK, PAPER, font


def _words(text: str, conf: float = 95.0) -> tuple[Word, ...]:
    out = []
    for line, row in enumerate(text.splitlines()):
        x = 10
        for t in row.split():
            out.append(Word(text=t, box=(x, 10 + 50 * line, x + 20 * len(t), 45 + 50 * line), conf=conf, line=line))
            x += 20 * len(t) + 15
    return tuple(out)


def _page(text: str = "", quality: PageQuality | None = None, source: str = "ocr", number: int = 1) -> PageText:
    return PageText(
        number=number,
        source=source,  # type: ignore[arg-type]
        text=text,
        words=_words(text),
        width=2480,
        height=3508,
        quality=quality,
    )


def _facts(*pages: PageText, error: str | None = None) -> FileFacts:
    return file_facts("doc.pdf", text=pages, text_error=error)


def _run(*pages: PageText, error: str | None = None) -> list[Finding]:
    dossier = Dossier(source="t", at=AT, kind=None, application=None, files=(_facts(*pages, error=error),))
    return [f for check in scan.CHECKS for f in check.run(dossier)]


IMG = ImageMeasures(sharpness=0.9, contrast=200.0, noise_rel=0.01, ink_share=0.03)
GOOD = {"words": 60, "conf_median": 95.0, "conf_mean": 93.0, "low60": 0.02, "text_height_px": 35.0}
BAD = {"words": 60, "conf_median": 40.0, "conf_mean": 40.0, "low60": 0.8, "text_height_px": 35.0}
GREY = {"words": 60, "conf_median": 75.0, "conf_mean": 72.0, "low60": 0.1, "text_height_px": 35.0}


def _q(verdict: str, **extra: Any) -> PageQuality:
    """Measures that `judge_page` judges as `verdict` (passed / review / failed)."""
    stats = {"passed": GOOD, "review": GREY, "failed": BAD}[verdict]
    image = extra.pop("image", IMG if verdict != "failed" else IMG.model_copy(update={"sharpness": 0.1}))
    return PageQuality(**stats, image=image, examined=verdict == "passed", **extra)  # type: ignore[arg-type]


def _open(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code and f.outcome is not Outcome.PASSED]


# --------------------------------------------------------------------------- legibility judgement


def _judge(stats: dict[str, Any], img: ImageMeasures = IMG, dpi: float | None = 300) -> tuple[str, list[str]]:
    return scan.judge_page(PageQuality(**stats, image=img, effective_dpi=dpi))


def test_judge_page_thresholds() -> None:
    assert _judge(GOOD)[0] == "passed"
    verdict, why = _judge({**GOOD, "conf_median": 75.0})
    assert verdict == "review" and "median 75" in why[0]
    verdict, why = _judge(BAD, IMG.model_copy(update={"sharpness": 0.1}))
    assert verdict == "failed" and "median 40" in why[0] and any("blurred" in w for w in why)
    few = {"words": 4, "conf_median": 90.0, "conf_mean": 90.0, "low60": 0.0, "text_height_px": 35.0}
    assert _judge(few)[0] == "review"
    verdict, why = _judge({**GOOD, "text_height_px": 6.0}, dpi=60)
    assert verdict == "review" and any("6 px" in w for w in why) and any("60 dpi" in w for w in why)


def test_a_low_dpi_page_read_plainly_passes() -> None:
    """Real doc 23 (a 590 px JPEG of an A4 report, ~68 dpi): 232 words at median 96, 11 % below 60: legible.
    The same resolution read less plainly still goes to a person."""
    plain = {"words": 232, "conf_median": 96.0, "conf_mean": 87.0, "low60": 0.11, "text_height_px": 14.0}
    assert _judge(plain, dpi=68)[0] == "passed"
    verdict, why = _judge({**plain, "conf_median": 86.0}, dpi=68)
    assert verdict == "review" and any("68 dpi" in w for w in why)
    assert _judge({**plain, "low60": 0.2}, dpi=68)[0] == "review"


def test_a_crisp_short_page_passes() -> None:
    """A sharp certificate of 19 words read with confidence is legible (issue 11: it went to review)."""
    short = {"words": 19, "conf_median": 93.0, "conf_mean": 91.0, "low60": 0.05, "text_height_px": 35.0}
    verdict, why = _judge(short)
    assert verdict == "passed" and "short page" in why[0]
    assert _judge(short, IMG.model_copy(update={"sharpness": 0.2}))[0] == "review"  # soft: a person judges
    assert _judge({**short, "conf_median": 70.0})[0] == "review"


def test_a_page_skipped_before_ocr_fails() -> None:
    q = PageQuality(image=IMG.model_copy(update={"noise_rel": 0.4}), ocr_skipped=True)
    verdict, why = scan.judge_page(q)
    assert verdict == "failed" and "noise" in why[0]


def test_failed_page_blocks_with_page_box_and_values() -> None:
    findings = _run(_page("СПРАВКА", _q("failed", image=IMG.model_copy(update={"sharpness": 0.1, "contrast": 60.0}))))
    (f,) = _open(findings, "SCAN001")
    assert f.outcome is Outcome.FAILED and f.severity.value == "blocking"
    assert f.page == 1 and f.evidence["box"] == [0, 0, 2480, 3508]
    assert f.evidence["sharpness"] == 0.1 and "word confidence" in f.message


def test_review_page_and_partially_illegible_lines() -> None:
    findings = _run(_page("СПРАВКА", _q("review")))
    (f,) = _open(findings, "SCAN002")
    assert f.severity.value == "review" and f.page == 1 and f.evidence["box"]
    region = PageSign(kind="illegible_line", box=(10, 400, 900, 440), values={"line_conf_mean": 31.0})
    findings = _run(_page("СПРАВКА", _q("passed", signs=(region,))))
    (f,) = _open(findings, "SCAN002")
    assert f.evidence["box"] == [10, 400, 900, 440] and "31.0" in f.message
    assert not _open(findings, "SCAN001")


def _form_line(rows: list[tuple[int, list[tuple[str, float, int, int]]]], sign_line: int) -> list[Finding]:
    """A page of `rows` (y, [(text, conf, x0, x1)]) whose line `sign_line` was located as illegible."""
    words = tuple(
        Word(text=t, box=(x0, y, x1, y + 34), conf=c, line=n) for n, (y, ws) in enumerate(rows) for t, c, x0, x1 in ws
    )
    located = [w for w in words if w.line == sign_line]
    box = (min(w.box[0] for w in located), located[0].box[1], max(w.box[2] for w in located), located[0].box[3])
    mean = round(sum(w.conf for w in located) / len(located), 1)
    sign = PageSign(
        kind="illegible_line", box=box, values={"line_conf_mean": mean}, words=tuple(w.text for w in located)
    )
    page = _page("", _q("passed", signs=(sign,))).model_copy(update={"words": words})
    return _open(_run(page), "SCAN002")


LABELS_28 = (
    340,
    [
        ("Окуу", 91, 114, 200),
        ("жайынын", 91, 210, 380),
        ("аталышы:", 88, 390, 560),
        ("Наименование", 97, 1800, 2080),
        ("учреждения", 97, 2090, 2300),
        ("образования:", 97, 2310, 2482),
    ],
)
STRAY = (371, [(",", 54, 389, 395), ("р", 84, 900, 915), ("7", 69, 2400, 2422)])
SCRIPT = (
    375,
    [
        ("ОУларалы", 17, 381, 560),
        ("ннобауиалыҚ", 38, 580, 820),
        ("ЧПетнологиялар", 0, 840, 1150),
        ("Междунафодный", 61, 1800, 2100),
        ("Иниоваунонныт", 43, 2120, 2420),
        ("ЧПетнолоия", 19, 2440, 2700),
    ],
)
PRINT = (498, [("Направление", 96, 1800, 2050), ("подготовки,", 86, 2060, 2300), ("переподготовки", 90, 2310, 2600)])


def test_script_entries_of_a_two_column_form_are_no_illegible_print() -> None:
    """Real doc 28 p9: the name written in a calligraphic script under the label line of both columns, a stray mark
    read as a line between them; p13: «Аталышы: <script> Наименование: <script>», both columns run into one line."""
    assert _form_line([LABELS_28, STRAY, SCRIPT, PRINT], 2) == []
    two = (
        583,
        [
            ("Аталышы:", 89, 253, 420),
            ("вы", 29, 430, 470),
            ("НИ", 0, 480, 530),
            ("амменовамие:", 36, 1800, 2050),
            ("Наименование:", 93, 2060, 2300),
            ("ЙО", 36, 2310, 2395),
        ],
    )
    assert _form_line([PRINT, two], 1) == []


def test_smudged_typed_line_under_print_is_still_illegible() -> None:
    """The same junk under a line of print that is no label (a paragraph's line), or with its label unread, is an
    illegible line of the document."""
    (f,) = _form_line([PRINT, STRAY, SCRIPT], 2)
    assert f.outcome is Outcome.FAILED and "partially illegible" in f.message
    unread = (
        583,
        [("Аталышы:", 55, 253, 420), ("вы", 29, 430, 470), ("НИ", 0, 480, 530), ("амменовамие:", 36, 1800, 2050)],
    )
    (f,) = _form_line([PRINT, unread], 1)
    assert f.outcome is Outcome.FAILED


def test_unread_pages_are_never_passed() -> None:
    page = PageText(number=1, source="none", note="Tesseract is not installed")
    findings = _run(page, error="page(s) 1 could not be read: Tesseract is not installed")
    for code in ("SCAN009", "SCAN001", "SCAN003", "SCAN004", "SCAN005", "SCAN006", "SCAN008"):
        got = [f for f in findings if f.code == code]
        assert got and all(f.outcome is Outcome.INDETERMINATE for f in got), code
        assert "Tesseract is not installed" in got[0].message


# --------------------------------------------------------------------------- alterations


def _region(kind: str, certified: bool, **values: float) -> PageSign:
    return PageSign(
        kind=kind,  # type: ignore[arg-type]
        box=(100, 200, 400, 206),
        values={"stroke_length_px": 300, "stroke_height_px": 6, "band": 0.5, **values},
        words=("декабря",),
        signature_nearby=certified,
        seal_nearby=certified,
    )


def test_strike_is_review_with_box_and_certified_is_undecided() -> None:
    findings = _run(_page("Справка", _q("passed", signs=(_region("strike_through", False),))))
    (f,) = _open(findings, "SCAN003")
    assert f.outcome is Outcome.FAILED and f.severity.value == "review"
    assert f.evidence["box"] == [100, 200, 400, 206] and f.page == 1
    findings = _run(_page("Справка", _q("passed", signs=(_region("strike_through", True),))))
    (f,) = _open(findings, "SCAN003")
    assert f.outcome is Outcome.INDETERMINATE and "possibly a certified correction" in f.message
    assert f.evidence["certified_nearby"] == {"signature": True, "seal": True}


def _struck_line(stroke_y: int, above: float, below: float) -> list[Finding]:
    """Real doc 06 p3: «Основание: заявление Дюсекеновой С.К.» read as «... Дюсе О ой ...», the box of «О» taken
    down over a photocopied seal's ring (to y 2096) that touches the letters' bottoms at y 2066-2069."""
    boxes = {
        "Основание:": (430, 2037, 626, 2070),
        "заявление": (640, 2047, 817, 2071),
        "Дюсе": (828, 2039, 919, 2079),
        "О": (954, 2051, 1022, 2096),
        "ой": (1029, 2040, 1069, 2081),
        "С.К.,": (1082, 2039, 1167, 2072),
        "трудовой": (1190, 2042, 1347, 2079),
        "от": (1512, 2047, 1552, 2072),
    }
    words = tuple(Word(text=t, box=b, conf=92.0, line=22) for t, b in boxes.items())
    values = {"stroke_length_px": 113.0, "stroke_height_px": 3.0, "band": 0.5, "ink_above": above, "ink_below": below}
    sign = PageSign(kind="strike_through", box=(893, stroke_y, 1006, stroke_y + 3), values=values, words=("Дюсе", "О"))
    page = _page("", _q("passed", signs=(sign,))).model_copy(update={"words": words, "text": " ".join(boxes)})
    return _open(_run(page), "SCAN003")


def test_stroke_at_the_foot_of_the_line_is_no_crossed_out_word() -> None:
    """Measured against the line's x-height and baseline, not the one word box OCR grew over a seal's ring."""
    assert _struck_line(2066, 0.3, 0.3) == []  # at 0.85 of the x-height band: the letters' foot
    (f,) = _struck_line(2057, 0.3, 0.3)  # through the middle of the letters: a strike
    assert f.outcome is Outcome.FAILED and f.evidence["box"] == [893, 2057, 1006, 2060]


def test_stroke_inside_the_letters_is_their_own_bars() -> None:
    """Real doc 28 p5: the bars of ө ө н ө merged by a soft copy; letter ink just above and below most of the
    stroke (0.8) where a pen's strike through print has it on a quarter of its length."""
    assert _struck_line(2057, 0.81, 0.8) == []
    assert len(_struck_line(2057, 0.25, 0.28)) == 1


def test_illegible_page_is_not_examined_for_alterations() -> None:
    findings = _run(_page("Справка", _q("failed")))
    for code in ("SCAN003", "SCAN004", "SCAN005", "SCAN006"):
        (f,) = [x for x in findings if x.code == code]
        assert f.outcome is Outcome.INDETERMINATE and "not examined" in f.message


def test_text_layer_pages_pass_the_alteration_checks() -> None:
    q = PageQuality(words=1, examined=True)
    findings = _run(_page("Справка", q, source="text-layer"))
    for code in ("SCAN003", "SCAN004", "SCAN005", "SCAN006"):
        assert [x.outcome for x in findings if x.code == code] == [Outcome.PASSED]


# --------------------------------------------------------------------------- abbreviations


def _abbr(text: str) -> list[Finding]:
    q = PageQuality(words=1, examined=True)
    return [f for f in _run(_page(text, q, source="text-layer")) if f.code == "SCAN008"]


def test_standard_abbreviations_pass() -> None:
    (f,) = _abbr("ТОО «Жанұя» БИН 180740012345 г. Алматы ул. Абая РК ИИН")
    assert f.outcome is Outcome.PASSED


def test_unexplained_abbreviations_are_listed() -> None:
    (f,) = _abbr("Выдана ОЦСО для предъявления\nзав. отделением Иванов")
    assert f.outcome is Outcome.FAILED
    assert set(f.evidence["abbreviations"]) == {"ОЦСО", "зав."}
    assert f.page == 1 and f.evidence["box"]


def test_abbreviations_finding_names_every_page_it_lists() -> None:
    """Real doc 28: «чел.» on p9 and p13, «ут.» on p2: the finding's evidence names all three pages (the eval
    counts the pages from it), its `page` stays the first."""
    q = PageQuality(words=1, examined=True)
    pages = [
        _page(text, q, source="text-layer", number=n)
        for n, text in ((2, "Выдана ОЦСО для предъявления"), (5, "Настоящая справка"), (9, "зав. отделением Иванов"))
    ]
    (f,) = [f for f in _run(*pages) if f.code == "SCAN008"]
    assert f.outcome is Outcome.FAILED and f.page == 2
    assert f.evidence["pages"] == [2, 9] and f.evidence["abbreviations"] == {"ОЦСО": [2], "зав.": [9]}


def test_expanded_abbreviations_pass() -> None:
    (f,) = _abbr("Областной центр социального обслуживания (ОЦСО) выдал справку. ОЦСО работает.")
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _abbr("Выдано ТСРК (технические средства реабилитации Казахстана) и ТСРК учтены")
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _abbr("Центр социальной реабилитации «Мейірім»\nЦСР «Мейірім»")
    assert f.outcome is Outcome.PASSED, f.message


def test_headings_roman_numerals_and_sentence_ends_are_not_abbreviations() -> None:
    (f,) = _abbr("УСТАВ\nГлава II. Общие положения\nСрок действия пять лет. и далее")
    assert f.outcome is Outcome.PASSED, f.message


def test_words_in_capitals_and_names_in_quotes_are_not_abbreviations() -> None:
    """Real pages (issue 11): «в ТОМ, что» upper-cased by OCR, names in capitals, names in quotes."""
    (f,) = _abbr("Настоящая справка выдана в ТОМ, что ТОО «НОВА ИНВЕСТ» зарегистрировано\nДиректор САУЛЕ Аскаровна")
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _abbr("Выдана ОЦСО по запросу АО «ПФ «СКБ Контур» ГБДЮЛ")
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ОЦСО"}, f.message


def test_abbreviations_are_judged_in_russian_and_kazakh_only() -> None:
    (f,) = _abbr("Certificate of registration ISIN KZ1C00000000 issued by NA GRT PROFIL LLP for the company")
    assert f.outcome is Outcome.PASSED and "Russian and Kazakh" in f.message
    (f,) = _abbr("Выдана организации ISIN KZ1C00000000 и PROFIL по запросу для предъявления")
    assert f.outcome is Outcome.PASSED, f.message  # Latin tokens inside Russian text are not judged


def _addition(purity: float, read_cover: float, beside: float = 0.0) -> PageSign:
    values = {"ink_px": 900.0, "width_px": 120.0, "height_px": 40.0, "purity": purity, "read_cover": read_cover}
    values["beside_print"] = beside
    return PageSign(kind="coloured_addition", box=(500, 600, 620, 640), values=values)


def test_coloured_addition_counts_pen_ink_only() -> None:
    """A postscript is pen ink running on from a typed line; black print scanned in colour (fringes: low
    purity) and pen ink on a line of its own (a letterhead's field, a registry note) are not."""
    for sign, flagged in (
        (_addition(0.9, 0.0, beside=2), True),
        (_addition(0.2, 0.0, beside=2), False),
        (_addition(0.9, 0.0), False),
        (_addition(0.9, 0.9, beside=3), True),
    ):
        findings = _open(_run(_page("Справка", _q("passed", signs=(sign,)))), "SCAN005")
        assert bool(findings) is flagged, sign.values
        if flagged:
            assert findings[0].evidence["purity"] == 0.9 and findings[0].evidence["box"] == [500, 600, 620, 640]


def test_pdf_editing_is_judged_from_gathered_facts() -> None:
    from intake.models import EditSign, PdfForensics

    facts = _facts(_page("Справка", _q("passed"), source="text-layer")).model_copy(
        update={"media_type": "application/pdf"}
    )
    dossier = Dossier(source="t", at=AT, kind=None, application=None, files=(facts,))
    (f,) = list(scan.pdf_editing(dossier))
    assert f.outcome is Outcome.INDETERMINATE  # not examined: never passed
    too_big = PdfForensics(examined=False, reason="the file is 90 MB, above the 64 MB examined")
    dossier = dossier.model_copy(update={"files": (facts.model_copy(update={"forensics": too_big}),)})
    (f,) = list(scan.pdf_editing(dossier))
    assert f.outcome is Outcome.INDETERMINATE and "90 MB" in f.message
    sign = EditSign(sign="editor", field="Producer", value="Nitro Pro", message="Producer is an editing tool", page=1)
    edited = PdfForensics(examined=True, signs=(sign,))
    dossier = dossier.model_copy(update={"files": (facts.model_copy(update={"forensics": edited}),)})
    (f,) = list(scan.pdf_editing(dossier))
    assert f.outcome is Outcome.FAILED and f.evidence["value"] == "Nitro Pro" and f.page == 1


# --------------------------------------------------------------------------- detectors on small images


def _line_image(underline: bool, strike: bool, white_paper: bool = False) -> tuple[np.ndarray[Any, Any], list[Word]]:
    fnt = font("DejaVuSerif.ttf", 46)
    paper = 255 if white_paper else PAPER
    img = Image.new("RGB", (1200, 160), (paper, paper, paper))
    d = ImageDraw.Draw(img)
    d.text((40, 40), "полустационара", font=fnt, fill=(INK, INK, INK))
    box = d.textbbox((40, 40), "полустационара", font=fnt)
    baseline = 40 + fnt.getmetrics()[0]
    if underline:
        d.line((40, baseline + 14, box[2], baseline + 14), fill=(INK, INK, INK), width=4)
    if strike:
        d.line((34, baseline - 12, box[2] + 6, baseline - 13), fill=(INK, INK, INK), width=5)
    d.text((box[2] + 40, 40), "____________", font=fnt, fill=(INK, INK, INK))
    rgb = np.asarray(img).astype(np.int16)
    rgb = rgb + np.random.default_rng(3).normal(0, 3, size=rgb.shape[:2]).astype(np.int16)[..., None]
    arr = np.clip(rgb, 0, 255).astype(np.uint8)
    words = [
        Word(text="полустационара", box=(box[0], box[1], box[2], box[3] + 10), conf=95),
        Word(text="____________", box=(box[2] + 40, baseline + 5, box[2] + 500, baseline + 12), conf=40),
    ]
    return arr, words


def test_strike_detector_ignores_underlines_and_form_lines() -> None:
    arr, words = _line_image(underline=True, strike=False)
    assert imaging.strike_throughs(imaging.analyse(arr, 300), words, 35.0) == []
    arr, words = _line_image(underline=False, strike=True)
    found = imaging.strike_throughs(imaging.analyse(arr, 300), words, 35.0)
    assert [r.words for r in found] == [("полустационара",)]


def test_whiteout_needs_paper_below_white() -> None:
    arr, words = _line_image(underline=False, strike=False, white_paper=True)
    arr = arr.copy()
    arr[40:100, 100:300] = 255
    assert imaging.whiteouts(imaging.analyse(arr, 300), words, 35.0) == []
    arr, words = _line_image(underline=False, strike=False)
    arr = arr.copy()
    arr[45:95, 100:300] = 252
    found = imaging.whiteouts(imaging.analyse(arr, 300), words, 35.0)
    assert found and found[0].values["patch_sd"] < 1.0


def test_identical_glyphs_only_where_the_paper_is_noisy() -> None:
    fnt = font("DejaVuSerif.ttf", 46)
    img = Image.new("L", (600, 120), 255)
    ImageDraw.Draw(img).text((20, 30), "2019 2025", font=fnt, fill=INK)
    clean = np.asarray(img.convert("RGB"))
    words = [Word(text="2019", box=(20, 30, 140, 90), conf=95), Word(text="2025", box=(160, 30, 300, 90), conf=95)]
    # a rendered page without noise: identical glyphs are normal and nothing is reported
    assert imaging.identical_glyphs(imaging.analyse(clean, 300), words, 35.0) == []
    noisy = np.clip(
        clean.astype(np.int16)
        + np.random.default_rng(1).normal(0, 4, size=clean.shape[:2]).astype(np.int16)[..., None],
        0,
        255,
    ).astype(np.uint8)
    assert imaging.identical_glyphs(imaging.analyse(noisy, 300), words, 35.0) == []
    pasted = noisy.copy()
    pasted[25:95, 240:270] = noisy[25:95, 20:50]  # the «2» of 2019 pasted over the «5»
    found = imaging.identical_glyphs(imaging.analyse(pasted, 300), words, 35.0)
    assert found and found[0].values["mean_abs_diff"] == 0.0


def test_short_junk_runs_are_not_illegible_lines() -> None:
    """A logo or a stamp's lettering read as junk (real docs 02, 06, 07) is no line of print."""
    junk = [Word(text=t, box=(10 + 60 * i, 10, 60 + 60 * i, 40), conf=20, line=0) for i, t in enumerate(("©Ж", "ЁБ"))]
    line = [
        Word(text=t, box=(10 + 150 * i, 60, 150 + 150 * i, 90), conf=25, line=1)
        for i, t in enumerate(("Настоящая", "справка", "выдана"))
    ]
    found = imaging.illegible_lines([*junk, *line])
    assert [s.box[1] for s in found] == [60] and found[0].values["line_conf_mean"] == 25.0


def _ocr_abbr(text: str, conf: float) -> list[Finding]:
    q = PageQuality(**GOOD, image=IMG, examined=True)
    page = _page(text, q).model_copy(update={"words": _words(text, conf)})
    return [f for f in _run(page) if f.code == "SCAN008"]


def test_abbreviations_of_real_pages_that_are_not_unexplained() -> None:
    """Real docs 17 (egov «КЕ АҚ» split by a space), 23 (OCR reads «ГПХ» as «ГИХ»), 29 (OCR's «ІМ» in a Russian
    text), 35 («лиц.» ending an item before «2.»)."""
    (f,) = _abbr("алынған «Азаматтарға арналған үкімет» мемлекеттік корпорациясы» КЕ АҚ электрондық қолтаңбасымен")
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _ocr_abbr("оплата по ГИХ договор услуг по уходу за животными", 88.0)
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _ocr_abbr("28 августа 2009 за государственным регистрационным ІМ номером", 84.0)
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _abbr("сведения о составе лиц.\n2. Отчет о деятельности организации")
    assert f.outcome is Outcome.PASSED, f.message


def test_abbreviations_still_caught_beside_those_exceptions() -> None:
    """A clearly read unexplained abbreviation, one that is no misreading, and «зав.» mid-sentence stay flagged."""
    (f,) = _ocr_abbr("оплата по ГИХ договор услуг по уходу за животными", 97.0)  # read surely: it is printed so
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ГИХ"}, f.message
    (f,) = _ocr_abbr("Выдана ОЦСО для предъявления по месту требования", 88.0)
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ОЦСО"}, f.message
    (f,) = _abbr("Осы анықтама берілді ҚҰЖ ұйымына арнаулы әлеуметтік қызметтер көрсету үшін")
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ҚҰЖ"}, f.message
    (f,) = _abbr("Выдана для предъявления\nзав. отделением Иванов")
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"зав."}, f.message


def test_two_capitals_read_unsurely_are_no_abbreviation() -> None:
    """Real doc 24: «Организационно-правовая форма» on a security background read «Орга НИ I | форма» (НИ at 93)."""
    (f,) = _ocr_abbr("Орга НИ I | форма собственности учреждения частная", 93.0)
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _ocr_abbr("Выдана по запросу ЦС для предъявления по месту требования", 97.0)  # read surely: printed so
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ЦС"}, f.message


# real doc 28 p13, a Kyrgyz|Russian spread: OCR reads both columns into one line, Kyrgyz ү as у
KYRGYZ = (
    "Окутуучулардын сапаты 70% кем эмес. качественный состав преподавательских кадров не менее 70%\n"
    "Керектуу окуу усулдук адабияттар менен камсыз болушу 100% кем эмес, Обеспеченность литературой\n"
)


def test_words_ending_a_sentence_and_misread_abbreviations_are_not_unexplained() -> None:
    """Real doc 28: «эмес.» (Kyrgyz «not») also written «эмес,»; «чел.» is standard; «ут.» is OCR's «ул.»."""
    (f,) = _abbr(KYRGYZ + "Предельный контингент обучающихся 200 чел. по очной форме")
    assert f.outcome is Outcome.PASSED, f.message
    (f,) = _ocr_abbr("Юридический адрес: г. Бишкек, ут. 1/17 Анкара и далее", 91.0)
    assert f.outcome is Outcome.PASSED, f.message


def test_abbreviations_beside_kyrgyz_text_are_still_caught() -> None:
    (f,) = _abbr(KYRGYZ + "Выдана для предъявления\nзав. отделением Иванов")
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"зав."}, f.message
    (f,) = _abbr("Окутуучулардын сапаты кем эмес. жана башка")  # never written without its period: judged
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"эмес."}, f.message
    (f,) = _ocr_abbr("Юридический адрес: г. Бишкек, ут. 1/17 Анкара и далее", 97.0)  # read surely: printed so
    assert f.outcome is Outcome.FAILED and set(f.evidence["abbreviations"]) == {"ут."}, f.message


def _line_words(texts: tuple[str, ...], y: int, conf: float = 25.0) -> list[Word]:
    out, x = [], 200
    for t in texts:
        out.append(Word(text=t, box=(x, y, x + 24 * len(t), y + 34), conf=conf, line=7))
        x += 24 * len(t) + 20
    return out


def test_form_captions_and_fill_ins_are_not_illegible_lines() -> None:
    """Real doc 30: the blank's small italic captions in parentheses under its fields read as junk; real doc 36:
    the date written in faint pen on the blank's rule. Neither is illegible print; the same junk free-standing is."""
    caption = _line_words(("(позмое", "мтимснованые", "соовалосятвтих", "докуменеами)"), 400)
    assert imaging.illegible_lines(caption) == []
    junk = _line_words(("позмое", "мтимснованые", "соовалосятвтих", "докуменеами"), 400)
    (line,) = imaging.illegible_lines(junk)
    assert line.values["line_conf_mean"] == 25.0 and line.words[0] == "позмое"
    body = [w for i in range(8) for w in _line_words(("Настоящая", "справка", "выдана"), 100 + 60 * i, 96.0)]
    body = [w.model_copy(update={"line": w.box[1]}) for w in body]
    image = Image.new("RGB", (1600, 1000), (PAPER, PAPER, PAPER))
    draw = ImageDraw.Draw(image)
    for w in body:
        draw.text((w.box[0], w.box[1]), w.text, font=font("DejaVuSerif.ttf", 30), fill=(INK, INK, INK))
    free = ocr.measure(imaging.analyse(image, 300), [*body, *junk], 300, 300.0, None)[0]
    assert [s.kind for s in free.signs if s.kind == "illegible_line"] == ["illegible_line"]
    draw.line((180, 436, 1300, 436), fill=(INK, INK, INK), width=3)  # the field's printed rule under the writing
    ruled = ocr.measure(imaging.analyse(image, 300), [*body, *junk], 300, 300.0, None)[0]
    assert [s for s in ruled.signs if s.kind == "illegible_line"] == []


def test_whiteout_is_whiter_than_the_paper_around_it() -> None:
    """Real doc 14 (yellowed paper with stains): a stretch of cleaner paper, flat and brighter than the page's
    median paper, is no correction fluid; a patch whiter than the paper right around it is."""
    arr, words = _line_image(underline=False, strike=False)
    arr = arr.astype(np.int16)
    arr[:, :, :] -= np.linspace(12, 0, arr.shape[1], dtype=np.int16)[None, :, None]  # yellowed towards the left
    rng = np.random.default_rng(3)
    bright = (slice(0, arr.shape[0]), slice(arr.shape[1] - 260, arr.shape[1]))  # the clean end of the sheet
    arr[bright] = np.where(arr[bright] < 150, arr[bright], 246 + rng.integers(0, 2, arr[bright].shape[:2])[..., None])
    stained = np.clip(arr, 0, 255).astype(np.uint8)
    assert imaging.whiteouts(imaging.analyse(stained, 300), words, 35.0) == []
    fluid = stained.copy()
    fluid[45:95, 100:300] = 252
    (found,) = imaging.whiteouts(imaging.analyse(fluid, 300), words, 35.0)
    assert found.values["patch_level"] >= found.values["paper_around"] + 6
