"""TIME: the review timeline (paragraphs 21, 22, 26, 27, 28), an information finding.

The due dates are facts computed by the pipeline (`intake.workdays`, `Dossier.timeline`); this
check only reports them, or why they could not be computed.
"""

from __future__ import annotations

from collections.abc import Iterator

from intake.judgements import Check
from intake.models import Dossier, Finding, Outcome, say, say_n
from intake.rules import finding


def review_timeline(dossier: Dossier) -> Iterator[Finding]:
    """TIME001: the due dates of paragraphs 21, 22, 26, 27, 28 in working days of Kazakhstan (info)."""
    if dossier.submitted_at is None:
        yield finding(
            "TIME001",
            Outcome.INDETERMINATE,
            say(
                "no submission moment: give `submitted_at` in the application or --submitted; "
                "the due dates are not computed"
            ),
        )
        return
    t = dossier.timeline
    if t is None:
        yield finding(
            "TIME001",
            Outcome.INDETERMINATE,
            say(
                "the due dates could not be computed: {reason}",
                reason=dossier.timeline_error or say("unknown reason"),
            ),
            evidence={"submitted_at": dossier.submitted_at.isoformat()},
        )
        return
    steps = tuple(
        say(
            "§{paragraph} due {due} ({days})",
            paragraph=s.paragraph.value,
            due=s.due.isoformat(),
            days=say_n("{n} working day", "{n} working days", s.working_days),
        )
        for s in t.steps
    )
    note = say(" (provisional: later decrees may move these dates)") if t.provisional else ""
    yield finding(
        "TIME001",
        Outcome.PASSED,
        say("received on {date} (Asia/Almaty): {steps}{note}", date=t.received_on.isoformat(), steps=steps, note=note),
        evidence={
            "received_on": t.received_on.isoformat(),
            "provisional": t.provisional,
            "due": {s.paragraph.value: s.due.isoformat() for s in t.steps},
        },
    )


CHECKS: tuple[Check, ...] = (Check("TIME001", review_timeline),)
"""Checks of this area; see `intake.rules` for their codes."""
