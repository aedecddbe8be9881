"""What a validation returns, whichever engine ran: one Violation type and the report."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from rdflib import Graph, Literal
from rdflib.namespace import RDF, SH
from rdflib.term import Node


@dataclass(frozen=True)
class Violation:
    """One result of a SHACL report, its message in one language."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str
    component: str


def in_order(violations: Iterable[Violation]) -> list[Violation]:
    """The violations without repeats, in a stable order (focus, path, component, value)."""
    return sorted(
        set(violations), key=lambda v: (v.focus, v.path or "", v.component, v.value or "")
    )


def blocking(violations: Iterable[Violation]) -> bool:
    """Whether any result stops data: violations do; warnings and infos let it through."""
    return any(v.severity == "Violation" for v in violations)


@dataclass
class ValidationReport:
    """The outcome of validating data against the shapes."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph, repr=False)

    def to_json_errors(self) -> list[dict[str, str | None]]:
        """The violations in the service's JSON error shape (focus, path, value, message)."""
        return [
            {"focus": v.focus, "path": v.path, "value": v.value, "message": v.message}
            for v in self.violations
        ]

    def to_json(self) -> str:
        """The whole report as JSON."""
        return json.dumps(
            {"conforms": self.conforms, "violations": [asdict(v) for v in self.violations]},
            ensure_ascii=False,
            indent=2,
        )

    def to_turtle(self) -> str:
        """The SHACL validation report graph in Turtle."""
        return self.graph.serialize(format="turtle")


def violations_of(report: Graph, lang: str) -> list[Violation]:
    """The results of a SHACL report graph, their messages in `lang` (else English)."""
    found = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        found.append(
            Violation(
                focus=_text(report.value(result, SH.focusNode)),
                path=_optional(report.value(result, SH.resultPath)),
                value=_optional(report.value(result, SH.value)),
                message=_message(report.objects(result, SH.resultMessage), lang),
                severity=_local_name(report.value(result, SH.resultSeverity)),
                component=_text(report.value(result, SH.sourceConstraintComponent)),
            )
        )
    return sorted(found, key=lambda v: (v.focus, v.path or "", v.component, v.value or ""))


def _message(messages: Iterable[Node], lang: str) -> str:
    by_lang: dict[str | None, str] = {}
    for message in messages:
        if isinstance(message, Literal):
            by_lang.setdefault(message.language, str(message))
    for key in (lang, "en", None):
        if key in by_lang:
            return by_lang[key]
    return next(iter(by_lang.values()), "")


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def _optional(node: Node | None) -> str | None:
    return None if node is None else str(node)


def _local_name(node: Node | None) -> str:
    return _text(node).rsplit("#", 1)[-1]
