"""Write `intake/data/letter_pairs.txt`: the letter pairs of Russian, Kazakh and English words.

    python scripts/letter_pairs.py

The words are Tesseract's own word lists (the `lstm-word-dawg` of the installed rus, kaz and eng
traineddata, Apache-2.0), unpacked with `combine_tessdata -u` and `dawg2wordlist`. A pair is kept when
at least `MIN_COUNT` distinct words hold it; `^` and `$` stand for the start and the end of a word.
`intake.ocr.layer_soundness` uses the table to tell a scanner's misread text layer («заседанпя»,
«дкцпонерпое») from real words (real doc 08).
"""

from __future__ import annotations

import itertools
import re
import subprocess
import tempfile
from collections import Counter
from pathlib import Path

TESSDATA = Path("/usr/share/tesseract-ocr/5/tessdata")
OUT = Path(__file__).resolve().parent.parent / "intake" / "data" / "letter_pairs.txt"
MIN_COUNT = 3


def main() -> int:
    pairs: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for lang in ("rus", "kaz", "eng"):
            prefix = f"{tmp}/{lang}."
            subprocess.run(["combine_tessdata", "-u", str(TESSDATA / f"{lang}.traineddata"), prefix], check=True,
                           capture_output=True)  # fmt: skip
            words = f"{tmp}/{lang}.words"
            subprocess.run(["dawg2wordlist", f"{prefix}lstm-unicharset", f"{prefix}lstm-word-dawg", words],
                           check=True, capture_output=True)  # fmt: skip
            seen = {w.strip().casefold() for w in Path(words).read_text(encoding="utf-8").splitlines()}
            for w in seen:
                if not re.fullmatch(r"[^\W\d_]+", w):
                    continue
                padded = f"^{w}$"
                for a, b in itertools.pairwise(padded):
                    pairs[a + b] += 1
    kept = sorted(p for p, n in pairs.items() if n >= MIN_COUNT)
    OUT.write_text("\n".join(kept) + "\n", encoding="utf-8")
    print(f"{len(kept)} letter pairs written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
