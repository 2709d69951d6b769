"""Evidence a clerk can check (`--evidence DIR`): a cropped PNG of the page behind each finding.

The one module that writes evidence files; the pipeline calls it after the checks. Crops show the
page as the gate saw it (`intake.ocr.page_image`), the finding's box in red and the seals and
signatures seen on the page (`PageText.marks`) in blue.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from intake import ocr
from intake.models import FileFacts, Finding, Outcome


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name).strip("_") or "file"


def write(findings: Sequence[Finding], files: Sequence[FileFacts], folder: Path) -> tuple[Finding, ...]:
    """Write a cropped PNG per failed or undecided finding that carries a page and a box.

    The crop is the page as the gate saw it (rendered at its dpi, turned upright and levelled), the
    box drawn in red with a margin around it, and the seals and signatures seen on that page in blue,
    named `<file>_p<page>_<code>_<n>.png`. Returns the findings with `evidence["crop"]` set to the
    written file. A page that cannot be rendered is skipped: the finding keeps its box and values.
    """
    from PIL import ImageDraw

    by_name = {f.name: f for f in files}
    folder.mkdir(parents=True, exist_ok=True)
    cache: dict[tuple[str, int], Image.Image | None] = {}
    counter: dict[tuple[str, int, str], int] = {}
    out: list[Finding] = []
    for fd in findings:
        box = fd.evidence.get("box") if fd.evidence else None
        facts = by_name.get(fd.document or "")
        if fd.outcome is Outcome.PASSED or fd.page is None or not box or facts is None:
            out.append(fd)
            continue
        page = next((p for p in facts.text if p.number == fd.page), None)
        key = (facts.name, fd.page)
        if key not in cache:
            try:
                cache.clear()  # one page image at a time
                cache[key] = ocr.page_image(facts.path, facts.media_type, page) if page is not None else None
            except Exception:
                cache[key] = None
        image = cache[key]
        if image is None:
            out.append(fd)
            continue
        x0, y0, x1, y1 = (int(v) for v in box)
        margin = max(150, (y1 - y0) // 4)
        crop_box = (
            max(0, x0 - margin),
            max(0, y0 - margin),
            min(image.width, x1 + margin),
            min(image.height, y1 + margin),
        )
        crop = image.crop(crop_box).convert("RGB")
        draw = ImageDraw.Draw(crop)
        boxes = [
            box,
            *fd.evidence.get("regions", []),
            *([fd.evidence["twin_box"]] if "twin_box" in fd.evidence else []),
        ]
        for b in boxes:
            draw.rectangle(
                (b[0] - crop_box[0] - 3, b[1] - crop_box[1] - 3, b[2] - crop_box[0] + 3, b[3] - crop_box[1] + 3),
                outline=(220, 0, 0),
                width=3,
            )
        for m in page.marks if page is not None else ():
            b = m.box
            draw.rectangle(
                (b[0] - crop_box[0], b[1] - crop_box[1], b[2] - crop_box[0], b[3] - crop_box[1]),
                outline=(0, 90, 220),
                width=2,
            )
        n = counter.get((facts.name, fd.page, fd.code), 0) + 1
        counter[(facts.name, fd.page, fd.code)] = n
        path = folder / f"{_safe(facts.name)}_p{fd.page}_{fd.code}_{n}.png"
        crop.save(path)
        out.append(fd.model_copy(update={"evidence": {**fd.evidence, "crop": str(path)}}))
    return tuple(out)
