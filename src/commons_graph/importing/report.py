"""An import's report as a JSON file: counts, how kinds were decided, columns, problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from commons_graph.importing.operation import ImportReport


def report_data(report: ImportReport) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "dataset": report.dataset,
        "graph": report.graph,
        "rows_read": report.rows_read,
        "imported": report.imported,
        "skipped": report.skipped,
        "linked": report.linked,
        "triples": report.triples,
        "validation": report.engine,
        "seconds": round(report.seconds, 3),
        "kinds": report.kinds,
        "columns": [column.as_dict() for column in report.columns],
        "issues": [
            {
                "row": issue.row,
                "column": issue.column,
                "message": issue.message,
                "severity": issue.severity,
            }
            for issue in report.issues
        ],
    }


def write_report(report: ImportReport, path: Path) -> None:
    """Write the report to `path` as JSON (UTF-8, indented)."""
    text = json.dumps(report_data(report), ensure_ascii=False, indent=2)
    path.write_text(text + "\n", encoding="utf-8")
