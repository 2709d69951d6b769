"""The clerk's web pages: how fast the dossier page renders and how fast a big upload is accepted.

    python bench/bench_web.py            # prints the figures; no timing is asserted anywhere

1. The dossier page of a 30-page dossier, after screening (page images made during screening and kept):
   median of 20 GET /cases/{id} through a real uvicorn on loopback (target <= 300 ms); beside it, the
   self-contained HTML report of the same dossier (reports.render_html, the pre-web baseline).
2. A 50 MB zip uploaded through the page's endpoint (POST /upload, the script's XHR path) on loopback,
   until the answer names the case (target <= 2 s); beside it, the API's POST /api/v1/dossiers of the
   same bytes (the issue-13 baseline). The queue is Dramatiq's StubBroker: only the acceptance is timed.
"""

from __future__ import annotations

import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn
from dramatiq.brokers.stub import StubBroker
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intake import reports  # noqa: E402
from intake.models import Report  # noqa: E402
from intake.service.api import create_app  # noqa: E402
from intake.service.casework import Case, Casework, store_pages  # noqa: E402
from intake.service.jobs import CheckOptions, check_with_pages  # noqa: E402
from intake.service.store import Job, Store  # noqa: E402
from intake.service.web import WebSettings  # noqa: E402

SAMPLE = ROOT / "samples" / "organization-missing-document"
PASSWORD = "bench password"
AT = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)


def thirty_pages(target: Path) -> Path:
    """The sample with its constituent documents made 30 pages long (the sample's pages repeated)."""
    pdfs = sorted(SAMPLE.glob("*.pdf"))
    writer = PdfWriter()
    while len(writer.pages) < 30:
        for pdf in pdfs:
            for page in PdfReader(pdf).pages:
                if len(writer.pages) < 30:
                    writer.add_page(page)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(SAMPLE.rglob("*")):
            if not path.is_file() or path.name == "expected.json":
                continue
            name = path.relative_to(SAMPLE).as_posix()
            if name == "01_constituent-documents_2p.pdf":
                buffer = io.BytesIO()
                writer.write(buffer)
                archive.writestr("01_constituent-documents_30p.pdf", buffer.getvalue())
            else:
                archive.write(path, name)
    return target


def big_zip(size: int) -> bytes:
    """An application and one incompressible 'scan' of `size` bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.write(SAMPLE / "application.json", "application.json")
        archive.writestr("02_scan_1p.pdf", os.urandom(size))
    return buffer.getvalue()


class Served:
    def __init__(self, app: object) -> None:
        with socket_port() as port:
            self.port = port
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))  # type: ignore[arg-type]
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.05)
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


class socket_port:  # noqa: N801 - a tiny context manager
    def __enter__(self) -> int:
        import socket

        self.s = socket.socket()
        self.s.bind(("127.0.0.1", 0))
        return int(self.s.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self.s.close()


def curl(url: str, *args: str, expect: int) -> float:
    """Seconds until the answer, from curl's own clock (connect to last byte)."""
    out = subprocess.run(
        ["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code} %{time_total}", *args, url],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.split()  # fmt: skip
    assert int(out[0]) in (expect, 200), out
    return float(out[1])


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="intake-bench-web-") as tmp:
        folder = Path(tmp)
        store = Store.open(f"sqlite:///{folder / 'intake.db'}")
        store.migrate()
        work = Casework(store)
        work.add_user("clerk", PASSWORD, role="clerk", body="bench", region="Almaty", at=AT)
        token = store.add_token("bench", ["submit", "read"], AT)
        broker = StubBroker()
        broker.declare_queue("intake")
        app = create_app(store, broker=broker, web=WebSettings(secret="b" * 40, max_upload=200 * 2**20, no_ocr=True))
        dossier = thirty_pages(folder / "thirty.zip")
        started = time.perf_counter()
        report, pages = check_with_pages(dossier, CheckOptions(at=AT, no_ocr=True), pages=30)
        screening = time.perf_counter() - started
        total_pages = sum(d.pages or 0 for d in report.documents if d.role.value == "document")
        with Served(app) as base, httpx.Client(base_url=base, timeout=60) as c:
            csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
            assert csrf
            c.post("/login", data={"name": "clerk", "password": PASSWORD, "csrf": csrf.group(1)})
            csrf_token = re.search(r'name="csrf-token" content="([^"]+)"', c.get("/upload").text)
            assert csrf_token
            headers = {"X-CSRF-Token": csrf_token.group(1), "Accept": "application/json"}
            answer = c.post("/upload", files=[("files", ("thirty.zip", dossier.read_bytes()))], headers=headers)
            cid = answer.json()["case"]
            with store.session() as s:
                case = s.get(Case, cid)
                assert case is not None
                job = s.get(Job, case.job_id)
                assert job is not None
                jid, content, settings = job.id, job.content_hash, job.settings_hash
            store_pages(store, jid, pages)
            store.record_screening(
                job_id=jid, content_hash=content, settings_hash=settings, settings={},
                report=report.model_dump(mode="json"), started_at=AT, finished_at=AT,
            )  # fmt: skip
            c.get(f"/cases/{cid}")  # warm: templates compiled, catalogs read
            page_times = []
            for _ in range(20):
                t = time.perf_counter()
                r = c.get(f"/cases/{cid}")
                page_times.append(time.perf_counter() - t)
                assert r.status_code == 200
            images = r.text.count("/image?file=")
            stored = Report.model_validate(report.model_dump(mode="json"))
            html_times = []
            for _ in range(5):
                t = time.perf_counter()
                reports.render_html(stored, "ru", pages)
                html_times.append(time.perf_counter() - t)

            data = big_zip(50 * 2**20)
            big = folder / "big.zip"
            big.write_bytes(data)
            cookie = f"intake_session={c.cookies.get('intake_session')}"
            web_times, api_times = [], []
            for _ in range(3):  # curl in its own process: the client does not share the server's interpreter
                web_times.append(curl(base + "/upload", "-F", f"files=@{big};type=application/zip",
                                      "-H", f"X-CSRF-Token: {csrf_token.group(1)}", "-H", "Accept: application/json",
                                      "-H", f"Cookie: {cookie}", expect=201))  # fmt: skip
                api_times.append(curl(base + "/api/v1/dossiers", "-F", f"file=@{big};type=application/zip",
                                      "-H", f"Authorization: Bearer {token}", expect=202))  # fmt: skip
        page_ms = statistics.median(page_times) * 1000
        html_ms = statistics.median(html_times) * 1000
        web_s, api_s = statistics.median(web_times), statistics.median(api_times)
        print(f"dossier: {total_pages} document pages, {len(pages)} page images, screening {screening:.1f} s (no OCR)")
        print(f"dossier page GET /cases/{{id}}: median {page_ms:.0f} ms of 20 ({images} page images linked); "
              f"target <= 300 ms")  # fmt: skip
        print(f"baseline render_html (inline images): median {html_ms:.0f} ms; ratio page/baseline "
              f"{page_ms / html_ms:.2f}")  # fmt: skip
        print(f"upload of {len(data) / 2**20:.0f} MB: web POST /upload median {web_s:.2f} s; target <= 2 s")
        print(f"baseline API POST /api/v1/dossiers median {api_s:.2f} s; ratio web/API {web_s / api_s:.2f}")


if __name__ == "__main__":
    main()
