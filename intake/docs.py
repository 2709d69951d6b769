"""Generated documents: `docs/rules.md`, the JSON Schemas, the XML Schema of `application.xml` and the
OpenAPI document. `python -m intake.docs` writes them; tests keep the committed files equal to what the code
generates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intake import application, xmlforms
from intake.checks import emitters
from intake.models import Kind, Report
from intake.rules import ACT, PROFILE, RULES_LIST, documents_for


def catalog_markdown() -> str:
    """`docs/rules.md`: one section per code, generated from the catalog and the table of checks (a test
    keeps them equal), each naming the check(s) that emit it."""
    by_code = emitters()
    lines = [
        "# Finding codes",
        "",
        f"Profile `{PROFILE}`: {ACT}.",
        "",
        "Generated from `intake/rules.py` by `make docs`; a test keeps this file equal to the catalog.",
        "Severity `blocking` is a refusal ground or a missing mandatory item, `review` needs a human eye,",
        "`info` never changes the verdict.",
        "",
        "The ground is the ground of refusal of paragraph 27 a failure supports (27.1-27.7), beside the",
        "paragraph the requirement comes from.",
        "",
        "| code | title | paragraph | ground | severity |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += [
        f"| [{r.code}](#{r.code.lower()}) | {r.title} | {', '.join(r.basis)} | {r.ground or '-'} | {r.severity} |"
        for r in RULES_LIST
    ]
    for r in RULES_LIST:
        checks = ", ".join(f"`intake.judgements.{name}`" for name in by_code.get(r.code, ())) or "none (retired)"
        lines += [
            "",
            f"## {r.code}",
            "",
            f"**{r.title}**{' (retired)' if r.retired else ''}. Paragraph {', '.join(r.basis)} of the Rules; "
            f"severity `{r.severity}`.",
            "",
            f"What it checks: {r.checks}",
            "",
            f"How the applicant fixes it: {r.fix}",
            "",
            f"Ground of paragraph 27: {r.ground or 'none'} ({r.ground_reason}).",
            "",
            f"Emitted by: {checks}.",
        ]
    lines += ["", "# Documents", ""]
    for kind in (Kind.ORGANIZATION, Kind.SPECIALIST):
        lines += [
            f"## {kind.value}",
            "",
            "| order | id | paragraph | condition | names (ru / kk / en) |",
            "| --- | --- | --- | --- | --- |",
        ]
        for d in documents_for(kind):
            names = " / ".join(d.names[lang] for lang in ("ru", "kk", "en"))
            lines.append(f"| {d.order:02d} | `{d.id}` | {d.basis} | {d.condition} | {names} |")
        lines.append("")
    return "\n".join(lines)


def report_schema() -> dict[str, Any]:
    """The JSON Schema of the report (draft 2020-12)."""
    out = Report.model_json_schema(mode="serialization")
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["$id"] = "https://intake.example/schemas/report-1.json"
    return out


def generated() -> dict[str, str]:
    """Path (relative to the project root) -> content."""
    from intake.service.api import openapi_document

    return {
        "docs/rules.md": catalog_markdown() + "\n",
        "docs/report.schema.json": json.dumps(report_schema(), indent=2, ensure_ascii=False) + "\n",
        "docs/application.schema.json": json.dumps(application.schema(), indent=2, ensure_ascii=False) + "\n",
        "docs/application.xsd": xmlforms.xsd(application.schema()),
        "docs/openapi.json": json.dumps(openapi_document(), indent=2, ensure_ascii=False) + "\n",
    }


def write(root: Path) -> list[Path]:
    """Write every generated document under `root`."""
    out = []
    for rel, text in generated().items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    for p in write(Path.cwd()):
        print(p)
