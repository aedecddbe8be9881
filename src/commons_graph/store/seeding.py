"""Initialising a store: ontology, shapes, vocabularies and the seed network, each in its graph."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, Triple

from commons_graph.rdf.formats import rdf_format_for_path
from commons_graph.rdf.namespaces import DCTERMS, GRAPH, OWL_VERSION_INFO, XSD_DATETIME
from commons_graph.rdf.parsing import parse_rdf
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.shipped import resource_dir, turtle_files


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
    changed: int


def shipped_sources() -> list[Source]:
    """Every shipped Turtle file with its named graph, ontology first."""
    sources = [Source(p, NamedNode(GRAPH + "ontology")) for p in turtle_files("ontology")]
    sources += [Source(p, NamedNode(GRAPH + "shapes")) for p in turtle_files("shapes")]
    for folder, prefix in (("vocabularies", "vocabulary"), ("data", "seed")):
        root = resource_dir(folder)
        for path in turtle_files(folder):
            name = path.relative_to(root).with_suffix("").as_posix()
            sources.append(Source(path, NamedNode(GRAPH + f"{prefix}/{name}")))
    return sources


BOOTSTRAP_GRAPH = NamedNode(GRAPH + "bootstrap")
_LOADED_VERSIONS = "SELECT ?graph ?version WHERE { GRAPH ?record { ?graph ?versionInfo ?version } }"
DC_CREATED = NamedNode(DCTERMS + "created")
DC_MODIFIED = NamedNode(DCTERMS + "modified")
_LOADED_TIMES = f"""
SELECT ?graph ?created ?modified WHERE {{
  GRAPH {BOOTSTRAP_GRAPH} {{
    ?graph {OWL_VERSION_INFO} ?version
    OPTIONAL {{ ?graph {DC_CREATED} ?created }}
    OPTIONAL {{ ?graph {DC_MODIFIED} ?modified }}
  }}
}}
"""


def _source_versions(sources: list[Source]) -> dict[NamedNode, str]:
    """For each graph, a hash of the bytes of the files it is loaded from."""
    digests: dict[NamedNode, hashlib._Hash] = {}
    for source in sources:
        digest = digests.setdefault(source.graph, hashlib.sha256())
        digest.update(source.path.read_bytes())
    return {graph: f"sha256:{digest.hexdigest()}" for graph, digest in digests.items()}


def _loaded_versions(store: Store) -> dict[NamedNode, str]:
    """The source hashes recorded by the last `init`."""
    rows = store.select(
        _LOADED_VERSIONS, {"record": BOOTSTRAP_GRAPH, "versionInfo": OWL_VERSION_INFO}
    ).rows
    return {g: v.value for g, v in rows if isinstance(g, NamedNode) and isinstance(v, Literal)}


def loaded_times(store: Store) -> dict[str, tuple[str | None, str | None]]:
    """When each shipped graph was first loaded and last reloaded (dcterms:created, modified)."""
    # Constant IRIs written in the query (not bound): the engine then reads the one graph.
    rows = store.select(_LOADED_TIMES).dicts()
    return {
        row["graph"].value: (  # type: ignore[union-attr]
            row["created"].value if "created" in row else None,  # type: ignore[union-attr]
            row["modified"].value if "modified" in row else None,  # type: ignore[union-attr]
        )
        for row in rows
        if isinstance(row.get("graph"), NamedNode)
    }


def _record(
    versions: dict[NamedNode, str],
    stale: set[NamedNode],
    times: dict[str, tuple[str | None, str | None]],
) -> list[Triple]:
    """The bootstrap record: each graph's source hash and when it was first and last loaded."""
    moment = Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD_DATETIME)
    record: list[Triple] = []
    for graph, version in versions.items():
        created, modified = times.get(graph.value, (None, None))
        first = Literal(created, datatype=XSD_DATETIME) if created else moment
        last = (
            moment
            if graph in stale or modified is None
            else Literal(modified, datatype=XSD_DATETIME)
        )
        record += [
            Triple(graph, OWL_VERSION_INFO, Literal(version)),
            Triple(graph, DC_CREATED, first),
            Triple(graph, DC_MODIFIED, last),
        ]
    return record


def initialise(store: Store) -> InitSummary:
    """Load every shipped file into its graph in one transaction; running it twice is a no-op.

    Graphs whose files have not changed since the last run are left alone, so their blank
    nodes keep their identity and a second run writes nothing at all.
    """
    sources = shipped_sources()
    versions = _source_versions(sources)
    loaded = _loaded_versions(store)
    stale = {graph for graph, version in versions.items() if loaded.get(graph) != version}
    gone = set(loaded) - set(versions)
    changes = ChangeSet(drop_graphs=sorted(stale | gone, key=str))
    for source in sources:
        if source.graph not in stale:
            continue
        fmt = rdf_format_for_path(source.path)
        for quad in parse_rdf(source.path, fmt, base_iri=source.graph.value):
            changes.insert.append(Quad(quad.subject, quad.predicate, quad.object, source.graph))
    times = loaded_times(store)
    # A store initialised before the record held dates gets them now (they say "since then").
    undated = any(times.get(g.value, (None, None))[1] is None for g in versions)
    if stale or gone or undated:
        changes.replace_graph(BOOTSTRAP_GRAPH, _record(versions, stale, times))
    store.commit(changes)
    return InitSummary(graphs=len(versions), triples=len(changes.insert), changed=len(stale))
