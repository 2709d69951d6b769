"""FORM: the application itself (paragraphs 4, 10, 12, 18, 30, 32)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from intake import fields
from intake.ids import is_nca_test_identity, validate_bin, validate_iin
from intake.judgements import Check
from intake.models import (
    Address,
    ChangeApplication,
    Dossier,
    Finding,
    Kind,
    OrganizationApplication,
    Outcome,
    RemovalApplication,
    Say,
    SpecialistApplication,
    say,
    say_n,
)
from intake.rules import finding

_APP = "application.json"
ALMATY: Final = ZoneInfo("Asia/Almaty")


def application_present(dossier: Dossier) -> Iterator[Finding]:
    """FORM001, FORM002: the application exists and is readable JSON."""
    basis = {Kind.SPECIALIST: "15", Kind.REMOVAL: "32"}.get(dossier.kind, "7") if dossier.kind else "7"
    missing = [p for p in dossier.application_problems if p.kind == "missing"]
    if missing:
        yield finding(
            "FORM001", Outcome.FAILED, say("expected {file} in the dossier; found none", file=_APP), basis=basis
        )
        return
    name = dossier.application_file or _APP  # application.json, or its signed XML form application.xml
    yield finding(
        "FORM001", Outcome.PASSED, say("{file} is present", file=name), document=dossier.application_file, basis=basis
    )
    unreadable = [p for p in dossier.application_problems if p.kind == "unreadable"]
    basis2 = "18" if dossier.kind is Kind.SPECIALIST else "10"
    for p in unreadable:
        yield finding(
            "FORM002",
            Outcome.FAILED,
            say("{file} is {problem}", file=name, problem=p.template or p.message),
            document=dossier.application_file,
            basis=basis2,
        )
    if not unreadable:
        yield finding(
            "FORM002",
            Outcome.PASSED,
            say("{file} is readable {format}", file=name, format="XML" if name.endswith(".xml") else "JSON"),
            document=dossier.application_file,
            basis=basis2,
        )


def application_fields(dossier: Dossier) -> Iterator[Finding]:
    """FORM003, FORM004: every mandatory field present and of the right type; no unknown fields."""
    if any(p.kind in {"missing", "unreadable"} for p in dossier.application_problems):
        return  # FORM001/FORM002 already say why there are no fields to check
    basis = "18" if dossier.kind is Kind.SPECIALIST else "30" if dossier.kind is Kind.CHANGE else "10"
    invalid = [p for p in dossier.application_problems if p.kind == "invalid"]
    for p in invalid:
        shown = "" if p.value is None else say(" (found {value})", value=repr(p.value))
        yield finding(
            "FORM003",
            Outcome.FAILED,
            say("field `{field}`: {problem}{found}", field=p.field, problem=p.template or p.message, found=shown),
            document=dossier.application_file,
            evidence={"field": p.field, "value": p.value},
            basis=basis,
        )
    if not invalid:
        yield finding(
            "FORM003",
            Outcome.PASSED,
            say(
                "every mandatory field of the {kind} form is filled in with the right type",
                kind=dossier.kind.value if dossier.kind else say("application"),
            ),
            document=dossier.application_file,
            basis=basis,
        )
    unknown = [p for p in dossier.application_problems if p.kind == "unknown_field"]
    basis4 = "18" if dossier.kind is Kind.SPECIALIST else "10"
    for p in unknown:
        yield finding(
            "FORM004",
            Outcome.FAILED,
            say("field `{field}` is not a field of the form (misspelt?)", field=p.field),
            document=dossier.application_file,
            evidence={"field": p.field},
            basis=basis4,
        )


# --------------------------------------------------------------------------- field checks (FORM005-FORM015)

AnyRecord = OrganizationApplication | SpecialistApplication | RemovalApplication


def _local_date(moment: datetime) -> date:
    """The Asia/Almaty calendar date of a moment (the dates of the forms are Almaty dates)."""
    return moment.astimezone(ALMATY).date()


def _records(dossier: Dossier) -> Iterator[tuple[str, AnyRecord]]:
    """The records whose fields are checked, with the dotted prefix of their fields.

    A change request (paragraph 30) carries the updated record in full: its fields are checked
    as those of a new application, under `updated.`.
    """
    app = dossier.application
    if app is None:
        return
    if isinstance(app, ChangeApplication):
        yield "updated.", app.updated
    else:
        yield "", app


def _blank(value: str | None) -> bool:
    return value is None or not value.strip()


def _left_blank(path: str, record: object, names: tuple[str, ...], why: Say) -> list[tuple[str, Say, Any]]:
    """A problem `(field, why, None)` for each of the record's fields `names` left blank, in their order."""
    return [(f"{path}{name}", why, None) for name in names if _blank(getattr(record, name))]


def _fail(
    code: str, dossier: Dossier, field: str, message: Say, value: Any = None, basis: str | None = None, **extra: Any
) -> Finding:
    evidence: dict[str, Any] = {"field": field}
    if value is not None:
        evidence["value"] = value
    evidence.update(extra)
    return finding(
        code,
        Outcome.FAILED,
        say("`{field}`: {problem}", field=field, problem=message),
        document=dossier.application_file,
        evidence=evidence,
        basis=basis,
    )


def _pass(code: str, dossier: Dossier, message: Say, basis: str | None = None, **evidence: Any) -> Finding:
    return finding(code, Outcome.PASSED, message, document=dossier.application_file, evidence=evidence, basis=basis)


def _identifier_findings(code: str, dossier: Dossier, field: str, value: str, what: str) -> Iterator[Finding]:
    basis = "4" if code == "FORM005" else "12"
    if is_nca_test_identity(value):
        yield _fail(
            code,
            dossier,
            field,
            say(
                "{value} is an identity of the NCA test certificates, never a valid {what} in an application",
                value=value,
                what=what,
            ),
            value,
            basis=basis,
        )
        return
    problems = validate_bin(value) if what == "BIN" else validate_iin(value, at=_local_date(dossier.at))
    if problems:
        yield _fail(
            code,
            dossier,
            field,
            say("'{value}' is not a valid {what}: {problems}", value=value, what=what, problems="; ".join(problems)),
            value,
            basis=basis,
            problems=problems,
        )
    else:
        yield _pass(
            code,
            dossier,
            say("`{field}` {value} is a valid {what}", field=field, value=value, what=what),
            basis=basis,
            field=field,
            value=value,
        )


def identifiers(dossier: Dossier) -> Iterator[Finding]:
    """FORM005 (BIN), FORM006 (IIN): 12 digits, check digit, birth date and century, BIN type digit.

    NCA test identities (`intake.ids.is_nca_test_identity`) are never valid in an application.
    """
    for prefix, rec in _records(dossier):
        if isinstance(rec, OrganizationApplication):
            yield from _identifier_findings("FORM005", dossier, f"{prefix}bin", rec.bin, "BIN")
            for i, s in enumerate(rec.specialists):
                if s.iin is not None:
                    yield from _identifier_findings("FORM006", dossier, f"{prefix}specialists[{i}].iin", s.iin, "IIN")
        elif isinstance(rec, SpecialistApplication):
            yield from _identifier_findings("FORM006", dossier, f"{prefix}iin", rec.iin, "IIN")
        else:
            if rec.bin is not None:
                yield from _identifier_findings("FORM005", dossier, f"{prefix}bin", rec.bin, "BIN")
            if rec.iin is not None:
                yield from _identifier_findings("FORM006", dossier, f"{prefix}iin", rec.iin, "IIN")


def email(dossier: Dossier) -> Iterator[Finding]:
    """FORM007: the e-mail address, where the decision is sent (paragraph 28)."""
    for prefix, rec in _records(dossier):
        field = f"{prefix}contacts.email"
        why = fields.email_problem(rec.contacts.email)
        if why is None:
            yield _pass(
                "FORM007",
                dossier,
                say("`{field}` {value} is a valid e-mail address", field=field, value=rec.contacts.email),
                field=field,
                value=rec.contacts.email,
            )
        else:
            yield _fail(
                "FORM007",
                dossier,
                field,
                say("'{value}' is not a valid e-mail address ({why})", value=rec.contacts.email, why=why),
                rec.contacts.email,
            )


def phones(dossier: Dossier) -> Iterator[Finding]:
    """FORM008: each telephone and the fax (if given) is a valid Kazakh number; shown in E.164 form."""
    for prefix, rec in _records(dossier):
        numbers = [(f"{prefix}contacts.phones[{i}]", p) for i, p in enumerate(rec.contacts.phones)]
        if rec.contacts.fax is not None and rec.contacts.fax.strip():
            numbers.append((f"{prefix}contacts.fax", rec.contacts.fax))
        good: dict[str, str] = {}
        for field, value in numbers:
            phone = fields.normalise_phone(value)
            if phone.e164 is None:
                yield _fail(
                    "FORM008",
                    dossier,
                    field,
                    say("'{value}': {problem}", value=value, problem=phone.problem or ""),
                    value,
                )
            else:
                good[field] = phone.e164
        if good and len(good) == len(numbers):
            shown = ", ".join(f"`{k}` {v}" for k, v in good.items())
            yield _pass(
                "FORM008", dossier, say("telephones are valid Kazakh numbers: {numbers}", numbers=shown), e164=good
            )


def _addresses(rec: AnyRecord) -> list[tuple[str, Address]]:
    if isinstance(rec, OrganizationApplication):
        return [("legal_address", rec.legal_address)] + [
            (f"facility_addresses[{i}]", a) for i, a in enumerate(rec.facility_addresses)
        ]
    if isinstance(rec, SpecialistApplication):
        return [("address", rec.address)]
    out = [("address", rec.address)]
    if rec.facility_address is not None:
        out.append(("facility_address", rec.facility_address))
    return out


def addresses(dossier: Dossier) -> Iterator[Finding]:
    """FORM009: region (current region or city of republican significance), locality, street, house, postal code."""
    for prefix, rec in _records(dossier):
        checked: list[str] = []
        failed = False
        for name, address in _addresses(rec):
            field = f"{prefix}{name}"
            for p in fields.address_problems(address):
                failed = True
                yield _fail("FORM009", dossier, f"{field}.{p.field}", say("{problem}", problem=p.message), p.value)
            checked.append(field)
        if not failed:
            regions = [r.en for _, a in _addresses(rec) if (r := fields.find_region(a.region)) is not None]
            yield _pass(
                "FORM009",
                dossier,
                say(
                    "addresses complete ({fields}; regions: {regions})",
                    fields=", ".join(f"`{c}`" for c in checked),
                    regions=", ".join(regions),
                ),
                fields=checked,
                regions=regions,
            )


def register_fields(dossier: Dossier) -> Iterator[Finding]:
    """FORM010: the register fields of paragraph 4 an organization must give for what it does."""
    for prefix, rec in _records(dossier):
        if not isinstance(rec, OrganizationApplication):
            continue
        problems: list[tuple[str, Say, Any]] = []
        act = rec.activity
        if not act.provides_services and not act.sells_rtd:
            problems.append(
                (
                    "activity",
                    say("neither provides services nor sells RTDs (paragraph 2.2: a supplier does one or both)"),
                    None,
                )
            )
        if act.provides_services:
            if not rec.services:
                problems.append(
                    (
                        "services",
                        say("no service listed although the organization provides services (paragraph 4.6)"),
                        None,
                    )
                )
            for i, s in enumerate(rec.services):
                problems += _left_blank(f"services[{i}].", s, ("name",), say("is empty"))
                if s.price_kzt <= 0:
                    problems.append(
                        (
                            f"services[{i}].price_kzt",
                            say("price {price} is not above 0 (paragraph 4.6)", price=str(s.price_kzt)),
                            str(s.price_kzt),
                        )
                    )
            if rec.places is None:
                problems.append(("places", say("number of places not given (paragraph 4.11)"), None))
            elif rec.places.total == 0:
                problems.append(
                    ("places.total", say("is 0 although the organization provides services (paragraph 4.11)"), 0)
                )
            if not rec.specialists:
                problems.append(("specialists", say("no specialist listed (paragraph 4.11)"), None))
            for i, sp in enumerate(rec.specialists):
                problems += _left_blank(f"specialists[{i}].", sp, ("position",), say("is empty"))
        if rec.places is not None and rec.places.available > rec.places.total:
            problems.append(
                (
                    "places.available",
                    say_n(
                        "{n} available place exceeds the {total} in total (paragraph 4.11)",
                        "{n} available places exceed the {total} in total (paragraph 4.11)",
                        rec.places.available,
                        total=rec.places.total,
                    ),
                    rec.places.available,
                )
            )
        if act.sells_rtd:
            if not rec.rtds:
                problems.append(
                    ("rtds", say("no RTD listed although the organization sells RTDs (paragraph 4.7)"), None)
                )
            for i, r in enumerate(rec.rtds):
                problems += _left_blank(
                    f"rtds[{i}].", r, ("type", "technical_features"), say("is empty (paragraph 4.7)")
                )
                if r.cost_kzt <= 0:
                    problems.append(
                        (
                            f"rtds[{i}].cost_kzt",
                            say("cost {cost} is not above 0 (paragraph 4.8)", cost=str(r.cost_kzt)),
                            str(r.cost_kzt),
                        )
                    )
        if rec.accessibility is None:
            problems.append(("accessibility", say("not stated (paragraph 4.9)"), None))
        for field, message, value in problems:
            yield _fail("FORM010", dossier, f"{prefix}{field}", message, value)
        if not problems:
            what = tuple(
                w
                for w, on in ((say("services with prices"), act.provides_services), (say("RTDs"), act.sells_rtd))
                if on
            )
            yield _pass(
                "FORM010",
                dossier,
                say("register fields of paragraph 4 given ({what}, accessibility, places and specialists)", what=what),
            )


def registry_fields(dossier: Dossier) -> Iterator[Finding]:
    """FORM011: position, education, qualification, work experience of a specialist (paragraph 12)."""
    today = _local_date(dossier.at)
    for prefix, rec in _records(dossier):
        if not isinstance(rec, SpecialistApplication):
            continue
        problems = _left_blank("", rec, ("position", "education", "qualification"), say("is empty"))
        if rec.experience_years is None and not rec.experience:
            problems.append(
                ("experience", say("no work experience given (neither `experience_years` nor periods)"), None)
            )
        for i, e in enumerate(rec.experience):
            problems += _left_blank(f"experience[{i}].", e, ("organization", "position"), say("is empty"))
            if e.start > today:
                problems.append(
                    (f"experience[{i}].start", say("{date} is in the future", date=str(e.start)), e.start.isoformat())
                )
            if e.end is not None and e.end < e.start:
                problems.append(
                    (
                        f"experience[{i}].end",
                        say("{date} is before the start {start}", date=str(e.end), start=str(e.start)),
                        e.end.isoformat(),
                    )
                )
            if e.end is not None and e.end > today:
                problems.append(
                    (f"experience[{i}].end", say("{date} is in the future", date=str(e.end)), e.end.isoformat())
                )
        for i, s in enumerate(rec.service_types):
            if _blank(s):
                problems.append((f"service_types[{i}]", say("is empty"), None))
        for field, message, value in problems:
            yield _fail("FORM011", dossier, f"{prefix}{field}", message, value)
        if not problems:
            yield _pass(
                "FORM011",
                dossier,
                say("registry fields of paragraph 12 given (position, education, qualification, work experience)"),
            )


_CONSENTS: Final = {
    "official_contacts": say("the contacts given are official"),
    "documents_true": say("the documents are true and valid"),
    "personal_data": say("consent to the collection and processing of personal data"),
}


def consents(dossier: Dossier) -> Iterator[Finding]:
    """FORM012: the confirmations of Appendices 1-3 are given."""
    for prefix, rec in _records(dossier):
        missing = [k for k in _CONSENTS if not getattr(rec.consents, k)]
        basis = "15" if isinstance(rec, SpecialistApplication) else "7"
        for k in missing:
            yield _fail(
                "FORM012",
                dossier,
                f"{prefix}consents.{k}",
                say("not confirmed ({what})", what=_CONSENTS[k]),
                False,
                basis=basis,
            )
        if not missing:
            yield _pass("FORM012", dossier, say("every confirmation of the form is given"), basis=basis)


def filled_out_date(dossier: Dossier) -> Iterator[Finding]:
    """FORM013: the 'filled out on' date is not after the validation moment (nor after the submission)."""
    app = dossier.application
    if app is None:
        return
    today = _local_date(dossier.at)
    dated: list[tuple[str, date]] = [("filled_out_on", app.filled_out_on)]
    if isinstance(app, ChangeApplication):
        dated.append(("updated.filled_out_on", app.updated.filled_out_on))
    basis = "18" if dossier.kind is Kind.SPECIALIST else "10"
    bad = False
    for field, value in dated:
        if value > today:
            bad = True
            yield _fail(
                "FORM013",
                dossier,
                field,
                say("{date} is after the validation date {today}", date=str(value), today=str(today)),
                value.isoformat(),
                basis=basis,
            )
        elif dossier.submitted_at is not None and value > _local_date(dossier.submitted_at):
            bad = True
            yield _fail(
                "FORM013",
                dossier,
                field,
                say(
                    "{date} is after the submission date {submitted}",
                    date=str(value),
                    submitted=str(_local_date(dossier.submitted_at)),
                ),
                value.isoformat(),
                basis=basis,
            )
    if not bad:
        yield _pass(
            "FORM013",
            dossier,
            say("filled out on {date}, not after {today}", date=str(app.filled_out_on), today=str(today)),
            basis=basis,
            field="filled_out_on",
            value=app.filled_out_on.isoformat(),
        )


def removal_request(dossier: Dossier) -> Iterator[Finding]:
    """FORM014: a removal request (Appendix 3) names the supplier, its BIN or IIN, address, contacts and head."""
    app = dossier.application
    if not isinstance(app, RemovalApplication):
        return
    problems: list[tuple[str, Say]] = []
    if _blank(app.supplier_name):
        problems.append(("supplier_name", say("is empty")))
    if _blank(app.bin) and _blank(app.iin):
        problems.append(("bin", say("neither a BIN (organization) nor an IIN (specialist) is given")))
    elif not _blank(app.bin) and not _blank(app.iin):
        problems.append(("iin", say("both a BIN and an IIN are given: a removal request is for one supplier")))
    if _blank(app.head.last_name) or _blank(app.head.first_name):
        problems.append(("head", say("the head's last and first names are required")))
    if _blank(app.registration_number) and not app.service_types:
        problems.append(("service_types", say("neither the register entry nor the service types are given")))
    for field, message in problems:
        yield _fail("FORM014", dossier, field, message)
    if not problems:
        yield _pass(
            "FORM014",
            dossier,
            say(
                "removal request names {supplier}, its {id}, address, contacts and head",
                supplier=app.supplier_name,
                id="BIN" if app.bin else "IIN",
            ),
        )


def change_request(dossier: Dossier) -> Iterator[Finding]:
    """FORM015: a change request names the register entry and the changed fields; the updated record is whole."""
    app = dossier.application
    if not isinstance(app, ChangeApplication):
        return
    problems: list[tuple[str, Say, Any]] = []
    if _blank(app.registration_number):
        problems.append(("registration_number", say("the register entry to change is not named"), None))
    upd = app.updated
    if upd.registration_number is not None and upd.registration_number.strip() != app.registration_number.strip():
        problems.append(
            (
                "updated.registration_number",
                say(
                    "'{number}' differs from the entry to change '{entry}'",
                    number=upd.registration_number,
                    entry=app.registration_number,
                ),
                upd.registration_number,
            )
        )
    known = set(type(upd).model_fields)
    for i, name in enumerate(app.changed_fields):
        head = re.split(r"[.\[]", name.strip(), maxsplit=1)[0]
        if _blank(name):
            problems.append((f"changed_fields[{i}]", say("is empty"), None))
        elif head not in known or head in {"kind", "registration_number"}:
            problems.append(
                (
                    f"changed_fields[{i}]",
                    say("'{name}' is not a field of the {kind} record", name=name, kind=upd.kind),
                    name,
                )
            )
    for field, message, value in problems:
        yield _fail("FORM015", dossier, field, message, value)
    if not problems:
        yield _pass(
            "FORM015",
            dossier,
            say(
                "change of entry {entry}: {fields}", entry=app.registration_number, fields=", ".join(app.changed_fields)
            ),
            changed_fields=list(app.changed_fields),
        )


CHECKS: tuple[Check, ...] = (
    Check("FORM001", application_present, also=["FORM002"]),
    Check("FORM003", application_fields, also=["FORM004"]),
    Check("FORM005", identifiers, also=["FORM006"]),
    Check("FORM007", email),
    Check("FORM008", phones),
    Check("FORM009", addresses),
    Check("FORM010", register_fields),
    Check("FORM011", registry_fields),
    Check("FORM012", consents),
    Check("FORM013", filled_out_date),
    Check("FORM014", removal_request),
    Check("FORM015", change_request),
)
