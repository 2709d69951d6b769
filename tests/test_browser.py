"""The clerk's workspace in a real browser: Debian's chromium driven by Playwright against a real
`intake serve` and `intake worker` on loopback, with a real redis-server and an SQLite database.

One run does what a clerk does (issue 14, "Done when"): sign in, upload a sample as a zip, wait for the
verdict, read the ground for refusal in Russian, switch to Kazakh, open a page and see a box on it,
confirm a review item, download the notice PDF and read it with pdftotext; then a clerk of another body
gets 404, and a forged CSRF token is refused. It saves screenshots of the main pages to docs/screenshots/
(shown in the README). Skipped, with the reason, only when chromium is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.i18n import texts
from intake.notice import cite_paragraph
from intake.service.casework import Casework
from intake.service.store import Store
from tests.services import RedisServer, intake_services, redis_server

__all__ = ["redis_server"]

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "organization-missing-document"
SHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "correct horse battery"
SCREENING_MS = 180_000
CHROMIUM_ARGS = [
    "--no-sandbox",  # the CI runs as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class Deployment:
    base: str
    log: Path


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "intake", *args], cwd=ROOT, env=env, input=stdin, text=True, check=True, timeout=120
    )


@pytest.fixture
def deployment(tmp_path: Path, redis_server: RedisServer) -> Iterator[Deployment]:
    """`intake worker` and `intake serve` as a deployment starts them, two clerks of two bodies."""
    env = {
        **os.environ,
        "INTAKE_DATABASE_URL": f"sqlite:///{tmp_path / 'data' / 'intake.db'}",
        "INTAKE_REDIS_URL": redis_server.url,
        "INTAKE_SECRET_KEY": "a test secret that is long enough for signing",
        "INTAKE_JOB_RETRIES": "0",
    }
    _cli(env, "users", "add", "aigerim", "--role", "clerk", "--body", "Almaty employment department",
         "--region", "Almaty", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    store = Store.open(env["INTAKE_DATABASE_URL"])  # the second account in process: one CLI start is enough
    Casework(store).add_user(
        "bolat", PASSWORD, role="clerk", body="Astana employment department", region="Astana", at=datetime.now(tz=UTC)
    )
    store.engine.dispose()
    log = tmp_path / "services.log"
    with intake_services(env, log) as base:
        yield Deployment(base, log)


def _zip(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.name != "expected.json":
                archive.write(path, path.relative_to(folder).as_posix())
    return target


def _words(text: str) -> str:
    return " ".join(text.split())


def test_a_clerk_screens_reviews_and_notifies(deployment: Deployment, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed: apt-get install chromium (scripts/system-deps.sh installs it)")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed: apt-get install poppler-utils")
    from playwright.sync_api import expect, sync_playwright

    base = deployment.base
    archive = _zip(SAMPLE, tmp_path / "organization-missing-document.zip")
    ru, kk = texts("ru"), texts("kk")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                locale="ru-RU", viewport={"width": 1280, "height": 900}, accept_downloads=True
            )
            page = context.new_page()
            page.set_default_timeout(30_000)

            # Sign in.
            page.goto(base + "/login")
            page.screenshot(path=SHOTS / "sign-in.png")
            page.fill("input[name=name]", "aigerim")
            page.fill("input[name=password]", PASSWORD)
            page.click("#sign-in")
            page.wait_for_url(base + "/")

            # Upload the sample as a zip; the page follows the screening and shows the verdict.
            page.goto(base + "/upload")
            page.set_input_files("#files", str(archive))
            page.screenshot(path=SHOTS / "upload.png")
            page.click("#upload-button")
            page.wait_for_url(re.compile(r".*/cases/[0-9a-f]+$"))
            case_url = page.url
            page.wait_for_selector("#verdict", timeout=SCREENING_MS)
            expect(page.locator("#verdict")).to_have_text(ru.gettext("VERDICT: FAIL"))

            # The ground for refusal, in Russian: 27.2 in words, and the missing document's paragraph.
            refusals = _words(page.inner_text("#refusals"))
            assert _words(f"27.2 {ru.ground('27.2')}") in refusals
            assert "FILE001" in refusals and cite_paragraph(ru, "7") in refusals
            page.screenshot(path=SHOTS / "dossier-ru.png")

            # Switch to Kazakh.
            page.click("#lang-kk")
            page.wait_for_load_state()
            expect(page.locator("html")).to_have_attribute("lang", "kk")
            assert _words(f"27.2 {kk.ground('27.2')}") in _words(page.inner_text("#refusals"))
            page.screenshot(path=SHOTS / "dossier-kk.png")

            # Open a document's page large and see a box drawn on it.
            page.locator("figure:has(rect) a.page-link").first.click()
            page.wait_for_selector("svg.page.large")
            assert page.locator("svg.page.large rect").count() > 0
            assert page.locator("svg.page.large image").count() == 1
            page.screenshot(path=SHOTS / "page.png")

            # Confirm a review item, with a comment; the decision and the audit log show it.
            page.goto(case_url + "?lang=ru")
            item = page.locator("#review li").first
            item.locator("input[name=comment]").fill("проверено по оригиналу")
            item.locator("button[value=confirmed]").click()
            page.wait_for_load_state()
            assert "проверено по оригиналу" in page.inner_text("#review")
            assert "confirmed" in page.inner_text("#audit")

            # The notice of paragraph 28 as a PDF: the ground and the paragraph, read back with pdftotext.
            with page.expect_download() as download:
                page.click("#notice-pdf")
            pdf = tmp_path / "notice.pdf"
            download.value.save_as(pdf)
            text = _words(
                subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            )
            assert _words(cite_paragraph(ru, "27.2")) in text
            assert _words(ru.ground("27.2")) in text
            assert cite_paragraph(ru, "7") in text  # the requirement the ground rests on
            assert "29 Правил" in text  # the right of appeal in court (paragraph 29)

            # A forged or missing CSRF token is refused, and nothing is recorded.
            finding = page.locator("#review input[name=finding]").first.get_attribute("value") or "0"
            forged = page.request.post(
                case_url + "/review", form={"csrf": "forged", "finding": finding, "decision": "overruled"}
            )
            assert forged.status == 403
            missing = page.request.post(case_url + "/review", form={"finding": finding, "decision": "overruled"})
            assert missing.status == 403
            page.reload()
            assert "overruled" not in page.inner_text("#audit")

            # The list of the body's dossiers.
            page.goto(base + "/")
            expect(page.locator("table.list")).to_contain_text("190340045215")
            page.screenshot(path=SHOTS / "dossiers.png")

            # A clerk of another body cannot open the dossier, nor its page images.
            other = browser.new_context(locale="ru-RU")
            stranger = other.new_page()
            stranger.goto(base + "/login")
            stranger.fill("input[name=name]", "bolat")
            stranger.fill("input[name=password]", PASSWORD)
            stranger.click("#sign-in")
            stranger.wait_for_url(base + "/")
            answer = stranger.goto(case_url)
            assert answer is not None and answer.status == 404
            assert stranger.request.get(case_url + "/report.json").status == 404
            assert "190340045215" not in stranger.content()
            other.close()
            context.close()
        finally:
            browser.close()
