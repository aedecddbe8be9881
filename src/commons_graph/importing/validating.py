"""Validating an import against the service's shapes, fast, while its rows are read."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.shacl_sparql import (
    Result,
    Unsupported,
    hierarchy_quads,
    predicates,
    run_checks,
    service_checks,
)
from commons_graph.store.base import text_format, text_quads
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


class QuadValidation:
    """The validation of statements given batch by batch, each batch describing resources of
    its own (an import's rows: each row its organisation, address and geometry).

    `engine` is "sparql" (shapes compiled to SPARQL on pyoxigraph), "pyshacl", or "auto":
    SPARQL unless the data meets a shape it cannot compile.
    """

    def __init__(self, *, lang: str = "en", engine: str = "auto") -> None:
        self.lang, self.engine = lang, engine
        self.batches: list[tuple[bytes, ox.NamedNode | None]] = []
        # Each batch is checked in a second thread while the caller makes the next (Oxigraph
        # parses and queries without holding the GIL). Checking batches apart finds what
        # checking them together would: every check follows paths from a focus node, and a
        # batch holds all that is said about its focus nodes.
        self._checking = ThreadPoolExecutor(max_workers=1, thread_name_prefix="validation")
        self._checked: list[Future[list[Result]]] = []

    def add(self, data: bytes, *, graph: ox.NamedNode | None = None) -> None:
        """Take in a batch: N-Triples whose statements are in `graph`, or N-Quads."""
        self.batches.append((data, graph))
        if self.engine in ("auto", "sparql"):
            self._checked.append(self._checking.submit(_check_batch, data, graph))

    def violations(self) -> tuple[list[ShapeViolation], str]:
        """The violations of the statements taken in, and the engine that found them."""
        self._checking.shutdown()
        if self.engine in ("auto", "sparql"):
            try:
                found = [
                    ShapeViolation(r.focus, r.path, r.value, r.component, r.message(self.lang))
                    for checked in self._checked
                    for r in checked.result()
                    if r.severity == "Violation"
                ]
                return _unique(found), "sparql"
            except Unsupported:
                if self.engine == "sparql":
                    raise
        quads = [quad for data, graph in self.batches for quad in text_quads(data, graph)]
        report = validate(rdflib_graph(quads), lang=self.lang, inplace=True)
        found = [
            ShapeViolation(v.focus, v.path, v.value, v.component, v.message)
            for v in report.violations
            if v.severity == "Violation"
        ]
        return _unique(found), "pyshacl"


def _check_batch(data: bytes, graph: ox.NamedNode | None) -> list[Result]:
    """The compiled checks' results on a batch and the class hierarchy."""
    store = ox.Store()
    store.extend(hierarchy_quads())
    store.load(data, text_format(graph), to_graph=graph)
    return list(run_checks(store, service_checks().for_predicates(predicates(store))))


def validate_quads(
    quads: Iterable[ox.Quad], *, lang: str = "en", engine: str = "auto"
) -> tuple[list[ShapeViolation], str]:
    """The violations of `quads` (their graphs taken together) against the shapes, and the
    engine that found them (see QuadValidation)."""
    validation = QuadValidation(lang=lang, engine=engine)
    validation.add(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    return validation.violations()


def _unique(found: list[ShapeViolation]) -> list[ShapeViolation]:
    return sorted(set(found), key=lambda v: (v.focus, v.path or "", v.component, v.value or ""))
