"""SHACL validation, one package whatever engine runs: shapes, compiled checks, pyshacl, reports."""

from commons_graph.i18n import LANGUAGES
from commons_graph.validation.compiled import Unsupported, compile_shapes, run_checks
from commons_graph.validation.context import context_from_store, store_graph, types_from_store
from commons_graph.validation.engine import Engine
from commons_graph.validation.reference import validate
from commons_graph.validation.report import ValidationReport, Violation
from commons_graph.validation.shapes import (
    class_hierarchy,
    shapes_for_classes,
    shapes_graph,
    shapes_version,
)

__all__ = [
    "LANGUAGES",
    "Engine",
    "Unsupported",
    "ValidationReport",
    "Violation",
    "class_hierarchy",
    "compile_shapes",
    "context_from_store",
    "run_checks",
    "shapes_for_classes",
    "shapes_graph",
    "shapes_version",
    "store_graph",
    "types_from_store",
    "validate",
]
