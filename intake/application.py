"""Reading `application.json`: the application of Appendix 1, 2, 3 or a change request (paragraph 30).

Reading never raises for a defect of the application: bad JSON, a wrong type or a missing field
becomes an `ApplicationProblem` naming the field, which the FORM checks turn into findings
(paragraphs 10 and 18: the filling of the fields is checked before the data are saved).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from intake.models import (
    Application,
    ApplicationProblem,
    ChangeApplication,
    Kind,
    OrganizationApplication,
    RemovalApplication,
    Say,
    SpecialistApplication,
    say,
    say_n,
)

APPLICATION_NAME = "application.json"
MAX_BYTES = 2 * 1024 * 1024  # an application form is a few kilobytes; anything near this is not one

AnyApplication = OrganizationApplication | SpecialistApplication | RemovalApplication | ChangeApplication

_ADAPTER: TypeAdapter[AnyApplication] = TypeAdapter(Application)


@dataclass(frozen=True)
class LoadedApplication:
    """What was read: the model when it validated, the raw object, the kind, and every problem."""

    application: AnyApplication | None
    raw: dict[str, Any] | None
    kind: Kind | None
    problems: tuple[ApplicationProblem, ...]


def _field(loc: tuple[int | str, ...]) -> str:
    """`("head", "last_name")` -> `head.last_name`; `("phones", 0)` -> `phones[0]`; union tags dropped."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {k.value for k in Kind}:
            continue  # the discriminated-union tag pydantic puts in the path
        else:
            out += ("." if out else "") + part
    return out or "(root)"


def _kind_of(raw: dict[str, Any]) -> Kind | None:
    value = raw.get("kind")
    try:
        return Kind(value) if isinstance(value, str) else None
    except ValueError:
        return None


def parse(raw: Any) -> LoadedApplication:
    """Validate a decoded JSON value as an application."""
    if not isinstance(raw, dict):
        return LoadedApplication(
            None,
            None,
            None,
            (
                ApplicationProblem(
                    kind="unreadable",
                    **_said(say("expected a JSON object, found {type}", type=type(raw).__name__)),
                ),
            ),
        )
    kind = _kind_of(raw)
    if kind is None:
        value = raw.get("kind")
        msg = (
            say("the field `kind` is missing")
            if value is None
            else say(
                "`kind` is '{value}'; expected one of {kinds}", value=str(value), kinds=", ".join(k.value for k in Kind)
            )
        )
        return LoadedApplication(None, raw, None, (ApplicationProblem(kind="invalid", field="kind", **_said(msg)),))
    try:
        # Strict JSON mode: "no" is not a boolean and "5" is not a number (paragraphs 10, 18: the
        # filling of each field is checked); ISO dates and decimal numbers are still read from JSON.
        app = _ADAPTER.validate_json(json.dumps(raw), strict=True)
    except RecursionError:
        problem = ApplicationProblem(kind="invalid", **_said(say("the application is nested too deeply to be a form")))
        return LoadedApplication(None, raw, kind, (problem,))
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            problem_kind = "unknown_field" if err["type"] == "extra_forbidden" else "invalid"
            value = err.get("input") if err["type"] != "missing" else None
            if isinstance(value, dict | list):
                value = None  # the whole sub-object is noise in a finding
            # pydantic's words are English; the commonest one is said in the language
            msg = say("required, but missing") if err["type"] == "missing" else say("{problem}", problem=err["msg"])
            problems.append(
                ApplicationProblem(kind=problem_kind, field=_field(tuple(err["loc"])), value=value, **_said(msg))
            )
        return LoadedApplication(None, raw, kind, tuple(problems))
    return LoadedApplication(app, raw, kind, ())


def _said(message: Say) -> dict[str, Any]:
    """The fields of a problem's message: English, and the template to say it in the report's language."""
    return {"message": str(message), "template": message}


def _unreadable(message: Say) -> LoadedApplication:
    return LoadedApplication(None, None, None, (ApplicationProblem(kind="unreadable", **_said(message)),))


def load(path: Path | None) -> LoadedApplication:
    """Read and validate `application.json`; a missing or unreadable file is a problem, not an error."""
    if path is None:
        return LoadedApplication(
            None,
            None,
            None,
            (ApplicationProblem(kind="missing", **_said(say("no {file} in the dossier", file=APPLICATION_NAME))),),
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return _unreadable(
                say_n(
                    "{n} byte long; an application form is at most {max} bytes",
                    "{n} bytes long; an application form is at most {max} bytes",
                    size,
                    max=MAX_BYTES,
                )
            )
        if path.suffix.lower() == ".xml":
            return _load_xml(path.read_bytes())
        raw = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return _unreadable(say("not UTF-8 text ({reason})", reason=str(exc.reason)))
    except json.JSONDecodeError as exc:
        return _unreadable(
            say(
                "not valid JSON: {error} at line {line} column {column}",
                error=exc.msg,
                line=exc.lineno,
                column=exc.colno,
            )
        )
    except RecursionError:
        return _unreadable(say("not valid JSON for a form: nested too deeply"))
    except ValueError as exc:  # an integer of more than 4300 digits, among others
        return _unreadable(say("not valid JSON for a form: {error}", error=str(exc)))
    except OSError as exc:
        return _unreadable(say("cannot be read: {error}", error=str(exc.strerror)))
    return parse(raw)


def _load_xml(data: bytes) -> LoadedApplication:
    """`application.xml`: the same fields as elements (`intake.xmlforms`), typed by the JSON Schema."""
    from intake import xmlforms

    try:
        raw = xmlforms.read(data, schema())
    except xmlforms.FormError as exc:
        return _unreadable(say("not a readable XML application: {error}", error=str(exc)))
    return parse(raw)


def schema() -> dict[str, Any]:
    """The JSON Schema of `application.json` (committed as `docs/application.schema.json`)."""
    out = _ADAPTER.json_schema(mode="validation")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "intake application.json (Order No. 377, Appendices 1-3, paragraph 30)"
    return out
