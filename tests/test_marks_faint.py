"""Signatures the detectors missed on real documents (issue 11, session 6), reproduced by `tests/pagegen.py`.

* grey-blue ballpoint ink too faint for the colour masks (real docs 08, 35): `imaging.faint_ink`, taken relative to
  the page's own print, looked at in a signatory's zone only (`marks.faint_signatures`);
* a Kazakh signatory's title («... ауылдық округінің әкімі», real doc 15) anchors the signature zone;
* a born-digital details card printing «Генеральный директор» and a name has no signature (real doc 16).
"""

from __future__ import annotations

import numpy as np
import pytest

from intake import details, imaging, marks
from intake.models import Mark, MarkKind, Word
from tests.pagegen import DETAILS_CARD_LINES, FAINT_PAGES, KK_SIGNATORY_LINES, Page, broken_tail_web_page, faint_page
from tests.realpages import words_page

DPI = 300.0
TH = 40.0


def _signatory(page: Page) -> list[Word]:
    """The signatory's line of a generated page as OCR words (one line)."""
    return [Word(text=t, box=page.words[t], conf=95.0, line=7) for t in ("Директор", "Сейтқали")]


def _detect(page: Page, words: list[Word]) -> list[Mark]:
    scan = imaging.analyse(page.image, DPI)
    zones = imaging.signature_zones(words, [], TH, scan.grey.shape[1])
    return [m for m in marks.detect(scan, words, zones, DPI, TH) if m.kind is MarkKind.SIGNATURE]


def test_every_faint_page_is_described() -> None:
    assert set(FAINT_PAGES) == {"signature_faint", "unsigned_faint_tint"}


def test_a_faint_grey_blue_signature_by_the_signatory_is_seen() -> None:
    """Real docs 08 and 35: a ballpoint signature at HSV saturation ~27 beside the signatory's line."""
    page = faint_page("signature_faint")
    assert page.signature is not None
    (signature,) = _detect(page, _signatory(page))
    assert imaging.overlap(signature.box, page.signature) > 0.6 * (
        (page.signature[2] - page.signature[0]) * (page.signature[3] - page.signature[1])
    )
    assert signature.score >= details.MARK_SCORE


def test_the_faint_signature_is_under_the_colour_masks() -> None:
    """What the fix is for: the colour blobs (S > 70) and the pale mask (S > 35) hold none of its ink."""
    page = faint_page("signature_faint")
    assert page.signature is not None
    scan = imaging.analyse(page.image, DPI)
    x0, y0, x1, y1 = (v // 2 for v in page.signature)
    assert not scan.colour_mask[y0:y1, x0:x1].any()
    assert scan.pale_mask is not None and not scan.pale_mask[y0:y1, x0:x1].any()
    assert scan.faint_mask is not None and scan.faint_mask[y0:y1, x0:x1].sum() > 0


def test_faint_ink_away_from_a_signatory_is_not_a_signature() -> None:
    """Faint blue is also paper tint and fringes of print: without a signatory's zone it is not looked at."""
    page = faint_page("signature_faint")
    assert _detect(page, []) == []


def test_a_tinted_unsigned_page_has_no_signature() -> None:
    page = faint_page("unsigned_faint_tint")
    assert _detect(page, _signatory(page)) == []


def test_faint_ink_is_taken_relative_to_the_print() -> None:
    """Pen ink at saturation 27 is ink beside black print (S 0) but not beside a blue-grey print of S 20."""
    rng = np.random.default_rng(1)
    for print_rgb, seen in (((40, 40, 40), True), ((52, 58, 66), False)):
        rgb = np.full((200, 200, 3), 236, np.uint8)
        rgb[20:60, 10:190] = print_rgb  # a block of print
        rgb[100:104, 20:180] = (170, 175, 190)  # a pen stroke, S ~27
        rgb = np.clip(rgb.astype(int) + rng.normal(0, 1, rgb.shape[:2])[..., None], 0, 255).astype(np.uint8)
        grey = imaging.to_grey(rgb)
        ink, _ = imaging.ink_mask(grey)
        mask = imaging.faint_ink(rgb, ink, 236.0)
        assert mask is not None
        assert bool(mask[50:52, 10:90].any()) is seen, print_rgb


def test_a_kazakh_signatory_title_anchors_the_signature_zone() -> None:
    """Real doc 15: «Ізгі ниетпен, ... ауылдық округінің әкімі А.Тестов»; an akimat's heading is no signatory."""
    page = words_page(KK_SIGNATORY_LINES, conf=90.0)
    zones = imaging.signature_zones(page.words, [], TH, 2480)
    last = [w for w in page.words if w.line == len(KK_SIGNATORY_LINES) - 1]
    assert zones and any(imaging.overlap(z, w.box) > 0 for z in zones for w in last)
    heading = words_page(["Тест ауданы әкімдігі", "Алғыс хат"], conf=90.0)
    assert imaging.signature_zones(heading.words, [], TH, 2480) == []


@pytest.mark.parametrize("title", ["директоры", "төрағасы", "басшысы", "меңгерушісі", "әкімі"])
def test_kazakh_signatory_titles_are_anchors(title: str) -> None:
    assert imaging.ANCHORS.search(f"Тест мекемесінің {title} А.Тестов")


@pytest.mark.parametrize(("line", "anchor"), [("Копия верна", True), ("ВЕРНО: секретарь", True),
                                             ("Достоверность сведений", False),
                                             ("Достоверность и полноту сведений подтверждаю.", True),
                                             ("Мәліметтердің дұрыстығын растаймын", True),
                                             ("Документ, подтверждающий должность", False)])  # fmt: skip
def test_a_copy_certification_or_a_declaration_anchors_and_a_word_containing_it_does_not(
    line: str, anchor: bool
) -> None:
    """Real doc 35: «Достоверность» held «верно» and opened the signature zone by accident; the zone is opened by the
    declaration «... подтверждаю» that always precedes the signatories."""
    assert bool(imaging.ANCHORS.search(line)) is anchor


def test_a_details_card_printing_a_title_has_no_signature() -> None:
    """Real doc 16: a born-digital «реквизиты» sheet ends with «Генеральный директор» and a name; printed words of a
    text layer are no signature (a pen or an EDS signs)."""
    found = {d.kind: d.value for d in details.extract([words_page(DETAILS_CARD_LINES)], document_type=None)}
    assert "signature" not in found
    assert found.get("issuer_name")  # the card is still read


def test_a_closing_formula_keeps_the_signatory_of_a_born_digital_letter() -> None:
    """The other side of the rule (`test_letter_closing_formula_before_the_signatory`): after «С уважением,» on the
    line before, the title is the letter's signature block."""
    lines = ["ООО «Тест»", "Исх. № 5 от 29.11.2023", "Текст письма.", "С уважением,", "Генеральный директор",
             "Тестова О.А."]  # fmt: skip
    found = {d.kind: d.value for d in details.extract([words_page(lines)], document_type=None)}
    assert "Генеральный директор" in found["signature"]


@pytest.mark.parametrize("seed", [5, 6])
def test_a_broken_pen_tail_leaving_a_seal_on_a_web_image_is_a_signature(seed: int) -> None:
    """Real doc 15 (~100 ppi): the pen's 1 px tail breaks where it leaves the ring and resumes 3 mm past it; a stroke
    taller than wide, running away from the ring, is the pen's (a flat piece of print beside the seal is not)."""
    page = broken_tail_web_page(seed)
    dpi = float(page.dpi)
    found = list(marks.detect(imaging.analyse(page.image, dpi), (), [], dpi, TH * dpi / 300))
    assert page.signature is not None
    assert [m.kind for m in found].count(MarkKind.SEAL) == 1
    signatures = [m for m in found if m.kind is MarkKind.SIGNATURE]
    assert len(signatures) == 1 and imaging.overlap(signatures[0].box, page.signature) > 0
