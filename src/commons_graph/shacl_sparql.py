"""Batch SHACL validation by SPARQL: the service's shapes compiled to queries run on pyoxigraph.

pyshacl needs ~2.5 ms per organisation (18 s for the 7,272 rows of the Co-operatives UK file),
too slow for bulk imports. The SHACL core components the shapes use are compiled here to one
SPARQL query per constraint, following the SPARQL definitions of the SHACL specification, and
run on an in-memory pyoxigraph store. A node shape using a component not compiled here is listed
in `CompiledShapes.unsupported`, and `run_checks` raises `Unsupported` when the data has focus
nodes for it, so that the caller falls back to pyshacl: results never silently differ.
tests/importing/test_import_validation.py and test_shacl_sparql_components.py check both engines
agree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from commons_graph.terms import oxigraph_triples, to_rdflib
from commons_graph.validation import class_hierarchy, shapes_graph

# Parameters read as constraints; anything else starting with sh: that is not annotation or
# structure makes the shape unsupported.
SUPPORTED = {
    SH.minCount,
    SH.maxCount,
    SH.nodeKind,
    SH.datatype,
    SH["class"],
    SH.languageIn,
    SH.uniqueLang,
    SH.pattern,
    SH.flags,
    SH["in"],
    SH.hasValue,
    SH["or"],
    SH.minInclusive,
    SH.maxInclusive,
    SH.minExclusive,
    SH.maxExclusive,
    SH.minLength,
    SH.maxLength,
    SH.lessThanOrEquals,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
# Constraints a node shape may state on its focus node itself (value node = focus node).
_NODE_LEVEL = {SH.nodeKind, SH["in"]}
# Parameters that do not change whether a node conforms to a shape used as a value shape
# (sh:or member, sh:qualifiedValueShape): annotations, and targets, which only matter for
# shapes validated on their own.
_ANNOTATIONS = {
    SH.name,
    SH.description,
    SH.message,
    SH.order,
    SH.group,
    SH.severity,
    SH.targetClass,
    SH.defaultValue,
}
# Parameters a shape's own checks skip: annotations, and the structure read elsewhere.
_IGNORED = _ANNOTATIONS | {SH.path, SH.property, SH.deactivated}
# Datatypes whose lexical forms the checks verify (with a cast), as pyshacl does; for other
# datatypes they compare the datatype IRI only.
CHECKABLE_DATATYPES = {
    XSD.date,
    XSD.gYear,
    XSD.gYearMonth,
    XSD.dateTime,
    XSD.decimal,
    XSD.integer,
    XSD.boolean,
    XSD.double,
    XSD.float,
    XSD.time,
}


RDFS_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class Unsupported(ValueError):
    """The shapes use a SHACL feature this engine does not compile."""


@dataclass(frozen=True)
class Result:
    """One violation found: the focus node, the path and value, the component, the messages."""

    focus: str
    path: str | None
    value: str | None
    component: str
    severity: str
    messages: tuple[tuple[str | None, str], ...]
    # The terms themselves, for a SHACL report graph (the strings above lose IRI vs literal).
    focus_term: ox.NamedNode | ox.BlankNode | ox.Literal | None = None
    value_term: ox.NamedNode | ox.BlankNode | ox.Literal | None = None

    def message(self, lang: str) -> str:
        """The shape's message in `lang` (else English), or one naming the component."""
        by_lang = dict(self.messages)
        for key in (lang, "en", None):
            if key in by_lang:
                return by_lang[key]
        component = self.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        return f"{component} constraint not satisfied"


@dataclass(frozen=True)
class _Check:
    query: str
    path: str | None
    component: str
    severity: str
    messages: tuple[tuple[str | None, str], ...]
    node_shape: str
    # Whether only focus nodes with a value on `path` can fail (not so for sh:minCount).
    needs_values: bool = False


def _n3(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise Unsupported(f"cannot compile the term {node!r}")


def _list(shapes: Graph, head: Node) -> list[Node]:
    return list(Collection(shapes, head))


def _kind_filter(kind: Node, var: str) -> str:
    tests: dict[Node, str] = {
        SH.IRI: f"isIRI({var})",
        SH.Literal: f"isLiteral({var})",
        SH.BlankNode: f"isBlank({var})",
        SH.BlankNodeOrIRI: f"(isBlank({var}) || isIRI({var}))",
        SH.BlankNodeOrLiteral: f"(isBlank({var}) || isLiteral({var}))",
        SH.IRIOrLiteral: f"(isIRI({var}) || isLiteral({var}))",
    }
    if kind not in tests:
        raise Unsupported(f"unknown sh:nodeKind {kind}")
    return tests[kind]


def _in_list(shapes: Graph, members: Node, var: str) -> str:
    """True when `var` is one of the terms of the RDF list `members`.

    sameTerm, not SPARQL's IN: SHACL membership is RDF term equality, and `=` would accept
    "1.0"^^xsd:decimal for 1, or fail with an error (no violation) on incomparable literals.
    """
    tests = [f"sameTerm({var}, {_n3(member)})" for member in _list(shapes, members)]
    return "(" + (" || ".join(tests) or "false") + ")"


def _language_in(shapes: Graph, languages: Node, var: str) -> str:
    """True when `var` is a literal whose language tag matches one of the list `languages`."""
    tests = " || ".join(f"langMatches(lang({var}), {_n3(x)})" for x in _list(shapes, languages))
    return f"(isLiteral({var}) && ({tests or 'false'}))"


def _conforms(shapes: Graph, shape: Node, var: str) -> str:
    """A SPARQL expression true when `var` conforms to `shape`, a shape of value constraints."""
    if shapes.value(shape, SH.deactivated) == Literal(True):
        return "true"  # A deactivated shape accepts every node.
    parts = []
    for parameter, value in shapes.predicate_objects(shape):
        if parameter in _ANNOTATIONS or parameter in (RDF.type, SH.deactivated):
            continue
        if parameter == SH.datatype:
            parts.append(_datatype_ok(value, var))
        elif parameter == SH["class"]:
            parts.append(f"EXISTS {{ {var} a/<{RDFS_SUBCLASS}>* {_n3(value)} }}")
        elif parameter == SH.nodeKind:
            parts.append(_kind_filter(value, var))
        elif parameter == SH.languageIn:
            parts.append(_language_in(shapes, value, var))
        elif parameter == SH["in"]:
            parts.append(_in_list(shapes, value, var))
        elif parameter == SH.pattern:
            flags = shapes.value(shape, SH.flags)
            extra = f", {_n3(flags)}" if flags is not None else ""
            parts.append(f"(!isBlank({var}) && REGEX(STR({var}), {_n3(value)}{extra}))")
        elif parameter == SH.flags:
            continue  # Read with sh:pattern.
        else:
            # sh:path, sh:property... would need the node's own values: not a filter on `var`.
            raise Unsupported(f"value shape {shape} uses {parameter}")
    # A shape without constraints accepts every node.
    return "(" + (" && ".join(parts) or "true") + ")"


def _siblings(shapes: Graph, shape: Node, value_shape: Node) -> list[Node]:
    """The sibling shapes of the qualified value shape `value_shape` of `shape` (SHACL 4.7.3).

    Every sh:property/sh:qualifiedValueShape of the shapes having `shape` as a sh:property,
    but `value_shape` itself.
    """
    found = {
        sibling
        for parent in shapes.subjects(SH.property, shape)
        for prop in shapes.objects(parent, SH.property)
        for sibling in shapes.objects(prop, SH.qualifiedValueShape)
    }
    return sorted(found - {value_shape}, key=str)


def _iri(node: Node | None, parameter: URIRef) -> str:
    """The SPARQL form of `node`, the value of `parameter`, which must be an IRI."""
    if not isinstance(node, URIRef):
        raise Unsupported(f"{parameter} must be an IRI, not {node!r}")
    return node.n3()


def _datatype_ok(datatype: Node, var: str) -> str:
    dt = _n3(datatype)
    ok = f"isLiteral({var}) && datatype({var}) = {dt}"
    if datatype in CHECKABLE_DATATYPES:
        # An ill-typed literal (e.g. "2012-13-45"^^xsd:date) fails the cast; SHACL rejects it.
        ok += f" && COALESCE(isLiteral({dt}(STR({var}))), false)"
    return f"({ok})"


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.checks: list[_Check] = []
        self.unsupported: list[tuple[str, str]] = []
        self.current_node_shape = ""

    def messages(self, shape: Node) -> tuple[tuple[str | None, str], ...]:
        return tuple(
            (m.language, str(m))
            for m in self.shapes.objects(shape, SH.message)
            if isinstance(m, Literal)
        )

    def severity(self, shape: Node) -> str:
        value = self.shapes.value(shape, SH.severity)
        return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"

    def node_shape(self, shape: Node) -> None:
        targets = list(self.shapes.objects(shape, SH.targetClass))
        if not targets or self.shapes.value(shape, SH.deactivated) == Literal(True):
            return
        values = " ".join(_n3(t) for t in targets)
        focus = f"VALUES ?target {{ {values} }} ?focus a ?type . ?type <{RDFS_SUBCLASS}>* ?target ."
        compiled = len(self.checks)
        self.current_node_shape = str(shape)
        try:
            self._node_shape(shape, focus)
        except Unsupported as error:
            # Forget this shape's checks: data with focus nodes for it must go to pyshacl.
            del self.checks[compiled:]
            self.unsupported.append((f"ASK {{ {focus} }}", str(error)))

    def _node_shape(self, shape: Node, focus: str) -> None:
        for parameter in set(self.shapes.predicates(shape)):
            if parameter in _IGNORED or parameter == RDF.type or parameter in _NODE_LEVEL:
                continue
            if str(parameter).startswith(str(SH)):
                raise Unsupported(f"node shape {shape} uses {parameter}")
        if (kind := self.shapes.value(shape, SH.nodeKind)) is not None:
            self.focus_check(
                _kind_filter(kind, "?focus"), SH.NodeKindConstraintComponent, shape, focus
            )
        if (members := self.shapes.value(shape, SH["in"])) is not None:
            self.focus_check(
                _in_list(self.shapes, members, "?focus"), SH.InConstraintComponent, shape, focus
            )
        for prop in self.shapes.objects(shape, SH.property):
            self.property_shape(prop, focus)

    def focus_check(self, ok: str, component: URIRef, shape: Node, focus: str) -> None:
        """A node-level constraint: the focus nodes failing `ok`, each its own value node."""
        self.add(
            f"SELECT DISTINCT ?focus (?focus AS ?value) WHERE {{ {focus} FILTER(!{ok}) }}",
            None,
            component,
            shape,
        )

    def add(
        self,
        query: str,
        path: Node | None,
        component: URIRef,
        shape: Node,
        *,
        needs_values: bool = False,
    ) -> None:
        self.checks.append(
            _Check(
                query,
                None if path is None else str(path),
                str(component),
                self.severity(shape),
                self.messages(shape),
                self.current_node_shape,
                needs_values,
            )
        )

    def property_shape(self, shape: Node, focus: str) -> None:
        if self.shapes.value(shape, SH.deactivated) == Literal(True):
            return
        path = self.shapes.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"property shape {shape} has a complex path")
        for parameter in set(self.shapes.predicates(shape)):
            if parameter == RDF.type or parameter in _IGNORED:
                continue
            if parameter not in SUPPORTED:
                raise Unsupported(f"property shape {shape} uses {parameter}")
        p = path.n3()
        values = f"{{ {focus} ?focus {p} ?value . "
        one = self.shapes.value
        c = SH

        def per_value(condition: str, component: URIRef) -> None:
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {values} FILTER({condition}) }}",
                path,
                component,
                shape,
                needs_values=True,
            )

        if (n := one(shape, SH.minCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {p} ?value }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {int(str(n))})",
                path,
                c.MinCountConstraintComponent,
                shape,
            )
        if (n := one(shape, SH.maxCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {values} }} GROUP BY ?focus "
                f"HAVING (COUNT(DISTINCT ?value) > {int(str(n))})",
                path,
                c.MaxCountConstraintComponent,
                shape,
                needs_values=True,
            )
        if (kind := one(shape, SH.nodeKind)) is not None:
            per_value(f"!{_kind_filter(kind, '?value')}", c.NodeKindConstraintComponent)
        if (datatype := one(shape, SH.datatype)) is not None:
            per_value(f"!{_datatype_ok(datatype, '?value')}", c.DatatypeConstraintComponent)
        for cls in self.shapes.objects(shape, SH["class"]):
            per_value(
                f"NOT EXISTS {{ ?value a/<{RDFS_SUBCLASS}>* {_n3(cls)} }}",
                c.ClassConstraintComponent,
            )
        if (langs := one(shape, SH.languageIn)) is not None:
            per_value(
                f"!{_language_in(self.shapes, langs, '?value')}", c.LanguageInConstraintComponent
            )
        if one(shape, SH.uniqueLang) == Literal(True):
            self.add(
                f'SELECT ?focus WHERE {values} FILTER(isLiteral(?value) && lang(?value) != "") }}'
                " GROUP BY ?focus (lang(?value) AS ?lang) HAVING (COUNT(DISTINCT ?value) > 1)",
                path,
                c.UniqueLangConstraintComponent,
                shape,
                needs_values=True,
            )
        if (pattern := one(shape, SH.pattern)) is not None:
            flags = one(shape, SH.flags)
            extra = f", {_n3(flags)}" if flags is not None else ""
            per_value(
                f"isBlank(?value) || !REGEX(STR(?value), {_n3(pattern)}{extra})",
                c.PatternConstraintComponent,
            )
        if (members := one(shape, SH["in"])) is not None:
            per_value(f"!{_in_list(self.shapes, members, '?value')}", c.InConstraintComponent)
        for value in self.shapes.objects(shape, SH.hasValue):
            self.add(
                f"SELECT ?focus WHERE {{ {focus} "
                f"FILTER NOT EXISTS {{ ?focus {p} {_n3(value)} }} }}",
                path,
                c.HasValueConstraintComponent,
                shape,
            )
        if (alternatives := one(shape, SH["or"])) is not None:
            ok = " || ".join(
                _conforms(self.shapes, m, "?value") for m in _list(self.shapes, alternatives)
            )
            per_value(f"!({ok})", c.OrConstraintComponent)
        bounds = (
            (SH.minInclusive, ">=", c.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", c.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", c.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", c.MaxExclusiveConstraintComponent),
        )
        for parameter, operator, component in bounds:
            if (bound := one(shape, parameter)) is not None:
                per_value(f"!COALESCE(?value {operator} {_n3(bound)}, false)", component)
        for parameter, operator, component in (
            (SH.minLength, "<", c.MinLengthConstraintComponent),
            (SH.maxLength, ">", c.MaxLengthConstraintComponent),
        ):
            if (length := one(shape, parameter)) is not None:
                per_value(
                    f"isBlank(?value) || STRLEN(STR(?value)) {operator} {int(str(length))}",
                    component,
                )
        for other in self.shapes.objects(shape, SH.lessThanOrEquals):
            # SHACL 4.5.4: a value not <= some value of the other property at the same focus
            # node, or not comparable with it (the `<=` error), is a violation.
            per_value(
                f"EXISTS {{ ?focus {_iri(other, SH.lessThanOrEquals)} ?other "
                "FILTER(!COALESCE(?value <= ?other, false)) }",
                c.LessThanOrEqualsConstraintComponent,
            )
        for value_shape in self.shapes.objects(shape, SH.qualifiedValueShape):
            self.qualified_counts(shape, path, value_shape, focus)

    def qualified_counts(self, shape: Node, path: URIRef, value_shape: Node, focus: str) -> None:
        """sh:qualifiedMinCount and sh:qualifiedMaxCount of one sh:qualifiedValueShape (4.7.3)."""
        one = self.shapes.value
        counted = [_conforms(self.shapes, value_shape, "?value")]
        if Literal(True) in set(self.shapes.objects(shape, SH.qualifiedValueShapesDisjoint)):
            # Disjoint: a value conforming to a sibling's value shape is not counted.
            counted += [
                f"!{_conforms(self.shapes, sibling, '?value')}"
                for sibling in _siblings(self.shapes, shape, value_shape)
            ]
        matching = f"?focus {path.n3()} ?value FILTER({' && '.join(counted)})"
        if (low := one(shape, SH.qualifiedMinCount)) is not None:
            # OPTIONAL: a focus node without any matching value counts 0.
            self.add(
                f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ {matching} }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {int(str(low))})",
                path,
                SH.QualifiedMinCountConstraintComponent,
                shape,
            )
        if (high := one(shape, SH.qualifiedMaxCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {{ {focus} {matching} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {int(str(high))})",
                path,
                SH.QualifiedMaxCountConstraintComponent,
                shape,
                needs_values=True,
            )


@dataclass(frozen=True)
class CompiledShapes:
    """The checks of the supported shapes, and how to detect data the others would target."""

    checks: list[_Check]
    unsupported: list[tuple[str, str]]

    def narrowed(
        self, node_shapes: Iterable[str], *, whole: Iterable[str], paths: set[str]
    ) -> CompiledShapes:
        """The checks of `node_shapes`: all of those in `whole`, of the others only those on
        the focus node itself or along one of `paths`."""
        wanted, complete = set(node_shapes), set(whole)
        return CompiledShapes(
            [
                c
                for c in self.checks
                if c.node_shape in complete
                or (c.node_shape in wanted and (c.path is None or c.path in paths))
            ],
            self.unsupported,
        )

    def for_predicates(self, present: set[str]) -> CompiledShapes:
        """The checks that can find anything in data using only the predicates `present`: a
        check on the values of a path no statement uses is left out."""
        return CompiledShapes(
            [c for c in self.checks if not c.needs_values or c.path in present], self.unsupported
        )


def predicates(store: ox.Store) -> set[str]:
    """The predicates of the statements in `store`, in any graph."""
    found = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return {solution["p"].value for solution in found}


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """One SPARQL check per constraint of every node shape with a class target."""
    compiler = _Compiler(shapes)
    for shape in sorted(set(shapes.subjects(RDF.type, SH.NodeShape)), key=str):
        if isinstance(shape, BNode | URIRef):
            compiler.node_shape(shape)
    return CompiledShapes(compiler.checks, compiler.unsupported)


def run_checks(store: ox.Store, compiled: CompiledShapes) -> Iterator[Result]:
    """Run every check on `store` (all its graphs together: data, context and class hierarchy).

    Raises Unsupported, before any result, if the data has focus nodes for a shape that could
    not be compiled.
    """
    for ask, reason in compiled.unsupported:
        if store.query(ask, use_default_graph_as_union=True):
            raise Unsupported(reason)
    for check in compiled.checks:
        solutions = store.query(check.query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            focus = solution["focus"]
            value = solution["value"] if "value" in names else None
            yield Result(
                focus=focus.value if isinstance(focus, ox.NamedNode | ox.BlankNode) else str(focus),
                path=check.path,
                value=None if value is None else _plain(value),
                component=check.component,
                severity=check.severity,
                messages=check.messages,
                focus_term=focus if isinstance(focus, _TERMS) else None,
                value_term=value if isinstance(value, _TERMS) else None,
            )


def run_checks_in_parallel(store: ox.Store, compiled: CompiledShapes) -> list[Result]:
    """The results of every check, the checks shared among threads: Oxigraph evaluates
    queries without holding the GIL (1M quads: 12.5 s on one thread, 6.6 s on two)."""
    threads = max(1, min(4, os.cpu_count() or 1))
    # The unsupported shapes are looked for once, by the first part.
    parts = [
        CompiledShapes(compiled.checks[i::threads], compiled.unsupported if i == 0 else [])
        for i in range(threads)
    ]
    with ThreadPoolExecutor(threads) as pool:
        found = list(pool.map(lambda part: list(run_checks(store, part)), parts))
    return [result for part in found for result in part]


_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)


def _plain(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


@cache
def service_checks() -> CompiledShapes:
    """The service's own shapes, compiled once per process."""
    return compile_shapes(shapes_graph())


@cache
def hierarchy_quads() -> tuple[ox.Quad, ...]:
    """The ontology's subclass axioms, to add to checked data so that sh:class sees subclasses."""
    return tuple(
        ox.Quad(t.subject, t.predicate, t.object) for t in oxigraph_triples(class_hierarchy())
    )


def report_graph(results: list[Result], conforms: bool) -> Graph:
    """The results as a SHACL validation report (sh:ValidationReport, one sh:result each)."""
    graph = Graph()
    graph.bind("sh", SH)
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(conforms)))
    for result in results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        if result.focus_term is not None:
            graph.add((node, SH.focusNode, to_rdflib(result.focus_term)))
        if result.path is not None:
            graph.add((node, SH.resultPath, URIRef(result.path)))
        if result.value_term is not None:
            graph.add((node, SH.value, to_rdflib(result.value_term)))
        graph.add((node, SH.sourceConstraintComponent, URIRef(result.component)))
        graph.add((node, SH.resultSeverity, SH[result.severity]))
        for language, text in result.messages:
            graph.add((node, SH.resultMessage, Literal(text, lang=language)))
    return graph
