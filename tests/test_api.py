"""The HTTP API: a real `intake serve` and `intake worker` on loopback, driven with curl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from intake.service.api import openapi_document
from intake.service.store import Store
from tests.services import RedisServer, intake_services, redis_server

__all__ = ["redis_server"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "organization-complete"
SAMPLE_BIN = "190340045215"
WAIT = 240.0
LIMIT = 3 * 1024 * 1024


def test_openapi_document_is_committed() -> None:
    committed = json.loads((ROOT / "docs" / "openapi.json").read_text(encoding="utf-8"))
    assert openapi_document() == committed, "regenerate: python -m intake.docs"


class Server:
    def __init__(self, base: str, tokens: dict[str, str], log: Path) -> None:
        self.base = base
        self.tokens = tokens
        self.log = log

    def curl(self, *args: str, token: str | None = None) -> tuple[int, str, dict[str, object]]:
        """Status, content type and JSON body of one request."""
        auth = ["-H", f"Authorization: Bearer {self.tokens[token]}"] if token else []
        out = subprocess.run(
            ["curl", "-sS", "-o", "-", "-w", "\n%{http_code} %{content_type}", *auth, *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        ).stdout
        body, _, tail = out.rpartition("\n")
        code, _, kind = tail.partition(" ")
        return int(code), kind, json.loads(body) if body.strip() else {}


@pytest.fixture
def server(tmp_path: Path, redis_server: RedisServer) -> Iterator[Server]:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    url = f"sqlite:///{tmp_path / 'data' / 'intake.db'}"
    store = Store.open(url)
    store.migrate()
    now = datetime.now(tz=UTC)
    tokens = {
        "both": store.add_token("both", ["submit", "read"], now),
        "read": store.add_token("reader", ["read"], now),
        "submit": store.add_token("submitter", ["submit"], now),
    }
    store.engine.dispose()
    env = {
        **os.environ,
        "INTAKE_REDIS_URL": redis_server.url,
        "INTAKE_DATABASE_URL": url,
        "INTAKE_MAX_UPLOAD_BYTES": str(LIMIT),
        "INTAKE_SHARED_ROOT": str(tmp_path / "shared"),
        "PYTHONPATH": str(ROOT),
    }
    log = tmp_path / "services.log"
    with intake_services(env, log) as base:
        yield Server(base, tokens, log)


def zipped(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return target


def test_curl_submits_a_sample_and_reads_its_report(tmp_path: Path, server: Server) -> None:
    archive = zipped(SAMPLE, tmp_path / "organization-complete.zip")
    submit = [f"{server.base}/api/v1/dossiers?at=2026-11-20T12:00:00%2B05:00&no_ocr=true", "-F", f"file=@{archive}"]

    code, kind, problem = server.curl(*submit)
    assert (code, kind) == (401, "application/problem+json")
    assert problem["status"] == 401
    code, _, problem = server.curl(*submit, token="read")
    assert code == 403
    assert "submit" in str(problem["detail"])

    code, _, job = server.curl(*submit, token="submit")
    assert code == 202
    jid = str(job["id"])
    assert job["status"] in ("queued", "running")

    code, _, _ = server.curl(f"{server.base}/api/v1/dossiers/{jid}", token="submit")
    assert code == 403  # a submit-only token reads no report
    deadline = time.monotonic() + WAIT
    state: dict[str, object] = {}
    while time.monotonic() < deadline:
        code, _, state = server.curl(f"{server.base}/api/v1/dossiers/{jid}", token="read")
        assert code == 200
        if state["status"] == "done":
            break
        time.sleep(0.5)
    assert state["status"] == "done"
    report = state["report"]
    assert isinstance(report, dict)
    assert report["verdict"] == state["verdict"]
    assert report["kind"] == "organization"

    code, _, again = server.curl(*submit, token="both")  # the same upload: answered from the stored result
    assert (code, again["id"], again["status"]) == (200, jid, "done")

    code, _, listed = server.curl(f"{server.base}/api/v1/dossiers?verdict={state['verdict']}", token="read")
    assert code == 200
    assert [x["id"] for x in listed] == [jid]  # type: ignore[index,union-attr]
    code, _, listed = server.curl(f"{server.base}/api/v1/dossiers?since=2999-01-01T00:00:00Z", token="read")
    assert listed == []

    code, _, missing = server.curl(f"{server.base}/api/v1/dossiers/nope", token="read")
    assert (code, missing["title"]) == (404, "Not found")
    assert SAMPLE_BIN not in server.log.read_text(encoding="utf-8", errors="replace")


def test_limits_and_problem_details(tmp_path: Path, server: Server) -> None:
    big = tmp_path / "big.zip"
    big.write_bytes(os.urandom(LIMIT + 200 * 1024))
    code, kind, problem = server.curl(f"{server.base}/api/v1/dossiers", "-F", f"file=@{big}", token="submit")
    assert (code, kind) == (413, "application/problem+json")
    assert str(LIMIT) in str(problem["detail"])
    outside = ["-H", "Content-Type: application/json", "-d", json.dumps({"path": str(SAMPLE)})]
    code, _, problem = server.curl(f"{server.base}/api/v1/dossiers", *outside, token="submit")
    assert code == 403  # not under the shared root
    code, _, problem = server.curl(f"{server.base}/api/v1/dossiers?limit=0", token="read")
    assert code == 422
    code, _, problem = server.curl(f"{server.base}/api/v1/dossiers", "-d", "x=1", token="submit")
    assert code == 415
    shared = shutil.copytree(SAMPLE, tmp_path / "shared" / "org")
    body = ["-H", "Content-Type: application/json", "-d", json.dumps({"path": str(shared), "no_ocr": True})]
    code, _, job = server.curl(f"{server.base}/api/v1/dossiers", *body, token="submit")
    assert code == 202
    assert len(str(job["id"])) == 32
