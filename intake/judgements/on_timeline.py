"""TIME: the review timeline (paragraphs 21, 22, 26, 27, 28), an information finding.

The due dates are facts computed by the pipeline (`intake.workdays`, `Dossier.timeline`); this
check only reports them, or why they could not be computed.
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.judgements import Check
from intake.models import Dossier, Finding, Outcome
from intake.rules import finding


def review_timeline(dossier: Dossier) -> Iterator[Finding]:
    """TIME001: the due dates of paragraphs 21, 22, 26, 27, 28 in working days of Kazakhstan (info)."""
    if dossier.submitted_at is None:
        yield finding(
            "TIME001",
            Outcome.INDETERMINATE,
            "no submission moment: give `submitted_at` in the "
            "application or --submitted; the due dates are not computed",
        )
        return
    t = dossier.timeline
    if t is None:
        yield finding(
            "TIME001",
            Outcome.INDETERMINATE,
            f"the due dates could not be computed: {dossier.timeline_error or 'unknown reason'}",
            evidence={"submitted_at": dossier.submitted_at.isoformat()},
        )
        return
    steps = "; ".join(f"§{s.paragraph.value} due {s.due.isoformat()} ({s.working_days} wd)" for s in t.steps)
    note = " (provisional: later decrees may move these dates)" if t.provisional else ""
    yield finding(
        "TIME001",
        Outcome.PASSED,
        f"received on {t.received_on.isoformat()} (Asia/Almaty): {steps}{note}",
        evidence={
            "received_on": t.received_on.isoformat(),
            "provisional": t.provisional,
            "due": {s.paragraph.value: s.due.isoformat() for s in t.steps},
        },
    )


CHECKS: tuple[Check, ...] = (Check("TIME001", review_timeline),)
"""Checks of this area; see `intake.rules` for their codes."""
