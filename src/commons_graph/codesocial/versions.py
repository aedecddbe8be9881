"""Reading published versions: their publication records and their frozen content."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from commons_graph.codesocial.iris import CODESOCIAL_PREFIX, VERSION_GRAPH_PREFIX, VersionRef
from commons_graph.errors import NotFoundError
from commons_graph.rdf.namespaces import CG, DCTERMS, PROV
from commons_graph.store.base import Store


@dataclass(frozen=True)
class VersionInfo:
    """The publication record of one version, as its sealed publication graph states it."""

    ref: VersionRef
    issued: str
    publisher: str
    content_hash: str
    agents: tuple[str, ...] = ()

    @property
    def issued_date(self) -> str:
        """The publication day, `YYYY-MM-DD`."""
        return self.issued[:10]


# Only sealed graphs are trusted: a contribution stating `x a cg:CodeSocialVersion` elsewhere
# does not make a version.
_VERSIONS_QUERY = f"""
SELECT ?v ?n ?issued ?publisher ?hash ?g WHERE {{
  GRAPH ?g {{
    ?v a <{CG}CodeSocialVersion> ; <{DCTERMS}isVersionOf> ?root ; <{CG}versionNumber> ?n ;
       <{DCTERMS}issued> ?issued ; <{DCTERMS}publisher> ?publisher ; <{CG}contentHash> ?hash .
  }}
  FILTER(STRSTARTS(STR(?g), {ox.Literal(VERSION_GRAPH_PREFIX)}))
}}
"""

_AGENTS_QUERY = f"""
SELECT DISTINCT ?agent WHERE {{
  GRAPH ?g {{ ?activity <{PROV}wasAssociatedWith> ?agent }}
}}
"""


def list_versions(store: Store, slug: str) -> list[VersionInfo]:
    """Every published version of the #CodeSocial `slug`, oldest first."""
    root = ox.NamedNode(CODESOCIAL_PREFIX + slug)
    rows = store.select(_VERSIONS_QUERY, {"root": root}).rows
    found: dict[int, VersionInfo] = {}
    for v, n, issued, publisher, digest, graph in rows:
        if not (isinstance(n, ox.Literal) and n.value.isdigit()):
            continue
        ref = VersionRef(slug, int(n.value))
        if v != ref.iri or graph != ref.publication_graph:
            continue
        # A tampered record may carry two values; keep the first, `verify` reports the rest.
        info = VersionInfo(ref, issued.value, publisher.value, digest.value)  # type: ignore[union-attr]
        found.setdefault(ref.number, info)
    return [found[n] for n in sorted(found)]


def get_version(store: Store, ref: VersionRef) -> VersionInfo:
    """The publication record of `ref`; NotFoundError when it was never published."""
    for info in list_versions(store, ref.slug):
        if info.ref == ref:
            agents = store.select(
                _AGENTS_QUERY, {"g": ref.publication_graph, "activity": ref.activity}
            ).rows
            names = tuple(sorted(a.value for (a,) in agents if isinstance(a, ox.NamedNode)))
            return VersionInfo(ref, info.issued, info.publisher, info.content_hash, names)
    raise NotFoundError("codesocial.error.not_published", iri=ref.iri.value)


def latest_version(store: Store, slug: str) -> VersionInfo | None:
    """The latest published version of `slug`, if any."""
    versions = list_versions(store, slug)
    return versions[-1] if versions else None


def version_content(store: Store, ref: VersionRef) -> list[ox.Triple]:
    """The frozen content of a version: every triple of its content graph."""
    return sorted((q.triple for q in store.quads(ref.content_graph)), key=str)


def publication_record(store: Store, ref: VersionRef) -> list[ox.Triple]:
    """The triples of a version's publication graph."""
    return sorted((q.triple for q in store.quads(ref.publication_graph)), key=str)
