"""Validating an import against the service's shapes, fast, while its rows are read."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from commons_graph.rdf.conversion import rdflib_graph
from commons_graph.store.text import text_quads
from commons_graph.validation.compiled import Result, predicates, run_checks, service_checks
from commons_graph.validation.engine import Engine, engine_named, with_fallback
from commons_graph.validation.reference import validate
from commons_graph.validation.report import Violation, in_order
from commons_graph.validation.shapes import hierarchy_quads
from commons_graph.validation.written import as_written, store_text_as_written


class QuadValidation:
    """The validation of statements given batch by batch, each batch describing resources of
    its own (an import's rows: each row its organisation, address and geometry).

    `engine`: Engine.COMPILED (the compiled checks; Unsupported when they decline),
    Engine.PYSHACL, or Engine.AUTO (the compiled checks unless they decline).
    """

    def __init__(self, *, lang: str = "en", engine: Engine | str = Engine.AUTO) -> None:
        self.lang, self.engine = lang, engine_named(engine)
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
        if self.engine is not Engine.PYSHACL:
            self._checked.append(self._checking.submit(_check_batch, data, graph))

    def violations(self) -> tuple[list[Violation], Engine]:
        """The blocking violations of the statements taken in, and the engine that found them."""
        self._checking.shutdown()

        def compiled() -> list[Violation]:
            return [r.violation(self.lang) for checked in self._checked for r in checked.result()]

        def reference() -> list[Violation]:
            quads = [quad for data, graph in self.batches for quad in text_quads(data, graph)]
            return validate(rdflib_graph(quads), lang=self.lang, inplace=True).violations

        found, engine = with_fallback(self.engine, compiled, reference)
        return in_order(v for v in found if v.severity == "Violation"), engine


def _check_batch(data: bytes, graph: ox.NamedNode | None) -> list[Result]:
    """The compiled checks' results on a batch and the class hierarchy (they raise
    Unsupported for a batch they cannot judge as written)."""
    store, rewritten = store_text_as_written(data, graph, service_checks())
    store.extend(hierarchy_quads())
    checks = service_checks().for_predicates(predicates(store))
    return [as_written(result, rewritten) for result in run_checks(store, checks)]


def validate_quads(
    quads: Iterable[ox.Quad], *, lang: str = "en", engine: Engine | str = Engine.AUTO
) -> tuple[list[Violation], Engine]:
    """The violations of `quads` (their graphs taken together) against the shapes, and the
    engine that found them (see QuadValidation)."""
    validation = QuadValidation(lang=lang, engine=engine)
    validation.add(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"")
    return validation.violations()
