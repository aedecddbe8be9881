"""pyshacl, the reference engine: validates rdflib graphs with the service's shapes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from commons_graph.validation.report import ValidationReport, blocking, violations_of
from commons_graph.validation.shapes import class_hierarchy, shapes_for, shapes_graph

# rdflib logs a traceback for every ill-typed literal (a founding date "2012-13-45"); the
# shapes report those as violations in the user's language, so the traceback is only noise.
logging.getLogger("rdflib.term").setLevel(logging.ERROR)


def validate(
    data: Graph,
    *,
    context: Graph | None = None,
    lang: str = "en",
    inplace: bool = False,
    described: Iterable[Node] | None = None,
) -> ValidationReport:
    """Validate `data` (with `context`, e.g. types of referenced resources) against the shapes.

    With `described`, only the shapes aimed at the classes of those resources run: the
    resources a contribution merely points at are typed in its context for `sh:class`, and
    must not be judged themselves (their reports would be dropped anyway, at twice the cost).
    """
    combined = data if inplace else _copy(data)
    if context is not None:
        combined += context
    combined += class_hierarchy()
    shapes = None if described is None else shapes_for(combined, described)
    if shapes == []:
        return ValidationReport(True, [], Graph())
    conforms, report_graph = _run_pyshacl(combined, shapes)
    violations = violations_of(report_graph, lang)
    return ValidationReport(bool(conforms) or not blocking(violations), violations, report_graph)


_PYSHACL_OPTIONS = {"inference": "none", "allow_warnings": True, "inplace": True, "advanced": True}
# pyshacl's shape objects are built once and shared, so validations take turns.
_PYSHACL_LOCK = threading.Lock()


@cache
def _parsed_shapes() -> Any:
    """pyshacl's parsed form of the shapes, built once per process.

    `pyshacl.validate` re-reads the whole shapes graph on every call, which is most of the
    cost of checking a small contribution (measured: 6 ms of 9); the result is the same (checked
    on every case in tests/shapes and every seed file).
    """
    from pyshacl.shapes_graph import ShapesGraph

    parsed = ShapesGraph(shapes_graph())
    parsed.shapes  # noqa: B018 - builds the shape cache now, not during a validation
    return parsed


def _run_pyshacl(data: Graph, shapes: list[str] | None = None) -> tuple[bool, Graph]:
    """Validate `data` in place with the service's shapes (or only `shapes`)."""
    # Imported here: pyshacl takes a fifth of a second to import, which every CLI call would pay.
    from pyshacl.graph_abstraction import DataGraph
    from pyshacl.validator import Validator

    with _PYSHACL_LOCK:
        validator = Validator(
            DataGraph.from_rdflib(data),
            shacl_graph=shapes_graph(),
            options={**_PYSHACL_OPTIONS, "use_shapes": shapes},
        )
        validator.shacl_graph = _parsed_shapes()
        conforms, report_graph, _ = validator.run()  # type: ignore[no-untyped-call]
    return bool(conforms), report_graph


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy
