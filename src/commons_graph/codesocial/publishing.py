"""Publishing: freezing the draft as version N+1 in two new sealed graphs, in one transaction."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

import pyoxigraph as ox

from commons_graph.codesocial.canonical import content_hash
from commons_graph.codesocial.comparison import diff_triples
from commons_graph.codesocial.draft import Draft, read_draft
from commons_graph.codesocial.freezing import freeze, neutral, part_map
from commons_graph.codesocial.iris import VersionRef, draft_iri, is_slug, resolve
from commons_graph.codesocial.versions import latest_version, version_content
from commons_graph.errors import BadInputError, ConflictError, NotFoundError
from commons_graph.rdf.namespaces import CG, DCTERMS, PROV, RDF, RDFS, XSD
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet

# One publication at a time in this process; across processes the store's conditional insert
# (see ChangeSet.seal_graphs) makes sure a version number is taken once.
_LOCK = threading.Lock()

_PUBLISHER_QUERY = """
ASK { ?publisher a ?class . ?class <http://www.w3.org/2000/01/rdf-schema#subClassOf>* ?kind .
      VALUES ?kind { <http://www.w3.org/ns/org#Organization> <http://xmlns.com/foaf/0.1/Person> } }
"""


class PublicationConflict(ConflictError):
    """Someone else published the same version number at the same moment."""

    status = 409

    def __init__(self, number: int) -> None:
        super().__init__("codesocial.publish.conflict", number=number)
        self.number = number


class NothingToPublish(BadInputError):
    """The draft has not changed since the latest version."""

    status = 409

    def __init__(self, number: int) -> None:
        super().__init__("codesocial.publish.nothing", number=number)
        self.number = number


@dataclass(frozen=True)
class Publication:
    """What publishing made: the version, its hash and its record."""

    ref: VersionRef
    content_hash: str
    issued: str
    publisher: str
    triples: int


def slug_for(iri_or_slug: str) -> str:
    """The slug of a #CodeSocial given by its IRI (draft or version) or by its slug."""
    resolved = resolve(iri_or_slug)
    if resolved is not None:
        return resolved[0]
    if is_slug(iri_or_slug):
        return iri_or_slug
    raise BadInputError("codesocial.error.not_an_iri", iri=iri_or_slug)


def _literal(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


def _label_of(store: Store, resource: ox.NamedNode | None) -> dict[str, str]:
    if resource is None:
        return {}
    rows = store.select(
        "SELECT ?l WHERE { ?r <http://www.w3.org/2000/01/rdf-schema#label> ?l }",
        {"r": resource},
    ).rows
    return {
        (label.language or ""): label.value for (label,) in rows if isinstance(label, ox.Literal)
    }


def publication_triples(
    store: Store,
    draft: Draft,
    ref: VersionRef,
    digest: str,
    issued: str,
    publisher: ox.NamedNode,
    agents: list[ox.NamedNode],
) -> list[ox.Triple]:
    """The publication record: the version's metadata and the PROV activity that made it."""
    version, activity = ref.iri, ref.activity
    name = _label_of(store, draft.subject())
    en = name.get("en") or name.get("fr") or name.get("") or ref.slug
    fr = name.get("fr") or en
    when = _literal(issued, "dateTime")
    t = ox.Triple
    n = ox.NamedNode
    triples = [
        t(version, n(RDF + "type"), n(CG + "CodeSocialVersion")),
        t(
            version,
            n(RDFS + "label"),
            ox.Literal(f"#CodeSocial of {en}, version {ref.number}", language="en"),
        ),
        t(
            version,
            n(RDFS + "label"),
            ox.Literal(f"#CodeSocial de {fr}, version {ref.number}", language="fr"),
        ),
        t(version, n(DCTERMS + "isVersionOf"), draft.root),
        t(version, n(CG + "versionNumber"), _literal(str(ref.number), "positiveInteger")),
        t(version, n(DCTERMS + "issued"), when),
        t(version, n(DCTERMS + "publisher"), publisher),
        t(version, n(CG + "contentHash"), ox.Literal(digest)),
        t(version, n(PROV + "wasGeneratedBy"), activity),
        t(version, n(PROV + "wasDerivedFrom"), draft.root),
        t(activity, n(RDF + "type"), n(PROV + "Activity")),
        t(
            activity,
            n(RDFS + "label"),
            ox.Literal(f"Publication of version {ref.number}", language="en"),
        ),
        t(
            activity,
            n(RDFS + "label"),
            ox.Literal(f"Publication de la version {ref.number}", language="fr"),
        ),
        t(activity, n(PROV + "used"), draft.root),
        t(activity, n(PROV + "generated"), version),
        t(activity, n(PROV + "endedAtTime"), when),
        t(activity, n(PROV + "wasAssociatedWith"), publisher),
    ]
    for agent in agents:
        triples.append(t(activity, n(PROV + "wasAssociatedWith"), agent))
        triples.append(t(agent, n(PROV + "actedOnBehalfOf"), publisher))
    previous = ref.previous
    if previous is not None:
        triples.append(t(version, n(PROV + "wasRevisionOf"), previous.iri))
    for original, frozen in part_map(draft, version).items():
        if original != draft.root:
            triples.append(t(frozen, n(PROV + "wasDerivedFrom"), original))
    return triples


def now_utc() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def publish(
    store: Store,
    iri_or_slug: str,
    publisher: str,
    *,
    agents: list[str] | None = None,
    issued: str | None = None,
) -> Publication:
    """Freeze the draft as the next version, published by `publisher` (an organisation/person)."""
    slug = slug_for(iri_or_slug)
    root = draft_iri(slug)
    publisher_node = ox.NamedNode(publisher)
    if not store.ask(_PUBLISHER_QUERY, {"publisher": publisher_node}):
        raise BadInputError("codesocial.error.unknown_publisher", publisher=publisher)
    with _LOCK:
        draft = read_draft(store, root)
        if not draft.exists:
            raise NotFoundError("codesocial.error.no_document", iri=root.value)
        latest = latest_version(store, slug)
        ref = VersionRef(slug, 1 if latest is None else latest.ref.number + 1)
        content = freeze(draft, ref.iri)
        if latest is not None:
            before = neutral(version_content(store, latest.ref), latest.ref.iri, root)
            after = neutral(content, ref.iri, root)
            if not any(diff_triples(before, after)):
                raise NothingToPublish(latest.ref.number)
        digest = content_hash(content)
        when = issued or now_utc()
        record = publication_triples(
            store, draft, ref, digest, when, publisher_node, [ox.NamedNode(a) for a in agents or []]
        )
        changes = ChangeSet(
            insert=[ox.Quad(t.subject, t.predicate, t.object, ref.content_graph) for t in content]
            + [ox.Quad(t.subject, t.predicate, t.object, ref.publication_graph) for t in record],
            seal_graphs=[ref.content_graph, ref.publication_graph],
        )
        store.commit(changes)
        stored = latest_version(store, slug)
        if stored is None or stored.ref != ref or stored.content_hash != digest:
            raise PublicationConflict(ref.number)
    return Publication(ref, digest, when, publisher, len(content))
