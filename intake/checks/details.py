"""Checks of this area; see `intake.rules` for their codes."""

from __future__ import annotations

from intake.checks.base import Check

CHECKS: tuple[Check, ...] = ()
