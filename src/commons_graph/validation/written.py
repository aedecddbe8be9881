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
from rdflib.namespace import RDF

from commons_graph.store.text import text_format
from commons_graph.validation.compiled import (
    CHECKABLE_DATATYPES,
    CompiledShapes,
    Result,
    Unsupported,
    pyshacl_accepts,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPED_LITERALS = (
    f"SELECT DISTINCT ?o WHERE {{ ?s ?p ?o FILTER(isLiteral(?o) "
    f"&& datatype(?o) != <{XSD}string> && datatype(?o) != <{RDF.langString}>) }}"
)
# Datatypes whose canonical form keeps the datatype (xsd:int, a subtype, becomes xsd:integer).
_KEEPS_DATATYPE = {str(d) for d in CHECKABLE_DATATYPES}
Rewritten = dict[ox.Literal, ox.Literal]


def store_as_written(
    quads: Iterable[ox.Quad], compiled: CompiledShapes | None = None
) -> tuple[ox.Store, Rewritten]:
    """A new store in memory holding `quads`, and the literals it rewrote (as stored -> as
    written), for `as_written` to give the results back in the written form.

    Raises Unsupported when a rewritten literal could change what the `compiled` checks find
    (any rewritten literal at all without `compiled`).
    """
    quads = list(quads)
    store = ox.Store()
    store.extend(quads)  # Not load: it would rename the blank nodes.
    return store, _rewritten(store, ox.serialize(quads, format=ox.RdfFormat.N_QUADS), compiled)


def store_text_as_written(
    data: bytes, graph: ox.NamedNode | None, compiled: CompiledShapes | None = None
) -> tuple[ox.Store, Rewritten]:
    """The same for N-Triples `data` whose statements are in `graph`, or N-Quads.

    The typed literals are compared as text, written and as the store gives them back: an
    import's 172k statements make no Python object but for the few literals rewritten.
    """
    store = ox.Store()
    store.load(data, text_format(graph), to_graph=graph)
    return store, _rewritten(store, data, compiled)


def _rewritten(store: ox.Store, data: bytes | None, compiled: CompiledShapes | None) -> Rewritten:
    """The literals of `data` (N-Triples or N-Quads) that `store` rewrote, as stored -> as
    written; Unsupported if one could change what `compiled` finds."""
    written = _typed_literals(data or b"")
    if not written:
        return {}
    # Canonical forms are a function of the written ones, and a store holds only canonical
    # forms: the literals written that it does not hold are those it may have rewritten
    # (or written with other escapes: confirmed below).
    candidates = sorted(written.keys() - _stored_typed_literals(store))
    literals = _literals(candidates)
    forms = _canonical_forms([literal for _, literal in literals])
    changed = [
        (token, literal, form)
        for (token, literal), form in zip(literals, forms, strict=True)
        if form != literal
    ]
    if not changed:
        return {}
    if compiled is None:
        raise Unsupported("the data has literals a store would not keep as written")
    for token, literal, _ in changed:
        paths = {p.decode() for p in written[token]}
        _judged_alike(literal, paths, compiled)
    rewritten = {form: literal for _, literal, form in changed}
    # Two literals written apart that read back alike: a result could not say which it meant,
    # and two values of one resource would be one (counts and sh:uniqueLang would differ).
    if len(rewritten) < len(changed) or any(str(form).encode() in written for form in rewritten):
        raise Unsupported("the data has literals a store would not tell apart")
    return rewritten


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


def _typed_literals(text: bytes) -> dict[bytes, set[bytes]]:
    """The typed literals of N-Triples or N-Quads `text`, each with the predicates before it.

    Read with bytes operations around each `"^^<` (one per line at most, a literal's quotes
    being escaped): the predicate is the IRI before the line's first `> "` (IRIs hold no quote
    or space), the literal runs from that quote to the end of its datatype.
    """
    found: dict[bytes, set[bytes]] = {}
    typed = text.find(b'"^^<')
    while typed >= 0:
        start = text.rfind(b"\n", 0, typed) + 1
        opening = text.find(b'> "', start, typed)
        end = text.find(b">", typed + 4)
        if opening >= 0 and end >= 0:
            predicate = text[text.rfind(b"<", start, opening) + 1 : opening]
            found.setdefault(text[opening + 2 : end + 1], set()).add(predicate)
        typed = text.find(b'"^^<', typed + 4)
    return found


def _stored_typed_literals(store: ox.Store) -> set[bytes]:
    """The typed literals `store` holds, as N-Triples writes them (the query's TSV rows, their
    numbers and booleans written in full: TSV writes 1.5 for "1.5"^^xsd:decimal)."""
    found = store.query(_TYPED_LITERALS, use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    rows = (found.serialize(format=ox.QueryResultsFormat.TSV) or b"").split(b"\n")[1:]
    return {row if row.startswith(b'"') else _in_full(row) for row in rows if row}


def _in_full(token: bytes) -> bytes:
    """A number or boolean abbreviated as Turtle abbreviates them, written in full."""
    if token in (b"true", b"false"):
        datatype = "boolean"
    elif b"e" in token or b"E" in token:
        datatype = "double"
    elif b"." in token:
        datatype = "decimal"
    else:
        datatype = "integer"
    return b'"' + token + b'"^^<' + f"{XSD}{datatype}".encode() + b">"


def _literals(tokens: list[bytes]) -> list[tuple[bytes, ox.Literal]]:
    """The tokens that are typed literals in N-Triples, with their literals (a `"^^<` inside a
    string literal gives a token that is not one: it is left out)."""
    try:
        return list(zip(tokens, _parsed(tokens), strict=True))
    except (SyntaxError, ValueError):
        found = []
        for token in tokens:
            try:
                found += [(token, literal) for literal in _parsed([token])]
            except (SyntaxError, ValueError):
                continue
        return found


def _parsed(tokens: list[bytes]) -> list[ox.Literal]:
    text = b"".join(b"<urn:s> <urn:p> " + token + b" .\n" for token in tokens)
    parsed = [t.object for t in ox.parse(text, ox.RdfFormat.N_TRIPLES)]
    literals = [term for term in parsed if isinstance(term, ox.Literal)]
    if len(literals) != len(tokens):
        raise ValueError("not one literal per token")
    return literals


def _canonical_forms(literals: list[ox.Literal]) -> list[ox.Literal]:
    """Each literal as a store gives it back (its canonical form), in order."""
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:commons-graph:written")
    scratch.extend(
        ox.Quad(ox.NamedNode(f"urn:commons-graph:literal:{n}"), predicate, literal)
        for n, literal in enumerate(literals)
    )
    forms = list(literals)
    for quad in scratch:
        assert isinstance(quad.object, ox.Literal)
        forms[int(quad.subject.value.rsplit(":", 1)[1])] = quad.object
    return forms
