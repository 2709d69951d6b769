"""OCR and scan checks against plain Tesseract, on the same rasterised pages, in one run.

    python bench/bench_ocr.py [--pages 6] [--memory-pages 200] [--skip-memory | --memory-only]

1. Whole pipeline per scanned page on one core: per page, interleaved, `tesseract page.png - -l
   rus+kaz+eng --psm 3 tsv` (OMP_THREAD_LIMIT=1) against what the pipeline does with the page (read:
   deskew, colour dropout, OCR, measures, marks and signs; details; the scan checks), with Tesseract
   run as a process per page (`TesseractEngine`) and, when `tesserocr` is installed, in process
   (`TesserocrEngine`). Wall time and CPU time (self + children) are both shown: the CPU ratio does not
   move when other processes share the machine, the wall ratio does.
2. Speed-up from two cores: the same pages through the pool with 1 and with 2 workers.
3. Pages with a sound text layer skip OCR: a born-digital PDF of the same length.
4. Peak memory for a long scanned PDF (default 200 pages, 300 dpi images): the sum of the RSS of
   this process and all its children (workers, tesseract), sampled every 50 ms from /proc.

The machine's load average is printed first: figures taken on a busy machine are noisy.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake import ocr  # noqa: E402
from intake.models import FileFacts  # noqa: E402
from tests.pagegen import document_page  # noqa: E402


def _facts(path: Path, media_type: str) -> FileFacts:
    with path.open("rb") as fh:  # hashed as the pipeline hashes it, in chunks: not the whole file in memory
        digest = hashlib.file_digest(fh, "sha256").hexdigest()
    return FileFacts(
        name=path.name,
        path=path,
        size=path.stat().st_size,
        sha256=digest,
        extension=path.suffix.lstrip("."),
        media_type=media_type,
    )


def _cpu() -> float:
    s = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def _pages(folder: Path, count: int) -> list[Path]:
    """Full A4 pages at 300 dpi (2480×3508), Russian and Kazakh text, seal and signature, scanner noise."""
    out = []
    for i in range(count):
        page = document_page(100 + i, height=3508)
        path = folder / f"page{i + 1:03d}.png"
        page.image.save(path, dpi=(300, 300))
        out.append(path)
    return out


def _baseline(path: Path) -> None:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    subprocess.run(
        ["tesseract", str(path), "-", "-l", ocr.LANGUAGES, "--psm", "3", "tsv"],
        capture_output=True,
        check=True,
        env=env,
    )


def _pipeline(path: Path, engine: ocr.OcrEngine) -> None:
    """What the pipeline does with one scanned page: read it (deskew, dropout, OCR, measures, marks), gather
    the file's facts, extract the details and run the scan checks."""
    from datetime import UTC, datetime

    from intake import details, forensics
    from intake.judgements import on_scans
    from intake.models import Dossier

    facts = _facts(path, "image/png")
    ((_, pages, error),) = list(ocr.read_documents([facts], engine))
    facts = facts.model_copy(update={"text": pages, "text_error": error, "forensics": forensics.gather(facts)})
    extra = {"signed_with_eds": False} if "signed_with_eds" in inspect.signature(details.extract).parameters else {}
    facts = facts.model_copy(update={"details": details.extract(pages, document_type=None, **extra)})
    dossier = Dossier(source="bench", at=datetime(2026, 1, 1, tzinfo=UTC), kind=None, application=None, files=(facts,))
    for check in on_scans.CHECKS:
        list(check.run(dossier))


def overhead(paths: list[Path]) -> None:
    engines: dict[str, ocr.OcrEngine] = {"cli": ocr.TesseractEngine(workers=1)}
    if ocr.TesserocrEngine().unavailable() is None:
        engines["api"] = ocr.TesserocrEngine(workers=1)
    base_wall = base_cpu = 0.0
    wall = dict.fromkeys(engines, 0.0)
    cpu = dict.fromkeys(engines, 0.0)
    for path in paths:  # interleaved, so a change in the machine's load touches every column alike
        t, c = time.perf_counter(), _cpu()
        _baseline(path)
        base_wall += time.perf_counter() - t
        base_cpu += _cpu() - c
        for name, engine in engines.items():
            t, c = time.perf_counter(), _cpu()
            _pipeline(path, engine)
            wall[name] += time.perf_counter() - t
            cpu[name] += _cpu() - c
    n = len(paths)
    print(f"1. one core, {n} pages (A4, 300 dpi, {ocr.LANGUAGES}), per page:")
    print(f"   plain tesseract CLI                 wall {base_wall / n:6.2f} s   cpu {base_cpu / n:6.2f} s")
    for name in engines:
        label = "intake pipeline, tesseract per page" if name == "cli" else "intake pipeline, tesserocr in process"
        print(f"   {label} wall {wall[name] / n:6.2f} s   cpu {cpu[name] / n:6.2f} s")
        print(
            f"   ratio to plain tesseract ({name})     wall {wall[name] / base_wall:6.2f} x   "
            f"cpu {cpu[name] / base_cpu:6.2f} x  (aim <= 1.3)"
        )


def speedup(paths: list[Path]) -> None:
    facts = [_facts(p, "image/png") for p in paths]
    times = {}
    for workers in (1, 2):
        t = time.perf_counter()
        list(ocr.read_documents(facts, ocr.TesseractEngine(workers=workers)))
        times[workers] = time.perf_counter() - t
    print(f"2. {len(paths)} pages through the pool: 1 worker {times[1]:.1f} s, 2 workers {times[2]:.1f} s")
    print(f"   speed-up from two cores {times[1] / times[2]:.2f} x  (aim >= 1.8)")


def text_layer(folder: Path, count: int) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from tests.pagegen import BODY, FONTS

    pdfmetrics.registerFont(TTFont("DejaVu", str(FONTS / "DejaVuSerif.ttf")))
    path = folder / "born-digital.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(count):
        t = c.beginText(60, 780)
        t.setFont("DejaVu", 11)
        for line in BODY:
            t.textLine(line)
        c.drawText(t)
        c.showPage()
    c.save()
    t0 = time.perf_counter()
    ((_, pages, _),) = list(ocr.read_documents([_facts(path, "application/pdf")], ocr.TesseractEngine()))
    wall = time.perf_counter() - t0
    layer = sum(p.source == "text-layer" for p in pages)
    print(
        f"3. born-digital PDF, {count} pages: {layer} read from the text layer, {count - layer} OCR'd, "
        f"{wall / count * 1000:.0f} ms per page"
    )


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (/proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        out.append(p)
        stack.extend(children.get(p, []))
    return out


def _role(pid: int, root: int) -> str:
    """What a process of the reading tree is: the reader itself, the forkserver, a pool worker, tesseract, ..."""
    if pid == root:
        return "reader"
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        ppid = 0
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return "other"
    if "tesseract" in cmd.split(" ", 1)[0]:
        return "tesseract"
    if "forkserver" in cmd and ppid == root:
        return "forkserver"
    if "resource_tracker" in cmd:
        return "resource-tracker"
    return "worker" if "python" in cmd.split(" ", 1)[0] else "other"


def _tree_memory(pid: int) -> tuple[int, int, dict[str, tuple[int, int, int]]]:
    """(PSS, RSS) in bytes summed over the tree, and per role (count, PSS, anonymous PSS): PSS shares a page
    among the processes that map it (the honest sum); RSS counts shared pages (libraries, forked memory) once
    per process (an upper bound). Forkserver children are found through the reader's tree (the forkserver
    is the reader's child, the workers are the forkserver's)."""
    pss = rss = 0
    roles: dict[str, tuple[int, int, int]] = {}
    for p in _tree(pid):
        one = anon = 0
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        one = int(line.split()[1]) * 1024
                    elif line.startswith("Pss_Anon:"):
                        anon = int(line.split()[1]) * 1024
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
        except OSError:
            continue
        pss += one
        role = _role(p, pid)
        n, total, total_anon = roles.get(role, (0, 0, 0))
        roles[role] = (n + 1, total + one, total_anon + anon)
    return pss, rss, roles


def memory(folder: Path, count: int, paths: list[Path]) -> None:
    from PIL import Image

    pdf = folder / "scanned.pdf"
    images = [Image.open(p).convert("RGB") for p in paths[:4]]
    images[0].save(
        pdf,
        save_all=True,
        append_images=[images[(i + 1) % len(images)] for i in range(count - 1)],
        resolution=300.0,
        quality=85,
    )
    del images
    peak_pss = peak_rss = 0
    at_peak: dict[str, tuple[int, int, int]] = {}
    role_peak: dict[str, int] = {}
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak_pss, peak_rss, at_peak
        while not stop.is_set():
            pss, rss, roles = _tree_memory(child_pid)
            if pss > peak_pss:
                peak_pss, at_peak = pss, roles
            peak_rss = max(peak_rss, rss)
            for role, (_, one, _) in roles.items():
                role_peak[role] = max(role_peak.get(role, 0), one)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    t = time.perf_counter()
    # the dossier is read in a fresh process (as `intake check` would), this one only watches its tree
    child = subprocess.Popen([sys.executable, __file__, "--read", str(pdf)], stdout=subprocess.PIPE, text=True)
    child_pid = child.pid
    sampler.start()
    out, _ = child.communicate()
    wall = time.perf_counter() - t
    stop.set()
    sampler.join()
    ocred, error = int(out.split()[0]), " ".join(out.split()[1:])
    print(
        f"4. scanned PDF of {count} pages ({pdf.stat().st_size / 1e6:.0f} MB): {ocred} pages OCR'd in {wall:.0f} s "
        f"({wall / count:.2f} s/page, {os.cpu_count()} workers){' error: ' + error if error else ''}"
    )
    print(
        f"   peak memory of the reading process tree: PSS {peak_pss / 2**20:.0f} MB (aim < 500 MB), RSS sum "
        f"{peak_rss / 2**20:.0f} MB (shared pages counted once per process)"
    )
    print("   at the peak, per kind of process (count, PSS, of which anonymous; the kind's own peak):")
    for role, (n, one, anon) in sorted(at_peak.items(), key=lambda kv: -kv[1][1]):
        print(
            f"     {role:<17} x{n:<2} PSS {one / 2**20:5.0f} MB  anon {anon / 2**20:5.0f} MB"
            f"   (own peak {role_peak.get(role, 0) / 2**20:.0f} MB)"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--memory-pages", type=int, default=200)
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--memory-only", action="store_true", help="part 4 only")
    parser.add_argument("--read", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.read is not None:  # the child of the memory run
        ((_, pages, error),) = list(ocr.read_documents([_facts(args.read, "application/pdf")], ocr.TesseractEngine()))
        print(sum(p.source == "ocr" for p in pages), error or "")
        return 0
    if why := ocr.TesseractEngine().unavailable():
        print(f"Tesseract unavailable: {why}")
        return 1
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; tesseract "
        + subprocess.run(["tesseract", "--version"], capture_output=True, text=True, check=False).stdout.split()[1]
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = _pages(folder, max(args.pages, 4))
        if not args.memory_only:
            overhead(paths[: args.pages])
            speedup(paths[: args.pages])
            text_layer(folder, args.pages)
        if not args.skip_memory:
            memory(folder, args.memory_pages, paths)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
