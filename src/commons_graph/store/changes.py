"""One all-or-nothing write (ChangeSet) and the SPARQL Update text every backend commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, NamedNode, Quad, Triple

from commons_graph.store.sealing import refuse_publishing_only_subjects, refuse_sealed_graphs


@dataclass
class ChangeSet:
    """One all-or-nothing write: graphs to drop, then quads to delete, then quads to insert."""

    drop_graphs: list[NamedNode] = field(default_factory=list)
    delete: list[Quad] = field(default_factory=list)
    insert: list[Quad] = field(default_factory=list)
    # Sealed graphs this change creates (publishing): their quads are inserted only if none of
    # them exists yet, checked by the server in the same transaction (see `to_sparql_update`).
    seal_graphs: list[NamedNode] = field(default_factory=list)

    def replace_graph(self, graph: NamedNode, triples: Iterable[Triple | Quad]) -> ChangeSet:
        """Add the replacement of `graph`'s content by `triples` to this change."""
        self.drop_graphs.append(graph)
        self.insert.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        return self

    def amended(self, amendment: ChangeSet) -> ChangeSet:
        """This change followed by `amendment` (which drops no graph), as one change."""
        if amendment.drop_graphs:
            raise ValueError("an amendment cannot drop graphs")
        taken_back = set(amendment.delete)
        return ChangeSet(
            drop_graphs=list(self.drop_graphs),
            # Deleting a quad that is not there does nothing: taking back one that was already
            # stored before this change still removes it, as applying both in turn would.
            delete=self.delete + amendment.delete,
            insert=[q for q in self.insert if q not in taken_back] + amendment.insert,
            seal_graphs=list(self.seal_graphs),
        )

    def is_empty(self) -> bool:
        """Whether committing this change would do nothing."""
        return not (self.drop_graphs or self.delete or self.insert)

    def check_sealed(self) -> None:
        """Refuse any drop, delete or insert touching a sealed graph, except its creation."""
        creating = set(self.seal_graphs)
        refuse_sealed_graphs(self.drop_graphs)
        # Each graph once: an import inserts hundreds of thousands of quads into one graph.
        refuse_sealed_graphs({q.graph_name for q in self.delete})
        refuse_sealed_graphs({q.graph_name for q in self.insert} - creating)
        refuse_publishing_only_subjects(self.insert, creating)

    def to_sparql_update(self) -> str:
        """This change as one SPARQL Update request (terms serialised, never pasted).

        Every backend's commit calls this, so it is where sealed graphs are protected.
        """
        self.check_sealed()
        creating = set(self.seal_graphs)
        plain = [q for q in self.insert if q.graph_name not in creating]
        sealed = [q for q in self.insert if q.graph_name in creating]
        parts = [f"DROP SILENT GRAPH {graph}" for graph in self.drop_graphs]
        if self.delete:
            parts.append("DELETE DATA {\n" + _quad_block(self.delete) + "}")
        constant = [q for q in plain if not _has_blank_node(q)]
        blank = [q for q in plain if _has_blank_node(q)]
        if constant:
            parts.append("INSERT DATA {\n" + _quad_block(constant) + "}")
        for template in _templates(blank):
            # A template, not INSERT DATA: some servers (Virtuoso) refuse blank nodes in DATA
            # blocks. With one (empty) solution, each label is one new blank node, as in DATA;
            # a label is new in each operation, so a template holds whole blank-node groups.
            parts.append("INSERT {\n" + _quad_block(template) + "} WHERE {}")
        if sealed:
            # Conditional on the server's state in the same transaction: when any of the graphs
            # already exists, nothing is inserted (a concurrent publisher got there first). The
            # graphs are looked for by ONE subquery of at most one row, then it may bind nothing:
            # standard, and what Virtuoso 7.2 evaluates (it ignores FILTER NOT EXISTS in an
            # update's WHERE, and takes seconds to compile one OPTIONAL per graph: 16 s for 80).
            graphs = " ".join(str(g) for g in self.seal_graphs)
            parts.append(
                "INSERT {\n"
                + _quad_block(sealed)
                + "} WHERE {\n"
                + "  OPTIONAL { SELECT ?sealed WHERE {\n"
                + f"    VALUES ?sealedGraph {{ {graphs} }}\n"
                + "    GRAPH ?sealedGraph { ?sealed ?p ?o }\n"
                + "  } LIMIT 1 }\n"
                + "  FILTER(!BOUND(?sealed))\n}"
            )
        return " ;\n".join(parts)


def file_changes(graph: NamedNode, quads: Iterable[Quad], *, replace: bool) -> ChangeSet:
    """The change that loads a file's quads: its default graph into `graph`, its named graphs
    kept, and (when replacing) every graph it fills emptied first."""
    changes = ChangeSet(drop_graphs=[graph] if replace else [])
    other_graphs: set[NamedNode] = set()
    for quad in quads:
        if isinstance(quad.graph_name, NamedNode):
            other_graphs.add(quad.graph_name)
        else:
            quad = Quad(quad.subject, quad.predicate, quad.object, graph)
        changes.insert.append(quad)
    if replace:
        changes.drop_graphs.extend(sorted(other_graphs - {graph}, key=str))
    return changes


_BLOCK = 1000
# Triples per blank-node template: Virtuoso 7.2 fails on one of about 800 (SR002).
_TEMPLATE = 500


def _templates(quads: Sequence[Quad]) -> list[list[Quad]]:
    """The quads in groups of about _TEMPLATE, one graph each, never splitting quads that share
    a blank node."""
    parent: dict[BlankNode, BlankNode] = {}

    def root(node: BlankNode) -> BlankNode:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for quad in quads:
        nodes = [t for t in (quad.subject, quad.object) if isinstance(t, BlankNode)]
        for other in nodes[1:]:
            parent[root(other)] = root(nodes[0])
    components: dict[BlankNode, list[Quad]] = {}
    for quad in quads:
        first = quad.subject if isinstance(quad.subject, BlankNode) else quad.object
        components.setdefault(root(first), []).append(quad)  # type: ignore[arg-type]
    # Templates of one graph each (a group spanning graphs stays whole): Virtuoso 7.2 fails on a
    # template of a few hundred triples in two GRAPH blocks (SR002 string_output_string).
    by_graphs: dict[tuple[str, ...], list[list[Quad]]] = {}
    for component in components.values():
        key = tuple(sorted({str(q.graph_name) for q in component}))
        templates = by_graphs.setdefault(key, [])
        if not templates or len(templates[-1]) + len(component) > _TEMPLATE:
            templates.append([])
        templates[-1].extend(component)
    return [template for templates in by_graphs.values() for template in templates]


def _has_blank_node(quad: Quad) -> bool:
    return isinstance(quad.subject, BlankNode) or isinstance(quad.object, BlankNode)


def _quad_block(quads: Sequence[Quad]) -> str:
    """Quads as the body of an INSERT/DELETE DATA block, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(
            f"{quad.subject} {quad.predicate} {quad.object} ."
        )
    blocks = []
    for graph, lines in by_graph.items():
        # Blocks of at most _BLOCK triples: Virtuoso's parser overflows on one of ~5000.
        for start in range(0, len(lines), _BLOCK):
            body = "\n".join(lines[start : start + _BLOCK])
            blocks.append(body + "\n" if graph == "DEFAULT" else f"GRAPH {graph} {{\n{body}\n}}\n")
    return "".join(blocks)
