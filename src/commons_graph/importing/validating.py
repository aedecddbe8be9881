"""Validating a whole import at once against the service's shapes, fast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.shacl_sparql import Unsupported, hierarchy_quads, run_checks, service_checks
from commons_graph.terms import rdflib_graph
from commons_graph.validation import validate


@dataclass(frozen=True)
class ShapeViolation:
    """One blocking SHACL result on an imported resource."""

    focus: str
    path: str | None
    value: str | None
    component: str
    message: str


def validate_quads(
    quads: Iterable[ox.Quad], *, lang: str = "en", engine: str = "auto"
) -> tuple[list[ShapeViolation], str]:
    """The violations of `quads` (their graphs taken together) against the shapes, and the
    engine that found them.

    `engine` is "sparql" (shapes compiled to SPARQL on pyoxigraph), "pyshacl", or "auto":
    SPARQL unless the data meets a shape it cannot compile.
    """
    data = list(quads)
    if engine in ("auto", "sparql"):
        store = ox.Store()
        store.extend(data)
        store.extend(hierarchy_quads())
        try:
            found = [
                ShapeViolation(r.focus, r.path, r.value, r.component, r.message(lang))
                for r in run_checks(store, service_checks())
                if r.severity == "Violation"
            ]
            return _unique(found), "sparql"
        except Unsupported:
            if engine == "sparql":
                raise
    report = validate(rdflib_graph(data), lang=lang, inplace=True)
    found = [
        ShapeViolation(v.focus, v.path, v.value, v.component, v.message)
        for v in report.violations
        if v.severity == "Violation"
    ]
    return _unique(found), "pyshacl"


def _unique(found: list[ShapeViolation]) -> list[ShapeViolation]:
    return sorted(set(found), key=lambda v: (v.focus, v.path or "", v.component, v.value or ""))
