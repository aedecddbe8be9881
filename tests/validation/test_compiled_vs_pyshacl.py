"""The compiled engine against pyshacl on the service's own shapes, with generated data: it
finds exactly what pyshacl finds, or declines.

Hypothesis writes instances of the shapes' target classes with values along the shapes' paths:
right and wrong datatypes, lexical forms a store would rewrite ("01", xsd:int for xsd:integer),
ill-typed ones, language tags, IRIs of the right and wrong classes, blank nodes, missing and
extra values.
"""

from __future__ import annotations

from functools import cache

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import URIRef
from rdflib.namespace import RDF, RDFS, SH

from commons_graph.rdf.conversion import rdflib_graph
from commons_graph.validation import (
    Unsupported,
    compile_shapes,
    run_checks,
    shapes_graph,
    validate,
)
from commons_graph.validation.batches import validate_quads
from commons_graph.validation.compiled import service_checks
from commons_graph.validation.shapes import hierarchy_quads
from commons_graph.validation.written import as_written, store_as_written

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://example.org/"
RDF_TYPE = ox.NamedNode(str(RDF.type))
RDFS_LABEL = RDFS.label
Key = tuple[str, str | None, str | None, str, str]


def _typed(lexical: str, datatype: str) -> ox.Literal:
    return ox.Literal(lexical, datatype=ox.NamedNode(XSD + datatype))


# Lexical forms worth trying for each datatype: canonical, rewritten by a store, ill-typed.
LEXICAL = {
    "integer": ["1", "2", "01", "+5", "-3", "0", " 5", "abc", "1.5"],
    "int": ["2", "02"],
    "positiveInteger": ["0", "2"],
    "decimal": ["1.5", "1.0", "1", "x"],
    "double": ["1.5E0", "1e0"],
    "boolean": ["true", "1", "yes"],
    "date": ["2020-01-31", "2020-1-1", "2012-13-45", "2020-01-31Z", "2020-02-30"],
    "dateTime": ["2020-01-31T10:00:00", "2020-01-31T10:00:00Z", "2020-01-31", "x"],
    "gYear": ["2020", "0999", "20", "abc"],
    "gYearMonth": ["2020-05", "2020-13", "2020-05Z", "x"],
    "string": ["x", "https://example.org/", "GB", "gb", "a" * 64, "0" * 64],
    "anyURI": ["https://example.org/"],
}


@cache
def _target_classes() -> list[str]:
    return sorted({str(c) for c in shapes_graph().objects(None, SH.targetClass)})


@cache
def _paths() -> list[str]:
    return sorted({str(p) for p in shapes_graph().objects(None, SH.path) if isinstance(p, URIRef)})


@cache
def _iris_in_shapes() -> list[str]:
    """IRIs the shapes name as values (sh:in members, sh:hasValue) or classes (sh:class)."""
    graph = shapes_graph()
    found = {str(o) for o in graph.objects(None, SH.hasValue) if isinstance(o, URIRef)}
    found |= {str(o) for o in graph.objects(None, SH["class"]) if isinstance(o, URIRef)}
    found |= {
        str(o)
        for s, o in graph.subject_objects(RDF.first)
        if isinstance(o, URIRef) and not str(o).startswith(str(SH))
    }
    return sorted(found)


LITERALS = st.one_of(
    st.sampled_from(
        [_typed(lexical, datatype) for datatype, forms in LEXICAL.items() for lexical in forms]
    ),
    st.builds(
        lambda text, tag: ox.Literal(text, language=tag),
        st.sampled_from(["Name", "Nom", "x"]),
        st.sampled_from(["en", "fr", "en-gb", "de"]),
    ),
    st.sampled_from([ox.Literal("plain"), ox.Literal("https://example.org/x")]),
)
SUBJECTS = st.sampled_from([ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b")])


@st.composite
def _data(draw: st.DrawFn) -> list[ox.Quad]:
    """A few resources typed with the shapes' classes, and statements along their paths."""
    quads = []
    for subject in (ox.NamedNode(f"{EX}a"), ox.NamedNode(f"{EX}b")):
        for cls in draw(st.lists(st.sampled_from(_target_classes()), max_size=2, unique=True)):
            quads.append(ox.Quad(subject, RDF_TYPE, ox.NamedNode(cls)))
    # Resources of the classes the shapes name, for sh:class and sh:in.
    named = draw(st.lists(st.sampled_from(_iris_in_shapes()), max_size=3, unique=True))
    targets = [ox.NamedNode(f"{EX}thing{n}") for n in range(len(named))]
    for target, cls in zip(targets, named, strict=True):
        quads.append(ox.Quad(target, RDF_TYPE, ox.NamedNode(cls)))
    values = st.one_of(
        LITERALS,
        SUBJECTS,
        st.sampled_from([ox.NamedNode(i) for i in _iris_in_shapes()] + targets or [SUBJECTS]),
        st.just(ox.BlankNode("b0")),
    )
    statements = st.tuples(SUBJECTS, st.sampled_from(_paths()), values)
    for subject, path, value in draw(st.lists(statements, max_size=12)):
        quads.append(ox.Quad(subject, ox.NamedNode(path), value))
    return quads


def _compiled(quads: list[ox.Quad]) -> set[Key]:
    store, rewritten = store_as_written(quads, service_checks())
    store.extend(hierarchy_quads())
    found = (as_written(r, rewritten) for r in run_checks(store, service_checks()))
    return {(r.focus, r.path, r.value, r.component, r.severity) for r in found}


def _pyshacl(quads: list[ox.Quad]) -> set[Key]:
    report = validate(rdflib_graph(quads))
    return {(v.focus, v.path, v.value, v.component, v.severity) for v in report.violations}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_data())
def test_the_engine_finds_what_pyshacl_finds_or_declines(quads: list[ox.Quad]) -> None:
    try:
        found = _compiled(quads)
    except Unsupported:
        return
    assert found == _pyshacl(quads)


def test_a_version_number_typed_int_is_refused_as_pyshacl_refuses_it() -> None:
    """ "2"^^xsd:int reads back from a store as an xsd:integer, which the shape accepts: the
    import's compiled checks must not judge the store's form (they decline, pyshacl refuses)."""
    version = ox.NamedNode(f"{EX}v")
    quads = [
        ox.Quad(
            version,
            RDF_TYPE,
            ox.NamedNode("https://w3id.org/commons-graph/ontology#CodeSocialVersion"),
        ),
        ox.Quad(
            version,
            ox.NamedNode("https://w3id.org/commons-graph/ontology#versionNumber"),
            _typed("2", "int"),
        ),
    ]
    refused = {v.path for v in validate(rdflib_graph(quads)).violations if v.value == "2"}
    assert "https://w3id.org/commons-graph/ontology#versionNumber" in refused
    try:
        _compiled(quads)
        raise AssertionError("the compiled checks judged the store's form")
    except Unsupported:
        pass
    found, engine = validate_quads(quads)
    assert engine == "pyshacl"
    assert any(v.value == "2" and v.path in refused for v in found)


def test_a_decimal_a_store_rewrites_is_judged_and_named_as_written() -> None:
    """ "95.500"^^xsd:decimal reads back from a store as "95.5": the bounds judge the same value,
    so the import's checks keep the compiled engine and name the value as written."""
    place = ox.NamedNode(f"{EX}place")
    quads = [
        ox.Quad(place, RDF_TYPE, ox.NamedNode("https://schema.org/Place")),
        ox.Quad(place, ox.NamedNode(str(RDFS_LABEL)), ox.Literal("Somewhere", language="en")),
        ox.Quad(place, ox.NamedNode("https://schema.org/latitude"), _typed("95.500", "decimal")),
        ox.Quad(place, ox.NamedNode("https://schema.org/longitude"), _typed("2.350", "decimal")),
    ]
    found, engine = validate_quads(quads)
    assert engine == "sparql"
    reference, _ = validate_quads(quads, engine="pyshacl")
    assert found == reference
    assert {(v.path, v.value) for v in found} == {("https://schema.org/latitude", "95.500")}


def test_a_shape_naming_a_literal_a_query_would_rewrite_is_declined() -> None:
    """Oxigraph reads "01"^^xsd:integer in a query as "1", so sh:in ( "01" ) would accept the
    value "1" that pyshacl refuses: the shape is declined, not compiled."""
    shapes = rdflib_graph(
        ox.parse(
            b"""@prefix sh: <http://www.w3.org/ns/shacl#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <https://example.org/S> a sh:NodeShape ; sh:targetNode <https://example.org/a> ;
              sh:property [ sh:path <https://example.org/p> ; sh:in ( "01"^^xsd:integer ) ] .""",
            format=ox.RdfFormat.TURTLE,
        )
    )
    assert compile_shapes(shapes).declined_shapes
