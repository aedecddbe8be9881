"""The compiled engine: SHACL core shapes compiled to SPARQL queries run on pyoxigraph.

pyshacl needs ~2.5 ms per organisation (18 s for the 7,272 rows of the Co-operatives UK file),
too slow for bulk imports. The SHACL core components the shapes use are compiled here to one
SPARQL query per constraint, following the SPARQL definitions of the SHACL specification.

The engine's promise: it gives pyshacl's answer or declines (raises `Unsupported`, and the
caller falls back to pyshacl, see engine.py). A shape with a target, a parameter or a repeated
parameter not compiled here is listed in `CompiledShapes.unsupported`, and `run_checks` raises
`Unsupported` when the data has focus nodes for it; so does data holding values the checks
cannot judge as pyshacl would (a datatype whose lexical forms SPARQL cannot check). Values are
judged as written: written.py loads data into a store and declines it where the store's
canonical forms ("01"^^xsd:integer read back as "1") could change an answer.
tests/validation/test_w3c_shacl_core.py holds the engine to the W3C SHACL Core suite,
test_compiled_vs_pyshacl.py to pyshacl on the service's shapes.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node, XSDToPython, _check_well_formed_types

from commons_graph.rdf.conversion import to_oxigraph, to_rdflib
from commons_graph.validation.report import Violation
from commons_graph.validation.shapes import shapes_graph

# Datatypes whose lexical forms SPARQL can check with a cast: a literal whose cast gives back
# its own lexical form is well-typed for pyshacl too; any other is judged as pyshacl does
# (rdflib's verdict), after the query.
CHECKABLE_DATATYPES = {
    XSD.date,
    XSD.dateTime,
    XSD.decimal,
    XSD.integer,
    XSD.boolean,
    XSD.double,
    XSD.float,
    XSD.time,
}
# Datatypes every lexical form of which is well-typed (no check needed).
_STRINGS = {XSD.string, RDF.langString}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
# Parameters that do not change whether a node conforms: annotations.
_ANNOTATIONS = {SH.name, SH.description, SH.message, SH.order, SH.group, SH.defaultValue}
# Constraints on each value node, compiled for node shapes, property shapes and value shapes.
_VALUE_PARAMETERS = {
    SH.nodeKind,
    SH.datatype,
    SH["class"],
    SH.languageIn,
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
}
# Constraints on the set of values along a path: property shapes only.
_PROPERTY_PARAMETERS = {
    SH.path,
    SH.minCount,
    SH.maxCount,
    SH.uniqueLang,
    SH.lessThanOrEquals,
    SH.lessThan,
    SH.equals,
    SH.disjoint,
    SH.qualifiedValueShape,
    SH.qualifiedMinCount,
    SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint,
}
_SHAPE = _ANNOTATIONS | _TARGETS | {SH.severity, SH.deactivated}
_NODE_SHAPE = _SHAPE | _VALUE_PARAMETERS | {SH.property, SH.equals, SH.disjoint}
_PROPERTY_SHAPE = _SHAPE | _VALUE_PARAMETERS | _PROPERTY_PARAMETERS
# Parameters whose every value is one constraint of its own (SHACL 2.1.3): the others, when
# repeated, are declined (pyshacl refuses most of them, or pairs them as it likes).
_REPEATABLE = (
    _ANNOTATIONS
    | _TARGETS
    | {
        SH["class"],
        SH.hasValue,
        SH["or"],
        SH.property,
        SH.lessThanOrEquals,
        SH.lessThan,
        SH.equals,
        SH.disjoint,
    }
)
_SEVERITIES = {SH.Violation, SH.Warning, SH.Info}

# Constraints whose answer depends on a literal's lexical form or its very term, not its value.
_LEXICAL = {
    SH["in"],
    SH.hasValue,
    SH.pattern,
    SH.minLength,
    SH.maxLength,
    SH["or"],
    SH.qualifiedValueShape,
}

RDFS_SUBCLASS = str(RDFS.subClassOf)


class Unsupported(ValueError):
    """The shapes or the data need a SHACL feature this engine does not judge as pyshacl."""


_TERMS = (ox.NamedNode, ox.BlankNode, ox.Literal)
Term = ox.NamedNode | ox.BlankNode | ox.Literal


@dataclass(frozen=True)
class Result:
    """One result found by a check: its terms, and the shape's messages in every language."""

    focus: str
    path: str | None
    value: str | None
    component: str
    severity: str
    messages: tuple[tuple[str | None, str], ...]
    # The terms themselves, for a SHACL report graph (the strings above lose IRI vs literal).
    focus_term: Term | None = None
    value_term: Term | None = None

    def message(self, lang: str) -> str:
        """The shape's message in `lang` (else English), or one naming the component."""
        by_lang = dict(self.messages)
        for key in (lang, "en", None):
            if key in by_lang:
                return by_lang[key]
        component = self.component.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        return f"{component} constraint not satisfied"

    def violation(self, lang: str) -> Violation:
        """The result as the package's Violation, its message in `lang`."""
        return Violation(
            self.focus, self.path, self.value, self.message(lang), self.severity, self.component
        )


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
    # sh:datatype: values of this datatype the query returns are judged after it, as pyshacl.
    datatype: str | None = None


@dataclass(frozen=True)
class _Decline:
    """When the data has an answer to `query`, the engine declines it.

    With `datatype`, `query` selects ?value, literals of that datatype in forms SPARQL's casts
    refuse: declined only if rdflib takes one as well-typed (pyshacl would).
    """

    query: str
    reason: str
    datatype: str | None = None

    def applies(self, store: ox.Store) -> bool:
        """Whether the data in `store` is declined."""
        found = store.query(self.query, use_default_graph_as_union=True)
        if isinstance(found, ox.QueryBoolean):
            return bool(found)
        assert isinstance(found, ox.QuerySolutions) and self.datatype is not None
        values = [row[0] for row in found]
        return any(
            isinstance(value, ox.Literal) and pyshacl_accepts(value, self.datatype)
            for value in values
        )


def _n3(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise Unsupported(f"cannot compile the term {node!r}")


def _exact(node: Node) -> str:
    """The SPARQL form of a term the data must hold exactly (sh:in, sh:hasValue, sh:targetNode).

    Oxigraph canonicalises a query's literals as it does the store's ("01"^^xsd:integer
    matches "1"), pyshacl compares terms: a literal not in canonical form is declined.
    """
    if isinstance(node, Literal) and node.datatype not in (None, XSD.string, RDF.langString):
        written = to_oxigraph(node)
        scratch = ox.Store()
        scratch.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), written))
        if next(iter(scratch)).object != written:
            raise Unsupported(f"{node.n3()} would match other terms than itself")
    return _n3(node)


def _list(shapes: Graph, head: Node) -> list[Node]:
    if head != RDF.nil and shapes.value(head, RDF.first) is None:
        raise Unsupported(f"{head} is not an RDF list")
    return list(Collection(shapes, head))


def _int(node: Node | None) -> int:
    """The value of a count or length parameter, which must be an integer literal."""
    if not isinstance(node, Literal) or not isinstance(node.value, int) or node.value < 0:
        raise Unsupported(f"not a count: {node!r}")
    return node.value


def _flag(node: Node | None) -> bool:
    """The value of a boolean parameter: false when absent; Unsupported unless "true" or
    "false" (pyshacl reads "1"^^xsd:boolean as true, SHACL ignores it)."""
    if node is None:
        return False
    if (
        isinstance(node, Literal)
        and node.datatype == XSD.boolean
        and str(node) in ("true", "false")
    ):
        return str(node) == "true"
    raise Unsupported(f"not a boolean: {node!r}")


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
    tests = [f"sameTerm({var}, {_exact(member)})" for member in _list(shapes, members)]
    return "(" + (" || ".join(tests) or "false") + ")"


def _language_in(shapes: Graph, languages: Node, var: str) -> str:
    """True when `var` is a literal whose language tag matches one of the list `languages`."""
    tags = _list(shapes, languages)
    if not all(isinstance(tag, Literal) and tag.datatype is None for tag in tags):
        raise Unsupported("sh:languageIn lists other things than plain strings")
    tests = " || ".join(f"langMatches(lang({var}), {_n3(x)})" for x in tags)
    return f"(isLiteral({var}) && ({tests or 'false'}))"


def _pattern(shapes: Graph, shape: Node, pattern: Node, var: str) -> str:
    """True when `var` is not a blank node and its string matches the pattern."""
    flags = shapes.value(shape, SH.flags)
    if not isinstance(pattern, Literal) or pattern.datatype not in (None, XSD.string):
        raise Unsupported(f"sh:pattern {pattern!r} is not a string")
    # Python's re (pyshacl) and Rust's regex (Oxigraph) agree on plain patterns only.
    if any(mark in str(pattern) for mark in ("(?", "\\p", "\\P", "\\1", "\\b", "\\B")):
        raise Unsupported(f"sh:pattern {pattern} uses syntax the engines read differently")
    if flags is not None and (not isinstance(flags, Literal) or set(str(flags)) - set("imsx")):
        raise Unsupported(f"sh:flags {flags!r}")
    extra = f", {_n3(flags)}" if flags is not None else ""
    return f"(!isBlank({var}) && REGEX(STR({var}), {_n3(pattern)}{extra}))"


def _comparison(bound: Node, operator: str, var: str) -> str:
    if not isinstance(bound, Literal):
        raise Unsupported(f"cannot compare with {bound!r}")
    return f"COALESCE({var} {operator} {_n3(bound)}, false)"


def _length(length: Node, operator: str, var: str) -> str:
    return f"(!isBlank({var}) && STRLEN(STR({var})) {operator} {_int(length)})"


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


def _datatype_iri(datatype: Node) -> URIRef:
    if not isinstance(datatype, URIRef):
        raise Unsupported(f"sh:datatype {datatype!r} is not an IRI")
    outside = datatype.startswith(str(RDF)) and datatype not in _STRINGS
    if datatype.startswith(str(RDFS)) or outside:
        # pyshacl gives rdfs:Literal and rdfs:Datatype meanings of its own.
        raise Unsupported(f"sh:datatype {datatype}")
    return datatype


def _well_typed(datatype: URIRef, var: str) -> str:
    """True when `var`, a literal of `datatype`, is in a form both engines read as well-typed:
    every form for strings and datatypes rdflib does not read (pyshacl takes them all: xsd:gYear
    "abc" too), a form the cast gives back for the checkable ones; false for the others (which
    pyshacl judges instead)."""
    if datatype in _STRINGS or not _read_by_rdflib(datatype):
        return "true"
    if datatype in CHECKABLE_DATATYPES:
        return f"COALESCE(STR({datatype.n3()}(STR({var}))) = STR({var}), false)"
    return "false"


def _read_by_rdflib(datatype: URIRef) -> bool:
    """Whether rdflib parses or checks the lexical forms of `datatype` (else all are well-typed)."""
    return datatype in XSDToPython or datatype in _check_well_formed_types


def pyshacl_accepts(value: ox.Literal, datatype: str) -> bool:
    """Whether pyshacl takes `value`, a literal of `datatype`, as well-typed (rdflib's verdict)."""
    literal = Literal(value.value, datatype=URIRef(datatype))
    if getattr(literal, "ill_typed", None) is True:
        return False
    expected: dict[URIRef, type | tuple[type, ...]] = {
        XSD.integer: int,
        XSD.float: float,
        XSD.decimal: Decimal,
        XSD.boolean: bool,
        XSD.date: date,
        XSD.time: time,
        XSD.dateTime: datetime,
    }
    kind = expected.get(URIRef(datatype))
    return kind is None or isinstance(literal.value, kind)


def _values_of(focus: str, path: str | None) -> str:
    """A group binding ?focus and each of its value nodes ?value (the focus itself if no path)."""
    if path is None:
        return f"{{ {focus} BIND(?focus AS ?value) }}"
    return f"{{ {focus} ?focus {path} ?value }}"


class _Compiler:
    def __init__(self, shapes: Graph) -> None:
        self.shapes = shapes
        self.checks: list[_Check] = []
        self.unsupported: list[_Decline] = []
        self.lexical_paths: set[str] = set()
        self.datatype_paths: set[str] = set()
        self.literal_focus = False
        self.current_node_shape = ""
        self.current_severity = "Violation"
        self.current_messages: tuple[tuple[str | None, str], ...] = ()

    def messages(self, shape: Node) -> tuple[tuple[str | None, str], ...]:
        messages = list(self.shapes.objects(shape, SH.message))
        if not all(isinstance(m, Literal) for m in messages):
            raise Unsupported(f"shape {shape} has a message that is not a literal")
        return tuple((m.language, str(m)) for m in messages if isinstance(m, Literal))

    def severity(self, shape: Node) -> str:
        value = self.shapes.value(shape, SH.severity)
        if value is None:
            return "Violation"
        if value not in _SEVERITIES:
            raise Unsupported(f"sh:severity {value}")
        return str(value).rsplit("#", 1)[-1]

    def parameters(self, shape: Node, allowed: set[URIRef]) -> None:
        """Decline any SHACL parameter not compiled here, or repeated where it may not be."""
        seen: set[Node] = set()
        for parameter in self.shapes.predicates(shape):
            if not str(parameter).startswith(str(SH)):
                continue  # rdf:type, rdfs:label, dash:...: not SHACL parameters.
            if parameter not in allowed:
                raise Unsupported(f"shape {shape} uses {parameter}")
            if parameter in seen and parameter not in _REPEATABLE:
                raise Unsupported(f"shape {shape} repeats {parameter}")
            seen.add(parameter)

    def active(self, shape: Node) -> bool:
        deactivated = list(self.shapes.objects(shape, SH.deactivated))
        if len(deactivated) > 1:
            raise Unsupported(f"shape {shape} repeats sh:deactivated")
        return not _flag(deactivated[0] if deactivated else None)

    def focus(self, shape: Node) -> str:
        """A group pattern binding ?focus to each focus node of `shape` (maybe twice)."""
        if self.shapes.value(shape, SH.target) is not None:
            raise Unsupported(f"shape {shape} has a SPARQL-based target (sh:target)")
        branches = []
        classes = list(self.shapes.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in self.shapes:
            classes.append(shape)  # An implicit class target (SHACL 2.1.3.3).
        if classes:
            values = " ".join(_iri(c, SH.targetClass) for c in sorted(set(classes), key=str))
            branches.append(
                f"VALUES ?target {{ {values} }} ?focus a ?type . ?type <{RDFS_SUBCLASS}>* ?target ."
            )
        nodes = sorted(set(self.shapes.objects(shape, SH.targetNode)), key=str)
        if any(isinstance(n, Literal) for n in nodes) or self.shapes.value(
            shape, SH.targetObjectsOf
        ):
            self.literal_focus = True
        if nodes:
            branches.append(f"VALUES ?focus {{ {' '.join(_exact(n) for n in nodes)} }}")
        for predicate in sorted(set(self.shapes.objects(shape, SH.targetSubjectsOf)), key=str):
            branches.append(f"?focus {_iri(predicate, SH.targetSubjectsOf)} ?targetObject .")
        for predicate in sorted(set(self.shapes.objects(shape, SH.targetObjectsOf)), key=str):
            branches.append(f"?targetSubject {_iri(predicate, SH.targetObjectsOf)} ?focus .")
        if len(branches) == 1:
            return branches[0]
        return " UNION ".join(f"{{ {branch} }}" for branch in branches)

    def has_target(self, shape: Node) -> bool:
        return any(self.shapes.value(shape, t) is not None for t in (*_TARGETS, SH.target)) or (
            (shape, RDF.type, RDFS.Class) in self.shapes
            and (
                (shape, RDF.type, SH.NodeShape) in self.shapes
                or (shape, RDF.type, SH.PropertyShape) in self.shapes
            )
        )

    def shape(self, shape: Node) -> None:
        """Compile a shape with targets, or list it as unsupported."""
        compiled = len(self.checks)
        self.current_node_shape = str(shape)
        try:
            focus = self.focus(shape)
        except Unsupported as error:
            self.unsupported.append(_Decline("ASK {}", str(error)))
            return
        try:
            if not self.active(shape):
                return
            if self.shapes.value(shape, SH.path) is None:
                if (shape, RDF.type, SH.PropertyShape) in self.shapes:
                    raise Unsupported(f"property shape {shape} has no sh:path")
                self.node_shape(shape, focus)
            else:
                self.property_shape(shape, focus)
        except (Unsupported, ValueError) as error:
            # Forget this shape's checks: data with focus nodes for it must go to pyshacl.
            del self.checks[compiled:]
            self.unsupported.append(_Decline(f"ASK {{ {focus} }}", str(error)))

    def node_shape(self, shape: Node, focus: str) -> None:
        if (shape, RDF.type, SH.PropertyShape) in self.shapes:
            raise Unsupported(f"shape {shape} is a property shape without sh:path")
        self.parameters(shape, _NODE_SHAPE)
        self.constraints(shape, focus, None)
        for prop in self.shapes.objects(shape, SH.property):
            self.property_shape(prop, focus)

    def property_shape(self, shape: Node, focus: str) -> None:
        if not self.active(shape):
            return
        if (shape, RDF.type, SH.NodeShape) in self.shapes:
            raise Unsupported(f"node shape {shape} has a sh:path")
        self.parameters(shape, _PROPERTY_SHAPE)
        path = self.shapes.value(shape, SH.path)
        if not isinstance(path, URIRef):
            raise Unsupported(f"property shape {shape} has a complex path")
        self.constraints(shape, focus, path)

    def add(
        self,
        query: str,
        path: Node | None,
        component: URIRef,
        *,
        needs_values: bool = False,
        datatype: str | None = None,
    ) -> None:
        self.checks.append(
            _Check(
                query,
                None if path is None else str(path),
                str(component),
                self.current_severity,
                self.current_messages,
                self.current_node_shape,
                needs_values,
                datatype,
            )
        )

    def constraints(self, shape: Node, focus: str, path: URIRef | None) -> None:
        """The checks of `shape`'s constraints, on the focus nodes (no path) or their values."""
        self.current_severity = self.severity(shape)
        self.current_messages = self.messages(shape)
        values = _values_of(focus, None if path is None else path.n3())
        one = self.shapes.value
        c = SH

        def per_value(condition: str, component: URIRef, datatype: str | None = None) -> None:
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {values} FILTER({condition}) }}",
                path,
                component,
                needs_values=path is not None,
                datatype=datatype,
            )

        if path is None:
            self.focus_pairs(shape, focus)
        else:
            if any(one(shape, p) is not None for p in _LEXICAL):
                self.lexical_paths.add(str(path))
            if one(shape, SH.datatype) is not None:
                self.datatype_paths.add(str(path))
            self.counts(shape, focus, path, values)
        if (kind := one(shape, SH.nodeKind)) is not None:
            per_value(f"!{_kind_filter(kind, '?value')}", c.NodeKindConstraintComponent)
        if (datatype := one(shape, SH.datatype)) is not None:
            iri = _datatype_iri(datatype)
            # Values of the datatype in a form the cast cannot vouch for come back too, for
            # rdflib to judge after the query (run_checks), as pyshacl does.
            per_value(
                f"!isLiteral(?value) || datatype(?value) != {iri.n3()} "
                f"|| !{_well_typed(iri, '?value')}",
                c.DatatypeConstraintComponent,
                str(iri),
            )
        for cls in self.shapes.objects(shape, SH["class"]):
            per_value(
                f"NOT EXISTS {{ ?value a/<{RDFS_SUBCLASS}>* {_iri(cls, SH['class'])} }}",
                c.ClassConstraintComponent,
            )
        if (langs := one(shape, SH.languageIn)) is not None:
            per_value(
                f"!{_language_in(self.shapes, langs, '?value')}", c.LanguageInConstraintComponent
            )
        if (pattern := one(shape, SH.pattern)) is not None:
            per_value(
                f"!{_pattern(self.shapes, shape, pattern, '?value')}",
                c.PatternConstraintComponent,
            )
        elif one(shape, SH.flags) is not None:
            raise Unsupported(f"shape {shape} has sh:flags without sh:pattern")
        if (members := one(shape, SH["in"])) is not None:
            per_value(f"!{_in_list(self.shapes, members, '?value')}", c.InConstraintComponent)
        for value in self.shapes.objects(shape, SH.hasValue):
            if path is None:
                # The focus node is the value node, but the result names no value.
                self.add(
                    f"SELECT DISTINCT ?focus WHERE {{ {focus} "
                    f"FILTER(!sameTerm(?focus, {_exact(value)})) }}",
                    path,
                    c.HasValueConstraintComponent,
                )
            else:
                self.add(
                    f"SELECT DISTINCT ?focus WHERE {{ {focus} "
                    f"FILTER NOT EXISTS {{ ?focus {path.n3()} {_exact(value)} }} }}",
                    path,
                    c.HasValueConstraintComponent,
                )
        for alternatives in self.shapes.objects(shape, SH["or"]):
            ok = " || ".join(
                self.conforms(member, "?value", values)
                for member in _list(self.shapes, alternatives)
            )
            per_value(f"!({ok or 'false'})", c.OrConstraintComponent)
        bounds = (
            (SH.minInclusive, ">=", c.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", c.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", c.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", c.MaxExclusiveConstraintComponent),
        )
        for parameter, operator, component in bounds:
            if (bound := one(shape, parameter)) is not None:
                per_value(f"!{_comparison(bound, operator, '?value')}", component)
        for parameter, operator, component in (
            (SH.minLength, ">=", c.MinLengthConstraintComponent),
            (SH.maxLength, "<=", c.MaxLengthConstraintComponent),
        ):
            if (length := one(shape, parameter)) is not None:
                per_value(f"!{_length(length, operator, '?value')}", component)

    def focus_pairs(self, shape: Node, focus: str) -> None:
        """sh:equals and sh:disjoint on a node shape: the focus node is its one value."""
        for other in self.shapes.objects(shape, SH.equals):
            q = _iri(other, SH.equals)
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {{ {focus} BIND(?focus AS ?value) }} "
                f"FILTER NOT EXISTS {{ ?focus {q} ?focus }} }}",
                None,
                SH.EqualsConstraintComponent,
            )
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {q} ?value "
                "FILTER(!sameTerm(?value, ?focus)) }",
                None,
                SH.EqualsConstraintComponent,
            )
        for other in self.shapes.objects(shape, SH.disjoint):
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {{ {focus} BIND(?focus AS ?value) }} "
                f"FILTER EXISTS {{ ?focus {_iri(other, SH.disjoint)} ?focus }} }}",
                None,
                SH.DisjointConstraintComponent,
            )

    def counts(self, shape: Node, focus: str, path: URIRef, values: str) -> None:
        """The constraints on the set of values along `path`."""
        one = self.shapes.value
        c = SH
        p = path.n3()
        if (n := one(shape, SH.minCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ ?focus {p} ?value }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {_int(n)})",
                path,
                c.MinCountConstraintComponent,
            )
        if (n := one(shape, SH.maxCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {values} GROUP BY ?focus "
                f"HAVING (COUNT(DISTINCT ?value) > {_int(n)})",
                path,
                c.MaxCountConstraintComponent,
                needs_values=True,
            )
        if _flag(one(shape, SH.uniqueLang)):
            self.add(
                f"SELECT DISTINCT ?focus WHERE {{ {{ SELECT ?focus WHERE {{ {values} "
                'FILTER(isLiteral(?value) && lang(?value) != "") } '
                "GROUP BY ?focus (lang(?value) AS ?lang) "
                "HAVING (COUNT(DISTINCT ?value) > 1) } }",
                path,
                c.UniqueLangConstraintComponent,
                needs_values=True,
            )
        for parameter, operator, component in (
            (SH.lessThanOrEquals, "<=", c.LessThanOrEqualsConstraintComponent),
            (SH.lessThan, "<", c.LessThanConstraintComponent),
        ):
            for other in self.shapes.objects(shape, parameter):
                # SHACL 4.5.3-4: a value not < (<=) some value of the other property at the
                # same focus node, or not comparable with it (the error), is a violation.
                self.add(
                    f"SELECT DISTINCT ?focus ?value WHERE {{ {values} "
                    f"FILTER EXISTS {{ ?focus {_iri(other, parameter)} ?other "
                    f"FILTER(!COALESCE(?value {operator} ?other, false)) }} }}",
                    path,
                    component,
                    needs_values=True,
                )
        for other in self.shapes.objects(shape, SH.equals):
            # SHACL 4.5.1: each value of either property that the other lacks.
            q = _iri(other, SH.equals)
            self.lexical_paths.update((str(path), str(other)))
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {values} "
                f"FILTER NOT EXISTS {{ ?focus {q} ?value }} }}",
                path,
                c.EqualsConstraintComponent,
                needs_values=True,
            )
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {focus} ?focus {q} ?value "
                f"FILTER NOT EXISTS {{ ?focus {path.n3()} ?value }} }}",
                path,
                c.EqualsConstraintComponent,
            )
        for other in self.shapes.objects(shape, SH.disjoint):
            # SHACL 4.5.2: each value that is also a value of the other property.
            self.lexical_paths.update((str(path), str(other)))
            self.add(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {values} "
                f"FILTER EXISTS {{ ?focus {_iri(other, SH.disjoint)} ?value }} }}",
                path,
                c.DisjointConstraintComponent,
                needs_values=True,
            )
        qualified = {SH.qualifiedMinCount, SH.qualifiedMaxCount, SH.qualifiedValueShapesDisjoint}
        if (value_shape := one(shape, SH.qualifiedValueShape)) is not None:
            self.qualified_counts(shape, path, value_shape, focus, values)
        elif any(one(shape, parameter) is not None for parameter in qualified):
            raise Unsupported(f"shape {shape} has qualified counts without a value shape")

    def conforms(self, shape: Node, var: str, values: str) -> str:
        """A SPARQL expression true when `var` conforms to `shape`, a shape of value constraints.

        `values` binds `var` to the values it is tried on: what the expression cannot judge as
        pyshacl (a datatype's unusual lexical forms) makes the data declined when it occurs.
        """
        if not self.active(shape):
            return "true"  # A deactivated shape accepts every node.
        if self.has_target(shape):
            raise Unsupported(f"value shape {shape} has targets of its own")
        allowed = _ANNOTATIONS | {SH.severity} | _VALUE_PARAMETERS - {SH.hasValue, SH["or"]}
        self.parameters(shape, allowed | {SH.deactivated})
        one = self.shapes.value
        parts = []
        if (datatype := one(shape, SH.datatype)) is not None:
            iri = _datatype_iri(datatype)
            well_typed = _well_typed(iri, var)
            parts.append(f"(isLiteral({var}) && datatype({var}) = {iri.n3()} && {well_typed})")
            if well_typed != "true":
                # Forms the cast refuses count as ill-typed here: decline them if rdflib
                # takes one as well-typed.
                self.unsupported.append(
                    _Decline(
                        f"SELECT DISTINCT {var} WHERE {{ {values} "
                        f"FILTER(isLiteral({var}) && datatype({var}) = {iri.n3()} "
                        f"&& !{well_typed}) }}",
                        f"a value of datatype {iri} that only pyshacl judges",
                        str(iri),
                    )
                )
        for cls in self.shapes.objects(shape, SH["class"]):
            parts.append(f"EXISTS {{ {var} a/<{RDFS_SUBCLASS}>* {_iri(cls, SH['class'])} }}")
        if (kind := one(shape, SH.nodeKind)) is not None:
            parts.append(_kind_filter(kind, var))
        if (languages := one(shape, SH.languageIn)) is not None:
            parts.append(_language_in(self.shapes, languages, var))
        if (members := one(shape, SH["in"])) is not None:
            parts.append(_in_list(self.shapes, members, var))
        if (pattern := one(shape, SH.pattern)) is not None:
            parts.append(_pattern(self.shapes, shape, pattern, var))
        elif one(shape, SH.flags) is not None:
            raise Unsupported(f"shape {shape} has sh:flags without sh:pattern")
        for parameter, operator in (
            (SH.minInclusive, ">="),
            (SH.maxInclusive, "<="),
            (SH.minExclusive, ">"),
            (SH.maxExclusive, "<"),
        ):
            if (bound := one(shape, parameter)) is not None:
                parts.append(_comparison(bound, operator, var))
        for parameter, operator in ((SH.minLength, ">="), (SH.maxLength, "<=")):
            if (length := one(shape, parameter)) is not None:
                parts.append(_length(length, operator, var))
        # A shape without constraints accepts every node.
        return "(" + (" && ".join(parts) or "true") + ")"

    def qualified_counts(
        self, shape: Node, path: URIRef, value_shape: Node, focus: str, values: str
    ) -> None:
        """sh:qualifiedMinCount and sh:qualifiedMaxCount of one sh:qualifiedValueShape (4.7.3)."""
        one = self.shapes.value
        counted = [self.conforms(value_shape, "?value", values)]
        if _flag(one(shape, SH.qualifiedValueShapesDisjoint)):
            # Disjoint: a value conforming to a sibling's value shape is not counted.
            counted += [
                f"!{self.conforms(sibling, '?value', values)}"
                for sibling in _siblings(self.shapes, shape, value_shape)
            ]
        matching = f"?focus {path.n3()} ?value FILTER({' && '.join(counted)})"
        if (low := one(shape, SH.qualifiedMinCount)) is not None:
            # OPTIONAL: a focus node without any matching value counts 0.
            self.add(
                f"SELECT ?focus WHERE {{ {focus} OPTIONAL {{ {matching} }} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {_int(low)})",
                path,
                SH.QualifiedMinCountConstraintComponent,
            )
        if (high := one(shape, SH.qualifiedMaxCount)) is not None:
            self.add(
                f"SELECT ?focus WHERE {{ {focus} {matching} }} "
                f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {_int(high)})",
                path,
                SH.QualifiedMaxCountConstraintComponent,
                needs_values=True,
            )


@dataclass(frozen=True)
class CompiledShapes:
    """The checks of the supported shapes, and how to detect data the others would target."""

    checks: list[_Check]
    unsupported: list[_Decline]
    # What a store's rewriting of literals ("1.50" read back as "1.5") could change: the paths
    # whose values some check reads by lexical form or term (sh:in, sh:pattern...), those
    # with sh:datatype, and whether a focus node may be a literal (written.py reads them).
    lexical_paths: frozenset[str] = frozenset()
    datatype_paths: frozenset[str] = frozenset()
    literal_focus: bool = False

    @property
    def declined_shapes(self) -> list[str]:
        """Why shapes were not compiled (the other declines are about values in the data)."""
        return [d.reason for d in self.unsupported if d.datatype is None]

    def narrowed(
        self, node_shapes: Iterable[str], *, whole: Iterable[str], paths: set[str]
    ) -> CompiledShapes:
        """The checks of `node_shapes`: all of those in `whole`, of the others only those on
        the focus node itself or along one of `paths`."""
        wanted, complete = set(node_shapes), set(whole)
        return replace(
            self,
            checks=[
                c
                for c in self.checks
                if c.node_shape in complete
                or (c.node_shape in wanted and (c.path is None or c.path in paths))
            ],
        )

    def for_datatypes(self, present: set[str]) -> CompiledShapes:
        """Without the declines about values of a datatype no literal of the data has (the
        datatypes `present`, as the store holds them): they can find nothing."""
        kept = [d for d in self.unsupported if d.datatype is None or d.datatype in present]
        return replace(self, unsupported=kept)

    def for_predicates(self, present: set[str]) -> CompiledShapes:
        """The checks that can find anything in data using only the predicates `present`: a
        check on the values of a path no statement uses is left out."""
        return replace(
            self, checks=[c for c in self.checks if not c.needs_values or c.path in present]
        )


def predicates(store: ox.Store) -> set[str]:
    """The predicates of the statements in `store`, in any graph."""
    found = store.query("SELECT DISTINCT ?p WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
    assert isinstance(found, ox.QuerySolutions)
    return {solution["p"].value for solution in found}


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """One SPARQL check per constraint of every shape with a target; the shapes that do not
    compile listed with a question telling whether the data has focus nodes for them."""
    compiler = _Compiler(shapes)
    candidates = {
        s for s in shapes.subjects() if isinstance(s, BNode | URIRef) and compiler.has_target(s)
    }
    for shape in sorted(candidates, key=str):
        compiler.shape(shape)
    return CompiledShapes(
        compiler.checks,
        compiler.unsupported,
        frozenset(compiler.lexical_paths),
        frozenset(compiler.datatype_paths),
        compiler.literal_focus,
    )


def run_checks(
    store: ox.Store, compiled: CompiledShapes, checked: Callable[[], None] | None = None
) -> Iterator[Result]:
    """Run every check on `store` (all its graphs together: data, context and class hierarchy);
    `checked()` is called after each check (progress).

    Raises Unsupported, before any result, if the data has focus nodes for a shape that could
    not be compiled, or values the checks cannot judge.
    """
    for decline in compiled.unsupported:
        if decline.applies(store):
            raise Unsupported(decline.reason)
    for number, check in enumerate(compiled.checks):
        if checked is not None and number:
            checked()
        solutions = store.query(check.query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        for solution in solutions:
            focus = solution["focus"]
            value = solution["value"] if "value" in names else None
            if (
                check.datatype is not None
                and isinstance(value, ox.Literal)
                and value.datatype.value == check.datatype
                and pyshacl_accepts(value, check.datatype)
            ):
                continue
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


def run_checks_in_parallel(
    store: ox.Store,
    compiled: CompiledShapes,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[Result]:
    """The results of every check, the checks shared among threads: Oxigraph evaluates
    queries without holding the GIL (1M quads: 12.5 s on one thread, 6.6 s on two);
    `progress(checks done, checks in all)` is told as they end."""
    threads = max(1, min(4, os.cpu_count() or 1))
    # The unsupported shapes are looked for once, by the first part.
    parts = [
        replace(
            compiled,
            checks=compiled.checks[i::threads],
            unsupported=compiled.unsupported if i == 0 else [],
        )
        for i in range(threads)
    ]
    total, done, lock = len(compiled.checks), [0], threading.Lock()

    def checked() -> None:
        with lock:
            done[0] += 1
            count = done[0]
        if progress is not None:
            progress(count, total)

    def run(part: CompiledShapes) -> list[Result]:
        results = list(run_checks(store, part, checked))
        if part.checks:
            checked()  # the part's last check
        return results

    with ThreadPoolExecutor(threads) as pool:
        found = list(pool.map(run, parts))
    return [result for part in found for result in part]


def _plain(term: Term | ox.Triple) -> str:
    return term.value if isinstance(term, ox.NamedNode | ox.Literal | ox.BlankNode) else str(term)


@cache
def service_checks() -> CompiledShapes:
    """The service's own shapes, compiled once per process."""
    return compile_shapes(shapes_graph())


def report_graph(results: list[Result], conforms: bool) -> Graph:
    """The results as a SHACL validation report (sh:ValidationReport, one sh:result each)."""
    # rdflib's default binds ~30 prefixes per graph (~0.5 ms, more on a loaded machine: a
    # sizeable part of each accepted contribution); the report uses few of them.
    graph = Graph(bind_namespaces="core")
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
