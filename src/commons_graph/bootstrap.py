"""Initialising a store: ontology, shapes, vocabularies and the seed network, each in its graph."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import NamedNode, Quad

from commons_graph.formats import rdf_format_for_path
from commons_graph.namespaces import GRAPH
from commons_graph.rdfio import parse_rdf
from commons_graph.resources import resource_dir, turtle_files
from commons_graph.store.base import ChangeSet, Store


@dataclass(frozen=True)
class Source:
    """One shipped file and the named graph it goes to."""

    path: Path
    graph: NamedNode


@dataclass(frozen=True)
class InitSummary:
    """What `init` loaded."""

    graphs: int
    triples: int


def shipped_sources() -> list[Source]:
    """Every shipped Turtle file with its named graph, ontology first."""
    sources = [Source(p, NamedNode(GRAPH["ontology"])) for p in turtle_files("ontology")]
    sources += [Source(p, NamedNode(GRAPH["shapes"])) for p in turtle_files("shapes")]
    for folder, prefix in (("vocabularies", "vocabulary"), ("data", "seed")):
        root = resource_dir(folder)
        for path in turtle_files(folder):
            name = path.relative_to(root).with_suffix("").as_posix()
            sources.append(Source(path, NamedNode(GRAPH[f"{prefix}/{name}"])))
    return sources


def initialise(store: Store) -> InitSummary:
    """Load every shipped file into its graph in one transaction; running it twice is a no-op."""
    changes = ChangeSet()
    graphs = {source.graph for source in shipped_sources()}
    changes.drop_graphs.extend(sorted(graphs, key=str))
    for source in shipped_sources():
        fmt = rdf_format_for_path(source.path)
        for quad in parse_rdf(source.path, fmt, base_iri=source.graph.value):
            changes.insert.append(Quad(quad.subject, quad.predicate, quad.object, source.graph))
    store.commit(changes)
    return InitSummary(graphs=len(graphs), triples=len(changes.insert))
