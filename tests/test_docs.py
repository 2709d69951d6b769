"""The committed documents equal what the code generates (docs/rules.md, the JSON Schemas)."""

from __future__ import annotations

import re

import pytest

from intake import docs
from intake.rules import DOCUMENT_TYPES, RULES_LIST
from tests.conftest import ROOT


@pytest.mark.parametrize("rel", sorted(docs.generated()))
def test_committed_equals_generated(rel: str) -> None:
    committed = (ROOT / rel).read_text(encoding="utf-8")
    assert committed == docs.generated()[rel], f"{rel} is stale: run `make docs`"


def test_rules_md_has_one_section_per_code() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## ([A-Z]+\d{3})$", text, flags=re.MULTILINE)
    assert sections == [r.code for r in RULES_LIST]


def test_every_code_cites_a_paragraph_of_the_rules() -> None:
    rules_text = (ROOT / "tests" / "data" / "rules-377.md").read_text(encoding="utf-8")
    numbered = {m.group(1) for m in re.finditer(r"^\s*-?\s*(\d{1,2})\.\s", rules_text, flags=re.MULTILINE)}
    for r in RULES_LIST:
        assert re.fullmatch(r"[A-Z]{3,5}\d{3}", r.code), r.code
        for basis in r.basis:
            assert basis.split(".")[0] in numbered, f"{r.code} cites paragraph {basis}, not in the Rules"


def test_codes_unique_and_documents_unique() -> None:
    codes = [r.code for r in RULES_LIST]
    assert len(codes) == len(set(codes))
    ids = [d.id for d in DOCUMENT_TYPES]
    assert len(ids) == len(set(ids))
    for d in DOCUMENT_TYPES:
        assert set(d.names) == {"ru", "kk", "en"}, d.id
