"""Data as written for the compiled checks, which read it back from an Oxigraph store.

A store keeps literals in canonical form: "01"^^xsd:integer reads back as "1", "5"^^xsd:int as
an xsd:integer, "55.857400"^^xsd:decimal as "55.8574". pyshacl judges them as written. A
rewritten literal changes no answer of the checks that read values (bounds, node kinds,
classes) as long as it keeps its datatype and no two values of a resource become one; it
changes those reading its lexical form or term (sh:in, sh:pattern...), and a datatype it
loses. So the checks decline data with a rewritten literal where it could change their
answer, and the results name the values as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

import pyoxigraph as ox
from rdflib.namespace import RDF, XSD

from commons_graph.validation.compiled import (
    CHECKABLE_DATATYPES,
    CompiledShapes,
    Result,
    Unsupported,
    pyshacl_accepts,
)

# Literals a store keeps as they are, whatever their form.
_PLAIN = {ox.NamedNode(str(XSD.string)), ox.NamedNode(str(RDF.langString))}
# Datatypes whose canonical form keeps the datatype (xsd:int, a subtype, becomes xsd:integer).
_KEEPS_DATATYPE = {str(d) for d in CHECKABLE_DATATYPES}
_TYPED_LITERALS = (
    f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) "
    f"&& datatype(?o) != <{XSD.string}> && datatype(?o) != <{RDF.langString}>) }}"
)
Rewritten = dict[ox.Literal, ox.Literal]


def store_as_written(
    quads: Iterable[ox.Quad], compiled: CompiledShapes | None = None
) -> tuple[ox.Store, Rewritten]:
    """A new store in memory holding `quads`, and the literals it rewrote (as stored: as
    written), for `as_written` to give the results back in the written form.

    Raises Unsupported when a rewritten literal could change what the `compiled` checks find
    (any rewritten literal at all without `compiled`).
    """
    quads = list(quads)
    store = ox.Store()
    store.extend(quads)
    written: dict[ox.Literal, set[str]] = {}
    for quad in quads:
        if isinstance(quad.object, ox.Literal) and quad.object.datatype not in _PLAIN:
            written.setdefault(quad.object, set()).add(quad.predicate.value)
    if not written:
        return store, {}
    # Canonical forms are a function of the written ones, and a store holds only canonical
    # forms: the literals written that it does not hold are those it rewrote.
    kept = _typed_literals(store)
    changed = [literal for literal in written if literal not in kept]
    if not changed:
        return store, {}
    if compiled is None:
        raise Unsupported("the data has literals a store would not keep as written")
    if len(store) < len(set(quads)):
        # Two values written apart became one: counts and sh:uniqueLang would differ.
        raise Unsupported("the data has values a store would merge")
    for literal in changed:
        _judged_alike(literal, written[literal], compiled)
    rewritten = _canonical_forms(changed)
    if len(rewritten) < len(changed) or any(form in written for form in rewritten):
        # Two literals written apart read back alike: a result could not say which it meant.
        raise Unsupported("the data has literals a store would not tell apart")
    return store, rewritten


def as_written(result: Result, rewritten: Rewritten) -> Result:
    """The result naming its value as written (the checks see the store's canonical form)."""
    value = result.value_term
    if not isinstance(value, ox.Literal) or value not in rewritten:
        return result
    original = rewritten[value]
    return replace(result, value=original.value, value_term=original)


def _judged_alike(literal: ox.Literal, paths: set[str], compiled: CompiledShapes) -> None:
    """Raise Unsupported if the checks could judge `literal`, on `paths`, by its stored form."""
    if compiled.literal_focus or paths & compiled.lexical_paths:
        raise Unsupported(f"{literal} would be judged by the form a store gives it")
    if paths & compiled.datatype_paths and (
        literal.datatype.value not in _KEEPS_DATATYPE
        or not pyshacl_accepts(literal, literal.datatype.value)
    ):
        raise Unsupported(f"{literal} would lose its datatype or form in a store")


def _canonical_forms(literals: list[ox.Literal]) -> Rewritten:
    """For each literal, its canonical form (as a store gives it back) -> the literal."""
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:commons-graph:written")
    scratch.extend(
        ox.Quad(ox.NamedNode(f"urn:commons-graph:literal:{n}"), predicate, literal)
        for n, literal in enumerate(literals)
    )
    found: Rewritten = {}
    for quad in scratch:
        n = int(quad.subject.value.rsplit(":", 1)[1])
        assert isinstance(quad.object, ox.Literal)
        found[quad.object] = literals[n]
    return found


def _typed_literals(store: ox.Store) -> set[ox.Literal]:
    """The literals in `store` other than strings (no query results outlive this call: they
    may not be dropped on another thread, where an exception's traceback could take them)."""
    found = store.query(_TYPED_LITERALS, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return {row["o"] for row in found}
