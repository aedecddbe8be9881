"""The choice of engine and the one fallback policy: compiled checks first, pyshacl when they
decline."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from commons_graph.validation.compiled import Unsupported

T = TypeVar("T")


class Engine(StrEnum):
    """Which engine judges: the values are those of the CLI's `--engine` and of reports."""

    # The compiled checks unless they decline (a shape or value they cannot judge as pyshacl).
    AUTO = "auto"
    # The shapes compiled to SPARQL, run on pyoxigraph; raises Unsupported when they decline.
    COMPILED = "sparql"
    # pyshacl, the reference.
    PYSHACL = "pyshacl"


def engine_named(engine: Engine | str) -> Engine:
    """The engine called `engine`; ValueError naming the choices for any other name."""
    try:
        return Engine(engine)
    except ValueError:
        choices = ", ".join(e.value for e in Engine)
        raise ValueError(f"unknown validation engine {engine!r}; use one of {choices}") from None


def with_fallback(
    engine: Engine | str, compiled: Callable[[], T], reference: Callable[[], T]
) -> tuple[T, Engine]:
    """The compiled engine's answer, or pyshacl's when it declines (raises Unsupported), and
    which engine gave it. Engine.COMPILED lets Unsupported through; Engine.PYSHACL skips the
    compiled checks."""
    chosen = engine_named(engine)
    if chosen is not Engine.PYSHACL:
        try:
            return compiled(), Engine.COMPILED
        except Unsupported:
            if chosen is Engine.COMPILED:
                raise
    return reference(), Engine.PYSHACL
