"""Generated documents: `docs/rules.md`, the JSON Schemas and the OpenAPI document. `python -m intake.docs` writes them;
tests keep the committed files equal to what the code generates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from intake import application
from intake.models import Report
from intake.rules import catalog_markdown


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
