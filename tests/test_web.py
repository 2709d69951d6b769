"""The clerk's web pages in process (FastAPI TestClient): sign-in, CSRF, rate limit, headers, bodies,
bad uploads, review, status transitions, audit log, notice. The browser run is tests/test_browser.py.

The queue is Dramatiq's StubBroker (nothing consumes it); a screening is stored as the worker stores it,
from a real run of the pipeline over a sample (without OCR, once per module).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dramatiq.brokers.stub import StubBroker
from sqlalchemy import select

from intake.filing.walking import Limits
from intake.i18n import texts
from intake.service.api import create_app
from intake.service.casework import Case, Casework, store_pages
from intake.service.jobs import CheckOptions, check_with_pages
from intake.service.store import Job, Store
from intake.service.web import BadUpload, WebSettings, check_archive

with warnings.catch_warnings():  # Starlette's TestClient warns that it will move from httpx to httpx2
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "organization-missing-document"
PASSWORD = "password one"
T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)


def sample_zip(folder: Path = SAMPLE, skip: tuple[str, ...] = ("expected.json",)) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name not in skip:
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class Site:
    def __init__(self, store: Store, clock: Clock, tmp: Path) -> None:
        self.store = store
        self.clock = clock
        self.tmp = tmp
        self.work = Casework(store)
        self.broker = StubBroker()
        self.broker.declare_queue("intake")
        settings = WebSettings(secret="s" * 40, max_upload=3 * 1024 * 1024, no_ocr=True)
        self.app = create_app(store, broker=self.broker, web=settings, clock=clock)

    def client(self, name: str | None = None) -> TestClient:
        c = TestClient(self.app)
        if name:
            answer = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": token(c, "/login")})
            assert answer.status_code == 200 and answer.url.path == "/", answer.text
        return c

    def upload(self, c: TestClient, data: bytes, name: str = "dossier.zip") -> Any:
        return c.post(
            "/upload",
            files=[("files", (name, data, "application/zip"))],
            headers={"X-CSRF-Token": token(c, "/upload"), "Accept": "application/json"},
        )

    def blobs(self) -> list[Path]:
        return [p for p in self.store.blobs.root.rglob("*") if p.is_file()] if self.store.blobs.root.exists() else []


def token(c: TestClient, path: str) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', c.get(path).text)
    assert found
    return found.group(1)


@pytest.fixture(scope="module")
def accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with three accounts of two bodies, made once (argon2 is slow on purpose)."""
    db = tmp_path_factory.mktemp("accounts") / "intake.db"
    store = Store.open(f"sqlite:///{db}")
    store.migrate()
    work = Casework(store)
    for name, role, body in (("ann", "clerk", "Almaty"), ("sam", "supervisor", "Almaty"), ("bob", "clerk", "Astana")):
        work.add_user(name, PASSWORD, role=role, body=body, region=body, at=T0)
    store.engine.dispose()  # checkpoints the WAL into the file
    return db


@pytest.fixture
def site(tmp_path: Path, accounts: Path) -> Iterator[Site]:
    shutil.copyfile(accounts, tmp_path / "intake.db")
    store = Store.open(f"sqlite:///{tmp_path / 'intake.db'}")
    yield Site(store, Clock(), tmp_path)
    store.engine.dispose()


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], tuple[Any, ...]]]:
    """The report and page images of the sample, from the pipeline (no OCR), once."""
    folder = tmp_path_factory.mktemp("sample")
    path = folder / "d.zip"
    path.write_bytes(sample_zip())
    report, pages = check_with_pages(path, CheckOptions(at=T0, no_ocr=True), pages=1, width=400)
    yield report.model_dump(mode="json"), pages


def finish(site: Site, cid: str, screened: tuple[dict[str, Any], tuple[Any, ...]]) -> None:
    """Store the screening of a case's job as `intake worker` does."""
    report, pages = screened
    with site.store.session() as s:
        case = s.get(Case, cid)
        assert case is not None
        job = s.get(Job, case.job_id)
        assert job is not None
        jid, content, settings = job.id, job.content_hash, job.settings_hash
    store_pages(site.store, jid, pages)
    site.store.record_screening(
        job_id=jid, content_hash=content, settings_hash=settings, settings={}, report=report, started_at=T0,
        finished_at=T0 + timedelta(seconds=5),
    )  # fmt: skip


def uploaded(site: Site, c: TestClient) -> str:
    answer = site.upload(c, sample_zip())
    assert answer.status_code == 201, answer.text
    return str(answer.json()["case"])


# ---------------------------------------------------------------------------- sign-in, headers, CSRF


def test_every_page_has_the_security_headers(site: Site) -> None:
    answer = site.client().get("/login")
    assert answer.status_code == 200
    csp = answer.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    assert "<script>" not in answer.text and "style=" not in answer.text  # nothing inline for the CSP to allow


def test_pages_need_a_session(site: Site) -> None:
    c = site.client()
    answer = c.get("/", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"
    assert c.get("/cases/x/status", headers={"Accept": "application/json"}).status_code == 401


def test_sign_in_with_the_right_password_only(site: Site) -> None:
    c = site.client()
    wrong = c.post("/login", data={"name": "ann", "password": "nope nope", "csrf": token(c, "/login")})
    assert wrong.status_code == 401 and texts("ru").gettext("Wrong name or password.") in wrong.text
    unknown = c.post("/login", data={"name": "nobody", "password": PASSWORD, "csrf": token(c, "/login")})
    assert unknown.status_code == 401
    right = c.post("/login", data={"name": "ann", "password": PASSWORD, "csrf": token(c, "/login")})
    assert right.status_code == 200 and "ann" in right.text
    cookie = c.cookies.get("intake_session")
    assert cookie and "ann" not in cookie  # signed, and the password is nowhere near it
    with site.store.session() as s:
        from intake.service.casework import User

        stored = s.scalar(select(User.password_hash).where(User.name == "ann"))
    assert stored is not None and stored.startswith("$argon2id$")


def test_sign_in_is_rate_limited(site: Site) -> None:
    c = site.client()
    for _ in range(5):
        assert c.post("/login", data={"name": "ann", "password": "bad", "csrf": token(c, "/login")}).status_code == 401
    blocked = c.post("/login", data={"name": "ann", "password": PASSWORD, "csrf": token(c, "/login")})
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    site.clock.now += timedelta(minutes=6)
    assert c.post("/login", data={"name": "ann", "password": PASSWORD, "csrf": token(c, "/login")}).status_code == 200


def test_a_post_without_the_sessions_csrf_token_is_refused(site: Site) -> None:
    c = site.client()
    assert c.post("/login", data={"name": "ann", "password": PASSWORD}).status_code == 403
    assert c.post("/login", data={"name": "ann", "password": PASSWORD, "csrf": "forged"}).status_code == 403
    c = site.client("ann")
    answer = c.post(
        "/upload", files=[("files", ("d.zip", sample_zip(), "application/zip"))], headers={"X-CSRF-Token": "forged"}
    )
    assert answer.status_code == 403
    other = site.client("bob")  # another session's token is no good either
    theirs = token(other, "/upload")
    assert c.post("/logout", data={"csrf": theirs}).status_code == 403
    assert site.blobs() == []


def test_language_per_request_then_remembered(site: Site) -> None:
    c = site.client("ann")
    assert '<html lang="ru">' in c.get("/").text
    kk = c.get("/?lang=kk")
    assert '<html lang="kk">' in kk.text and texts("kk").gettext("Dossiers") in kk.text
    assert '<html lang="kk">' in c.get("/upload").text  # the cookie
    c.cookies.clear()
    c2 = site.client("ann")
    assert '<html lang="kk">' in c2.get("/").text  # the account's language
    assert '<html lang="en">' in c2.get("/?lang=en").text


# ---------------------------------------------------------------------------- uploads


def test_bad_uploads_are_refused_and_nothing_is_stored(site: Site) -> None:
    c = site.client("ann")
    not_zip = site.upload(c, b"%PDF-1.7 not a zip", "x.zip")
    assert not_zip.status_code == 422 and "not a zip archive" in not_zip.json()["error"]
    no_application = site.upload(c, sample_zip(skip=("expected.json", "application.json")))
    assert no_application.status_code == 422 and "not a dossier" in no_application.json()["error"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("application.json", "{}")
        archive.writestr("zeros.pdf", b"\0" * (40 * 1024 * 1024))
    bomb = site.upload(c, buffer.getvalue())
    assert bomb.status_code == 422 and "zip bomb" in bomb.json()["error"]
    large = site.upload(c, b"0" * (4 * 1024 * 1024))
    assert large.status_code == 413 and "3 MB" in large.json()["error"]
    page = c.post(  # without the script: the form's page, with the message
        "/upload", files=[("files", ("x.zip", b"junk", "application/zip"))], data={"csrf": token(c, "/upload")}
    )
    assert page.status_code == 422 and "Nothing was stored" not in page.text  # in Russian:
    assert "Ничего не сохранено" in page.text
    assert site.blobs() == []
    assert site.work.cases(site.work.account(1) or pytest.fail("no account")) == []


def test_an_upload_without_its_length_is_refused(site: Site) -> None:
    import anyio
    import httpx

    c = site.client("ann")
    csrf = token(c, "/upload")

    async def chunked() -> int:
        async def body() -> Any:
            yield b"--x\r\n"
            yield b"never ends"

        transport = httpx.ASGITransport(app=site.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", cookies=dict(c.cookies)) as client:
            headers = {"X-CSRF-Token": csrf, "Accept": "application/json",
                       "Content-Type": "multipart/form-data; boundary=x"}  # fmt: skip
            answer = await client.post("/upload", content=body(), headers=headers)
            assert "content-length" not in {k.lower() for k in answer.request.headers}
            assert "Content-Length" in answer.json()["error"]
            return answer.status_code

    assert anyio.run(chunked) == 411
    assert site.blobs() == []
    broken = c.post(
        "/upload",
        content=b"--x\r\nnot a part",
        headers={"X-CSRF-Token": csrf, "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert broken.status_code == 400 and site.blobs() == []


def test_users_add_reads_the_password_from_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from intake.cli import main

    url = f"sqlite:///{tmp_path / 'u.db'}"
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    args = ["users", "add", "dana", "--role", "supervisor", "--body", "Shymkent", "--password-stdin", "--database", url]
    assert main(args) == 0
    work = Casework(Store.open(url))
    account = work.authenticate("dana", "long enough password")
    assert account is not None and account.role == "supervisor" and account.body == "Shymkent"
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough password\n"))
    assert main([*args[:3], "dina", "--role", "boss", *args[5:]]) == 2  # not a role
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert main(["users", "add", "dina", "--role", "clerk", "--body", "B", "--password-stdin", "--database", url]) == 2


def test_several_files_are_one_dossier(site: Site) -> None:
    c = site.client("ann")
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in sorted(SAMPLE.glob("*.*"))]
    answer = c.post("/upload", files=files, headers={"X-CSRF-Token": token(c, "/upload"), "Accept": "application/json"})
    assert answer.status_code == 201, answer.text
    assert len(site.broker.queues["intake"].queue) == 1


def test_an_upload_is_the_same_job_and_supplier_as_on_the_queue(site: Site) -> None:
    from intake.service.jobs import content_hash
    from intake.service.store import Dossier

    c = site.client("ann")
    cid = uploaded(site, c)
    with site.store.session() as s:
        case = s.get(Case, cid)
        assert case is not None
        job = s.get(Job, case.job_id)
        assert job is not None
        assert job.content_hash == content_hash(Path(job.source))  # the hash given is the one submit computes
        dossier = s.scalar(select(Dossier).where(Dossier.content_hash == job.content_hash))
        assert dossier is not None and dossier.applicant_bin == "190340045215"


def test_check_archive_reads_the_directory_only() -> None:
    limits = Limits(max_files=3)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for i in range(4):
            archive.writestr(f"f{i}.pdf", b"x")
    with pytest.raises(BadUpload, match="more than 3"):
        check_archive(buffer.getvalue(), limits)
    assert check_archive(sample_zip(), Limits()) == "190340045215"


# ---------------------------------------------------------------------------- bodies, review, status


def test_a_case_of_another_body_is_404(site: Site, screened: Any) -> None:
    ann = site.client("ann")
    cid = uploaded(site, ann)
    finish(site, cid, screened)
    assert ann.get(f"/cases/{cid}").status_code == 200
    bob = site.client("bob")
    for path in ("", "/status", "/report.json", "/report.html", "/page?file=x&page_no=1", "/image?file=x"):
        assert bob.get(f"/cases/{cid}{path}").status_code == 404, path
    assert bob.post(f"/cases/{cid}/status", data={"csrf": token(bob, "/"), "to": "checked"}).status_code == 404
    assert "190340045215" not in bob.get("/").text
    sam = site.client("sam")  # the supervisor of the same body sees it
    assert sam.get(f"/cases/{cid}").status_code == 200


def test_the_dossier_page_shows_the_verdict_ground_pages_and_timeline(site: Site, screened: Any) -> None:
    c = site.client("ann")
    cid = uploaded(site, c)
    waiting = c.get(f"/cases/{cid}")
    assert 'data-status-url="/cases/' in waiting.text
    assert c.get(f"/cases/{cid}/status").json()["status"] == "queued"
    finish(site, cid, screened)
    ru = texts("ru")
    page = c.get(f"/cases/{cid}").text
    assert page.index(ru.gettext("VERDICT: FAIL")) < page.index(
        ru.gettext("Grounds for refusal (paragraph 27 of the Rules)")
    )
    assert f"27.2 {ru.ground('27.2')}" in page
    assert 'class="detail"' in page and "/image?file=" in page
    assert ru.gettext("Review timeline") in page and "§21" in page
    assert c.get(f"/cases/{cid}/status").json() == {
        "status": "done",
        "label": "проверено",
        "error": None,
        "verdict": "fail",
    }
    link = re.search(r'href="(/cases/[^"]+/page\?[^"]+)"', page)
    assert link
    large = c.get(link.group(1).replace("&amp;", "&"))
    assert large.status_code == 200 and "<rect" in large.text
    image = c.get(link.group(1).replace("&amp;", "&").replace("/page?", "/image?") + "&size=large")
    assert image.status_code == 200 and image.content[:2] == b"\xff\xd8"
    report = c.get(f"/cases/{cid}/report.json").json()
    assert report["verdict"] == "fail" and report["dossier"] == "dossier.zip"
    html = c.get(f"/cases/{cid}/report.html").text
    assert "data:image/jpeg;base64," in html and 'src="http' not in html
    c.get(f"/cases/{cid}/status")
    listing = c.get("/?verdict=fail&q=190340045215").text
    assert f"/cases/{cid}" in listing
    assert f"/cases/{cid}" not in c.get("/?verdict=pass").text
    assert f"/cases/{cid}" not in c.get("/?region=Astana").text


def test_without_a_date_in_the_application_the_due_dates_run_from_the_upload(site: Site, screened: Any) -> None:
    c = site.client("ann")
    cid = uploaded(site, c)
    report, pages = screened
    finish(site, cid, ({**report, "timeline": None}, pages))
    page = c.get(f"/cases/{cid}").text
    assert "§21" in page and "2026-12-07" in page  # uploaded Thursday 3 December 2026: two working days
    assert 'class="overdue"' not in page
    site.clock.now = T0 + timedelta(days=30)
    assert 'class="overdue"' in c.get(f"/cases/{cid}").text
    assert [x.due.isoformat() for x in site.work.cases(site.work.account(1) or pytest.fail("no account"))] == [
        "2026-12-07"
    ]


def test_review_decisions_and_status_moves_are_audited(site: Site, screened: Any) -> None:
    c = site.client("ann")
    cid = uploaded(site, c)
    csrf = token(c, "/")
    assert c.post(f"/cases/{cid}/status", data={"csrf": csrf, "to": "checked"}).status_code == 409  # not screened
    finish(site, cid, screened)
    page = c.get(f"/cases/{cid}").text
    items = re.findall(r'name="finding" value="(\d+)"', page)
    assert items
    report = screened[0]
    refusal = next(i for i, f in enumerate(report["findings"]) if f["code"] == "FILE001")
    refused = c.post(f"/cases/{cid}/review", data={"csrf": csrf, "finding": refusal, "decision": "confirmed"})
    assert refused.status_code == 422  # a refusal is not a finding a person decides on here
    done = c.post(
        f"/cases/{cid}/review", data={"csrf": csrf, "finding": items[0], "decision": "overruled", "comment": "seen"}
    )
    assert done.status_code == 200 and "«seen»" in done.text
    for to, who, code in (
        ("sent", "ann", 409),
        ("checked", "ann", 200),
        ("included", "ann", 409),
        ("sent", "ann", 200),
        ("refused", "ann", 409),
        ("refused", "sam", 200),
        ("included", "sam", 409),
        ("notified", "ann", 200),
        ("checked", "ann", 409),
    ):
        client = c if who == "ann" else site.client("sam")
        answer = client.post(f"/cases/{cid}/status", data={"csrf": token(client, "/"), "to": to})
        assert answer.status_code == code, (to, who, answer.text)
    log = [(a.user, a.action, a.detail) for a in site.work.log(cid)]
    assert log[0] == ("ann", "uploaded", "dossier.zip")
    assert log[1][:2] == ("ann", "overruled") and "seen" in log[1][2]
    assert [x[2] for x in log if x[1] == "status"] == [
        "submitted → checked",
        "checked → sent",
        "sent → refused",
        "refused → notified",
    ]
    assert [x[0] for x in log if x[1] == "status"] == ["ann", "ann", "sam", "ann"]
    assert "refused → notified" in c.get(f"/cases/{cid}").text


def test_a_crashed_screening_says_why_and_can_be_retried(site: Site) -> None:
    c = site.client("ann")
    cid = uploaded(site, c)
    with site.store.session() as s:
        case = s.get(Case, cid)
        assert case is not None
        job = s.get(Job, case.job_id)
        assert job is not None
        job.status, job.error = "dead", "RuntimeError: the OCR engine crashed"
    page = c.get(f"/cases/{cid}").text
    assert texts("ru").gettext("Could not be screened") in page and "the OCR engine crashed" in page
    assert c.get(f"/cases/{cid}/status").json()["status"] == "dead"
    assert c.post(f"/cases/{cid}/retry", data={"csrf": token(c, "/")}).status_code == 200
    assert c.get(f"/cases/{cid}/status").json()["status"] == "queued"
    assert len(site.broker.queues["intake"].queue) == 2
    assert [a.action for a in site.work.log(cid)] == ["uploaded", "retried"]


def test_the_notice_is_edited_then_exported(site: Site, screened: Any) -> None:
    c = site.client("ann")
    cid = uploaded(site, c)
    finish(site, cid, screened)
    page = c.get(f"/cases/{cid}").text
    drafted = re.search(r'<textarea name="text"[^>]*>([^<]*)</textarea>', page)
    assert drafted and "пункта 27 Правил" in drafted.group(1)
    edited = drafted.group(1).replace("&#34;", '"').replace("&amp;", "&") + "\nИсполнитель: А. Сейткали\n"
    csrf = token(c, "/")
    saved = c.post(f"/cases/{cid}/notice", data={"csrf": csrf, "text": edited, "action": "save"})
    assert saved.status_code == 200 and "А. Сейткали" in saved.text
    pdf = c.post(f"/cases/{cid}/notice", data={"csrf": csrf, "text": edited, "action": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    if shutil.which("pdftotext"):
        out = site.tmp / "n.pdf"
        out.write_bytes(pdf.content)
        text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
        assert "А. Сейткали" in text and "27" in text
    assert [a.action for a in site.work.log(cid)][-2:] == ["notice-edited", "notice-exported"]
    eml = c.post(f"/cases/{cid}/notice", data={"csrf": csrf, "text": edited, "action": "eml"})
    assert eml.status_code == 200 and eml.headers["content-type"].startswith("message/rfc822")
    from email import message_from_bytes, policy

    message = message_from_bytes(eml.content, policy=policy.default)
    assert message["To"] == "info@meyirim-test.kz"
    body = message.get_body(("plain",))
    assert body is not None and "А. Сейткали" in body.get_content()
    assert [p.get_filename() for p in message.iter_attachments()] == ["notice-ru.pdf"]


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_every_text_of_the_web_pages_is_in_the_catalog(lang: str) -> None:
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po

    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "_n": None}
    found: set[str] = set()
    for _, msg, _, _ in extract_from_file("python", str(ROOT / "intake" / "service" / "web.py"), keywords=keywords):
        found.add(msg[0] if isinstance(msg, tuple) else msg)
    for template in (ROOT / "intake" / "templates" / "web").glob("*.j2"):
        options = {"extensions": "jinja2.ext.i18n"}
        for _, msg, _, _ in extract_from_file(
            "jinja2.ext:babel_extract", str(template), keywords=keywords, options=options
        ):
            if msg:
                found.add(msg[0] if isinstance(msg, tuple) else msg)
    assert "Sign in" in found and "waiting in the queue" in found  # the extractor sees both kinds of file
    with (ROOT / "intake" / "locale" / lang / "LC_MESSAGES" / "intake.po").open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    missing = sorted(m for m in found if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"{lang}: not in the catalog: {missing}"
    if lang != "en":
        english = sorted(m for m in found if catalog.get(m).string == m)
        assert not english, f"{lang}: still English: {english}"
