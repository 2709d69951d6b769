"""The database of screenings on SQLite and on a real PostgreSQL (a throwaway cluster on loopback)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError

from intake.errors import ConfigurationError
from intake.service.store import CaseEvent, Store, alembic_config, purge_after
from tests.services import postgres_url

__all__ = ["postgres_url"]  # the fixture, imported for pytest

T0 = datetime(2026, 11, 20, 7, 0, tzinfo=UTC)
BIN = "990940003030"  # a public test vector (research notes 1.3)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'intake.db'}"
    else:
        server: str = request.getfixturevalue("postgres_url")
        name = f"t_{secrets.token_hex(6)}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = server.rsplit("/", 1)[0] + f"/{name}"
    s = Store.open(url, tmp_path / "blobs")
    s.migrate()
    yield s
    s.engine.dispose()


def report(verdict: str = "fail") -> dict[str, object]:
    return {"verdict": verdict, "kind": "organization", "findings": [{"code": "FILE001"}]}


def test_migrations_build_the_models_schema(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())
    assert {"supplier", "dossier", "screening", "case_event", "job", "api_token", "alembic_version"} <= tables
    cfg = alembic_config(store.engine)
    command.check(cfg)  # raises when the models and the migrations differ
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as c:
            assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert c.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_screening_is_stored_once_per_job(store: Store) -> None:
    common = {
        "content_hash": "c" * 64,
        "settings_hash": "s" * 64,
        "settings": {"at": "2026-11-20"},
        "started_at": T0,
        "finished_at": T0.replace(second=3),
        "applicant": BIN,
    }
    first = store.record_screening(job_id="j1", report=report(), **common)  # type: ignore[arg-type]
    again = store.record_screening(job_id="j1", report=report("pass"), **common)  # type: ignore[arg-type]
    assert again == first
    stored = store.screening("j1")
    assert stored is not None
    assert stored.verdict == "fail"
    assert stored.seconds == pytest.approx(3.0)
    assert stored.report["findings"] == [{"code": "FILE001"}]
    store.record_screening(job_id="j2", report=report("review"), **{**common, "settings_hash": "t" * 64})  # type: ignore[arg-type]
    assert [s.job_id for s in store.list_screenings(verdict="fail")] == ["j1"]
    assert {s.job_id for s in store.list_screenings(since=T0)} == {"j1", "j2"}
    assert store.list_screenings(since=T0.replace(day=21)) == []


def test_case_history_has_due_dates_and_purge_follows_paragraph_35(store: Store) -> None:
    digest = "d" * 64
    blob = store.blobs.put(b"zip bytes")
    with store.session() as s:
        store.dossier(s, digest, received_at=T0, kind="organization", applicant=BIN, blob=blob)
    store.submitted(digest, T0)
    events = {e.event: e for e in store.history(digest)}
    assert events["submitted"].happened_at is not None
    assert events["checked"].due is not None  # paragraph 21, from intake.workdays
    assert events["notified"].due is not None
    assert events["checked"].due <= events["notified"].due
    store.mark(digest, CaseEvent.REMOVED, datetime(2027, 3, 1, 6, tzinfo=UTC))
    assert store.purge(date(2029, 2, 28)) == []  # not yet two years
    dry = store.purge(date(2029, 3, 1))
    assert [(i.identifier, i.dossiers, i.blobs) for i in dry] == [(BIN, 1, (blob,))]
    assert store.history(digest) != []  # a dry run removes nothing
    assert store.blobs.path(blob).is_file()
    assert store.purge(date(2029, 3, 1), apply=True) == dry
    assert store.history(digest) == []  # cascade: dossier and case history gone
    assert not store.blobs.path(blob).exists()
    with pytest.raises(ConfigurationError):
        store.mark(digest, CaseEvent.DECIDED, T0)


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(IntegrityError), store.engine.begin() as c:
        c.execute(text("INSERT INTO case_event (dossier_id, event, paragraph) VALUES (4242, 'submitted', '20')"))


def test_tokens_are_kept_hashed_with_scopes(store: Store) -> None:
    secret = store.add_token("clerk", ["read"], T0)
    assert store.token_scopes(secret) == frozenset({"read"})
    assert store.token_scopes(secret + "x") is None
    with store.engine.connect() as c:
        assert secret not in str(c.execute(text("SELECT token_hash FROM api_token")).all())
    with pytest.raises(ConfigurationError):
        store.add_token("other", ["admin"], T0)


def test_purge_date_rule() -> None:
    assert purge_after(date(2024, 2, 29)) == date(2026, 2, 28)
    assert purge_after(date(2025, 3, 1)) == date(2027, 3, 1)


def test_purge_and_tokens_from_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from intake.cli import main

    url = f"sqlite:///{tmp_path / 'cli' / 'intake.db'}"
    s = Store.open(url)
    s.migrate()
    with s.session() as session:
        s.dossier(session, "e" * 64, received_at=T0, kind="organization", applicant=BIN)
    s.mark("e" * 64, CaseEvent.REMOVED, T0)
    assert main(["purge", "--database", url, "--at", "2028-11-21"]) == 0
    out = capsys.readouterr()
    assert "99********30" in out.out  # the BIN masked in the listing
    assert BIN not in out.out
    assert "dry run" in out.err
    assert s.history("e" * 64) != []
    assert main(["purge", "--database", url, "--at", "2028-11-21", "--apply"]) == 0
    capsys.readouterr()
    assert s.history("e" * 64) == []
    assert main(["tokens", "add", "clerk", "--scope", "read", "--database", url]) == 0
    token = capsys.readouterr().out.strip()
    assert s.token_scopes(token) == frozenset({"read"})
    assert main(["tokens", "add", "x", "--scope", "admin", "--database", url]) == 2


def test_logs_mask_iin_and_bin(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from intake.service.logs import MaskIds, mask_ids

    assert mask_ids(f"applicant {BIN}, phone 87011234567, id 1234567890123") == (
        "applicant 99********30, phone 87011234567, id 1234567890123"
    )
    logger = logging.getLogger("intake.test-mask")
    logger.addFilter(MaskIds())
    with caplog.at_level(logging.INFO, logger="intake.test-mask"):
        logger.info("screened %s", BIN)
    assert caplog.messages == ["screened 99********30"]
