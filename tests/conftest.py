"""Shared fixtures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

ROOT = Path(__file__).resolve().parent.parent
AT = datetime(2026, 11, 20, 12, 0, tzinfo=ZoneInfo("Asia/Almaty"))


@pytest.fixture
def project_root() -> Path:
    """The repository root (samples' args are relative to it)."""
    return ROOT
