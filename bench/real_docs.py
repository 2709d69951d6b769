"""The required details (27.5) and the scan flags (27.3) measured on real documents.

    python bench/real_docs.py [--only 03,12] [--json FILE] [--set DIR]

The development set lives outside the project (`../shared/real-docs`, relative to the project
root): real documents from public sources with no licence grant, so they are never copied into the
project. When the folder is absent this script says so and exits 0.

Each file of the set is screened by the real pipeline, the code path of `intake check`: it is put
into a dossier (the application and attestations of `samples/organization-complete`, the file as
the first document, `01_constituent-documents_<P>p.<ext>`), gathered (text layer or real
Tesseract, the marks of the page detectors, the details), and checked. The figures compare the
report with the labels of `MANIFEST.tsv` (see the set's README):

* per detail kind, precision and recall of *presence*: a kind is present in the labels unless its
  column starts with `-` (`no` for the marks; `unclear` marks are left out);
* exact value: the date of issue against the labelled `= dd.mm.yyyy` (a `= mm.yyyy` label is
  matched on month and year); the number against the values printed in «» before the first `;`;
* the 27.3 flags (SCAN findings failed or indeterminate) raised per page without alterations, and
  what is raised on the pages whose handwritten additions are labelled;
* seconds per page (the whole check of that one-document dossier, divided by its pages);
* per document, a false refusal: a blocking DET finding that failed for a detail the document carries.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake.models import Outcome, Report, Severity  # noqa: E402
from intake.pipeline import Settings, check  # noqa: E402

# `../shared/real-docs` from the project root; a git worktree under `wt/` sits one level deeper.
SET = next(
    (p for p in (ROOT.parent / "shared" / "real-docs", ROOT.parent.parent / "shared" / "real-docs") if p.is_dir()),
    ROOT.parent / "shared" / "real-docs",
)
SAMPLE = ROOT / "samples" / "organization-complete"
KINDS = ("issuer_name", "issuer_address", "date", "number", "series", "validity", "signature", "seal")
COLUMN = {
    "issuer_name": "issuer_name",
    "issuer_address": "issuer_address",
    "date": "date_of_issue",
    "number": "number",
    "series": "series",
    "validity": "validity",
    "signature": "signature_mark",
    "seal": "seal_mark",
}
DET_KIND = {
    "DET001": "issuer_name",
    "DET002": "issuer_address",
    "DET003": "signature",
    "DET004": "date",
    "DET006": "validity",
}


# --------------------------------------------------------------------------- labels


def presence(row: dict[str, str], kind: str) -> bool | None:
    """Whether the labels say the document carries this detail; None when the label is unclear."""
    value = row[COLUMN[kind]].strip()
    if kind in ("signature", "seal"):
        if value.startswith("unclear"):
            return None
        return value.startswith("yes")
    return not value.startswith("-")


def labelled_date(row: dict[str, str]) -> str | None:
    """The labelled date of issue as ISO `yyyy-mm-dd`, or `yyyy-mm` for a month-and-year date."""
    text = row["date_of_issue"]
    if text.startswith("-"):
        return None
    if m := re.search(r"=\s*(\d{2})\.(\d{2})\.(\d{4})", text):
        return f"{m.group(3)}-{m.group(2)}-{m.group(1)}"
    if m := re.search(r"=\s*(\d{2})\.(\d{4})", text):
        return f"{m.group(2)}-{m.group(1)}"
    return None


def handwritten_date(row: dict[str, str]) -> bool:
    """Whether the labelled date of issue is written by hand (its day at least: «handwritten «05.02.2021г»»,
    «with day and month handwritten in the blanks»), with no typed copy of it («typed on p2»); a handwritten
    date elsewhere on the page (an incoming stamp's, after the `=`) does not count."""
    text = row["date_of_issue"]
    return "handwritten" in text.split("=")[0] and "typed" not in text


LEGIBILITY_CODES = frozenset({"SCAN001", "SCAN002", "SCAN009"})
"""The 27.3 flags about legibility; the others (crossed-out words, erasures, postscripts, pasted glyphs, edits,
abbreviations) are about alterations."""


def _norm(value: str) -> str:
    return re.sub(r"[\s№]", "", value).strip(".,;:").upper()


def labelled_numbers(row: dict[str, str]) -> set[str]:
    """The values the document's own number may take: tokens with a digit in «» before the first `;`."""
    text = row["number"]
    if text.startswith("-"):
        return set()
    first = text.split(";")[0]
    out: set[str] = set()
    for quoted in re.findall(r"«([^»]*)»", first):
        for token in re.findall(r"[0-9A-Za-zА-Яа-яЁё][\w\-/.]*", quoted):
            if re.search(r"\d", token):
                out.add(_norm(token))
        digits = re.sub(r"^[^\d]*№\s*", "", quoted)
        out.add(_norm(digits))
    return out


def altered_pages(row: dict[str, str]) -> set[int]:
    """The pages whose handwritten additions or marks are labelled (all pages when none is named)."""
    text = row["alterations"].strip()
    if text.startswith("none"):
        return set()
    pages: set[int] = set()
    for a, b in re.findall(r"\bp(\d+)(?:\s*-\s*p?(\d+))?", text):
        pages.update(range(int(a), int(b or a) + 1))
    return pages or set(range(1, int(row["pages"]) + 1))


# --------------------------------------------------------------------------- running


def _settings() -> Settings:
    args = json.loads((SAMPLE / "expected.json").read_text(encoding="utf-8"))["args"]
    trust = [args[i + 1] for i, a in enumerate(args) if a == "--trust"]
    crls = [ROOT / args[i + 1] for i, a in enumerate(args) if a == "--crl"]
    at = next(args[i + 1] for i, a in enumerate(args) if a == "--at")
    return Settings(at=datetime.fromisoformat(at), trust=tuple(str(ROOT / t) for t in trust), crls=tuple(crls))


def _dossier(real: Path, pages: int, into: Path) -> Path:
    """A dossier holding the sample's application and attestations and `real` as its first document."""
    into.mkdir()
    for name in ("application.json", "application.json.cms"):
        shutil.copy(SAMPLE / name, into / name)
    shutil.copytree(SAMPLE / "state", into / "state")
    ext = real.suffix.lower()
    target = into / f"01_constituent-documents_{pages}p{ext}"
    # A temporary copy outside the project (the reader refuses links), deleted after the run.
    shutil.copy(real, target)
    return target


def run_one(row: dict[str, str], real_set: Path, settings: Settings, work: Path) -> dict[str, Any]:
    real = real_set / row["file"]
    target = _dossier(real, int(row["pages"]), work / row["file"].split("_")[0])
    started = time.perf_counter()
    report: Report = check(target.parent, settings)
    seconds = time.perf_counter() - started
    entry = next(d for d in report.documents if d.file == target.name)
    details = {d.kind: {"value": d.value, "page": d.page, "confidence": d.confidence, "source": d.source}
               for d in entry.details}  # fmt: skip
    findings = [f for f in report.findings if f.document == target.name]
    det = [
        {"code": f.code, "outcome": f.outcome.value, "severity": f.severity.value, "page": f.page,
         "kind": (f.evidence or {}).get("kind") if isinstance(f.evidence, dict) else None, "message": f.message}
        for f in findings if f.code.startswith("DET")
    ]  # fmt: skip
    scan = [
        {
            "code": f.code,
            "outcome": f.outcome.value,
            "page": f.page,
            "message": f.message,
            "pages": (f.evidence or {}).get("pages") if isinstance(f.evidence, dict) else None,
        }
        for f in findings
        if f.code.startswith("SCAN") and f.outcome is not Outcome.PASSED
    ]
    refusals = []
    for f in findings:
        if not (f.code.startswith("DET") and f.outcome is Outcome.FAILED and f.severity is Severity.BLOCKING):
            continue
        kind = (f.evidence or {}).get("kind") if isinstance(f.evidence, dict) else None
        kind = kind or DET_KIND.get(f.code)
        carried = presence(row, kind) if kind in COLUMN else None
        refusals.append({"code": f.code, "kind": kind, "carried": carried, "message": f.message})
    return {
        "file": row["file"],
        "pages": int(row["pages"]),
        "seconds": seconds,
        "verdict": report.verdict.value,
        "text_source": entry.text_source,
        "details": details,
        "det": det,
        "scan": scan,
        "refusals": refusals,
    }


# --------------------------------------------------------------------------- scoring


def score(rows: list[dict[str, str]], results: list[dict[str, Any]]) -> dict[str, Any]:
    by_file = {r["file"]: r for r in rows}
    per_kind: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    dates = Counter[str]()
    by_hand = Counter[tuple[str, str]]()
    numbers = Counter[str]()
    misses: dict[str, list[str]] = {k: [] for k in KINDS}
    for res in results:
        row = by_file[res["file"]]
        short = res["file"].split("_")[0]
        for kind in KINDS:
            label = presence(row, kind)
            found = kind in res["details"]
            if label is None:
                continue
            c = per_kind[kind]
            c["tp" if label and found else "fp" if found else "fn" if label else "tn"] += 1
            if label != found:
                misses[kind].append(f"{short}:{'FP ' + res['details'][kind]['value'][:40] if found else 'FN'}")
        want = labelled_date(row)
        if want is not None:
            got = res["details"].get("date", {}).get("value")
            ok = got is not None and (got == want or (len(want) == 7 and got.startswith(want)))
            outcome = "right" if ok else "wrong" if got else "missing"
            dates[outcome] += 1
            # a date written only by hand (in a blank, on a letterhead's rule) is counted apart as well:
            # Tesseract's models read print, and cursive is beyond them (see `intake.fillins`)
            by_hand[("handwritten" if handwritten_date(row) else "printed", outcome)] += 1
            if not ok:
                misses["date"].append(f"{short}:value {got} != {want}")
        wanted = labelled_numbers(row)
        if wanted:
            got = res["details"].get("number", {}).get("value")
            ok = got is not None and _norm(got) in wanted
            numbers["right" if ok else "wrong" if got else "missing"] += 1
            if not ok and got:
                misses["number"].append(f"{short}:value {got} not in {sorted(wanted)[:3]}")
    total = Counter[str]()
    for c in per_kind.values():
        total.update(c)
    clean_pages = 0
    clean_flagged: set[tuple[str, int]] = set()
    clean_failed: set[tuple[str, int]] = set()
    flag_codes = Counter[str]()
    failed_codes = Counter[str]()
    handwritten: list[str] = []
    raised: dict[str, list[str]] = {"alteration": [], "legibility": []}
    refusals: list[str] = []
    for res in results:
        row = by_file[res["file"]]
        altered = altered_pages(row)
        pages = res["pages"]
        clean_pages += sum(1 for p in range(1, pages + 1) if p not in altered)
        for f in res["scan"]:
            page = f["page"]
            # a finding about several pages names them in its evidence (SCAN008 gives its first page as `page`
            # and every page it names as `pages`); one about the document, all its pages
            pages_hit = list(f.get("pages") or ([page] if page else range(1, pages + 1)))
            for p in pages_hit:
                if p in altered:
                    handwritten.append(f"{res['file'].split('_')[0]} p{p}: {f['code']} {f['outcome']}")
                    if f["outcome"] == "failed":
                        # a legibility flag on a page labelled poorly legible is not about its handwriting
                        about = "legibility" if f["code"] in LEGIBILITY_CODES else "alteration"
                        legibility = row["legibility"].split(" ")[0]
                        raised[about].append(f"{res['file'].split('_')[0]} p{p}: {f['code']} (legibility {legibility})")
                else:
                    clean_flagged.add((res["file"], p))
                    flag_codes[f["code"]] += 1
                    if f["outcome"] == "failed":
                        clean_failed.add((res["file"], p))
                        failed_codes[f["code"]] += 1
        for r in res["refusals"]:
            if r["carried"]:
                refusals.append(f"{res['file'].split('_')[0]}: {r['code']} ({r['kind']})")
    seconds = sum(r["seconds"] for r in results)
    pages = sum(r["pages"] for r in results)
    return {
        "kinds": {k: _pr(c) for k, c in per_kind.items()},
        "all": _pr(total),
        "dates": dict(dates),
        "dates_by_hand": {
            kind: {o: n for (k, o), n in sorted(by_hand.items()) if k == kind} for kind in ("printed", "handwritten")
        },
        "numbers": dict(numbers),
        "misses": misses,
        "clean_pages": clean_pages,
        "clean_pages_flagged": len(clean_flagged),
        "flag_codes": dict(flag_codes),
        "clean_pages_failed": len(clean_failed),
        "failed_codes": dict(failed_codes),
        "clean_flagged_pages": sorted(f"{n.split('_')[0]} p{p}" for n, p in clean_flagged),
        "handwritten": handwritten,
        "handwritten_failed": raised,
        "false_refusals": refusals,
        "documents_refused_wrongly": len({r.split(":")[0] for r in refusals}),
        "seconds_per_page": seconds / pages if pages else None,
        "pages": pages,
        "documents": len(results),
    }


def _pr(c: Counter[str]) -> dict[str, Any]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": c["tn"],
        "precision": tp / (tp + fp) if tp + fp else None,
        "recall": tp / (tp + fn) if tp + fn else None,
    }


def _f(x: float | None) -> str:
    return "  -  " if x is None else f"{x:.2f}"


def render(s: dict[str, Any]) -> str:
    out = [f"{s['documents']} documents, {s['pages']} pages", "", "kind            precision recall  tp fp fn"]
    for kind, pr in (*s["kinds"].items(), ("ALL", s["all"])):
        out.append(f"{kind:15} {_f(pr['precision']):>9} {_f(pr['recall']):>6} {pr['tp']:3} {pr['fp']:2} {pr['fn']:2}")
    d, n = s["dates"], s["numbers"]
    nd, nn = sum(d.values()), sum(n.values())
    out.append("")
    out.append(f"dates exact:   {d.get('right', 0)}/{nd} = {_f(d.get('right', 0) / nd if nd else None)}  {d}")
    for kind, c in s["dates_by_hand"].items():
        k = sum(c.values())
        out.append(f"  of which {kind}: {c.get('right', 0)}/{k} = {_f(c.get('right', 0) / k if k else None)}  {c}")
    out.append(f"numbers exact: {n.get('right', 0)}/{nn} = {_f(n.get('right', 0) / nn if nn else None)}  {n}")
    share = s["clean_pages_flagged"] / s["clean_pages"] if s["clean_pages"] else None
    out.append(
        f"27.3 flags: {s['clean_pages_flagged']} of {s['clean_pages']} pages without alterations "
        f"({_f(share)}); codes {s['flag_codes']}"
    )
    failed = s["clean_pages_failed"] / s["clean_pages"] if s["clean_pages"] else None
    out.append(
        f"  of which failed (a flag; the rest only undecided, indeterminate): {s['clean_pages_failed']} "
        f"({_f(failed)}); codes {s['failed_codes']}"
    )
    out.append(f"  pages: {', '.join(s['clean_flagged_pages'])}")
    out.append(f"on labelled handwritten pages: {s['handwritten'] or 'nothing'}")
    hand = s["handwritten_failed"]
    out.append(f"  failed there, alteration flags (SCAN003-008): {hand['alteration'] or 'none'}")
    out.append(f"  failed there, legibility flags (SCAN001/002/009): {hand['legibility'] or 'none'}")
    out.append(
        f"false refusals (blocking DET failed, detail carried): {s['documents_refused_wrongly']} documents "
        f"{s['false_refusals']}"
    )
    out.append(f"seconds per page: {_f(s['seconds_per_page'])}")
    out.append("")
    out.append("misses:")
    for kind, items in s["misses"].items():
        if items:
            out.append(f"  {kind}: {', '.join(items)}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", help="comma-separated file prefixes, e.g. 03,12")
    parser.add_argument("--json", type=Path, help="save per-document results and the figures here")
    parser.add_argument("--set", type=Path, default=SET, help="the development set (default ../shared/real-docs)")
    args = parser.parse_args(argv)
    manifest = args.set / "MANIFEST.tsv"
    if not manifest.is_file():
        print(f"no real-document set at {args.set}: nothing to evaluate")
        return 0
    with manifest.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    if args.only:
        wanted = {w.strip() for w in args.only.split(",")}
        rows = [r for r in rows if r["file"].split("_")[0] in wanted]
    settings = _settings()
    results = []
    with tempfile.TemporaryDirectory(prefix="real-docs-") as tmp:
        for row in rows:
            res = run_one(row, args.set, settings, Path(tmp))
            print(
                f"{row['file'][:48]:48} {res['pages']:2}p {res['seconds']:6.1f}s {res['verdict']:6} "
                f"{' '.join(sorted(res['details']))}",
                file=sys.stderr,
                flush=True,
            )
            results.append(res)
    figures = score(rows, results)
    print(render(figures))
    if args.json:
        args.json.write_text(
            json.dumps({"figures": figures, "documents": results}, ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
