"""Publishing, editing, comparing and verifying #CodeSocial versions, on every backend."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from commons_graph.codesocial.canonical import canonical_nquads, content_hash
from commons_graph.codesocial.draft import read_draft
from commons_graph.codesocial.iris import VersionRef
from commons_graph.codesocial.publishing import NothingToPublish, publish
from commons_graph.codesocial.reading import compare_states
from commons_graph.codesocial.verification import verify
from commons_graph.codesocial.versions import list_versions, publication_record, version_content
from commons_graph.config import Settings
from commons_graph.contributions.authorise import is_publishing_only, seed_owners
from commons_graph.errors import BadInputError
from commons_graph.rdf.namespaces import CG, PROV
from commons_graph.store import Store
from commons_graph.store.seeding import initialise
from commons_graph.validation import context_from_store, validate
from tests.helpers.codesocial import CARE, DRAFT, ECONOMIC, OUISHARE, SHARING, edit_draft, tamper


def test_seed_ships_drafts_only(seeded_store: Store) -> None:
    """`init` loads both #CodeSocial drafts and publishes nothing."""
    assert list_versions(seeded_store, "ouishare") == []
    assert list_versions(seeded_store, "commons-to-commons") == []


def test_publish_edit_publish_compare_verify(seeded_store: Store) -> None:
    """v1 freezes the draft; an edit makes v2, a revision of v1; both verify; compare shows it."""
    store = seeded_store
    first = publish(store, DRAFT, OUISHARE)
    assert first.ref == VersionRef("ouishare", 1)
    assert verify(store, first.ref).ok
    with pytest.raises(NothingToPublish):
        publish(store, DRAFT, OUISHARE)
    edit_draft(store)
    second = publish(store, DRAFT, OUISHARE)
    assert second.ref.number == 2 and verify(store, second.ref).ok
    record = publication_record(store, second.ref)
    assert ox.Triple(second.ref.iri, ox.NamedNode(PROV + "wasRevisionOf"), first.ref.iri) in record
    assert [v.ref.number for v in list_versions(store, "ouishare")] == [1, 2]
    # The frozen principle is a fragment of the version, linked back to the live principle.
    frozen = ox.NamedNode(second.ref.iri.value + "#principle-ouishare-sharing")
    content = version_content(store, second.ref)
    assert ox.Triple(frozen, ox.NamedNode(CG + "concernsValue"), CARE) in content
    assert ox.Triple(frozen, ox.NamedNode(PROV + "wasDerivedFrom"), SHARING) in record
    comparison = compare_states(store, first.ref.iri.value, second.ref.iri.value)
    assert [(g.section, g.plane) for g in comparison.groups] == [("principles", ECONOMIC)]
    assert comparison.counts() == (0, 1)
    assert compare_states(store, second.ref.iri.value, DRAFT).unchanged
    # Re-running init (it reloads the seed) leaves published versions untouched.
    initialise(store)
    assert verify(store, first.ref).ok and verify(store, second.ref).ok


def test_tampering_is_detected(seeded_store: Store, backend_settings: Settings) -> None:
    """A change made behind the guard's back (native store, raw SPARQL) fails verification."""
    published = publish(seeded_store, DRAFT, OUISHARE)
    tamper(seeded_store, backend_settings, published.ref)
    result = verify(seeded_store, published.ref)
    assert not result.ok
    assert result.recorded == (published.content_hash,)


def test_hash_is_the_documented_recipe(seeded_store: Store) -> None:
    """SHA-256 of the sorted RDFC-1.0 N-Quads of the content graph, reproducible from a dump."""
    import hashlib

    published = publish(seeded_store, DRAFT, OUISHARE)
    content = version_content(seeded_store, published.ref)
    nquads = canonical_nquads(content)
    assert hashlib.sha256(nquads.encode("utf-8")).hexdigest() == published.content_hash
    assert nquads.endswith(" .\n") and nquads.splitlines() == sorted(nquads.splitlines())
    # Order and graph names do not matter: only the triples do.
    reordered = [ox.Quad(*t, ox.NamedNode("http://example.org/g")) for t in reversed(content)]
    assert content_hash(reordered) == published.content_hash


def test_hash_ignores_blank_node_labels() -> None:
    """Two copies of a graph with differently named blank nodes hash the same (RDFC-1.0)."""
    p = ox.NamedNode("http://example.org/p")
    s = ox.NamedNode("http://example.org/s")

    def graph() -> list[ox.Triple]:
        b = ox.BlankNode()
        return [ox.Triple(s, p, b), ox.Triple(b, p, ox.Literal("x"))]

    assert content_hash(graph()) == content_hash(graph())


def test_publisher_must_be_known(seeded_store: Store) -> None:
    """A publisher the store does not know as an organisation or person is refused."""
    with pytest.raises(BadInputError):
        publish(seeded_store, DRAFT, "https://example.org/nobody")


def test_publication_record_conforms_to_the_shapes(seeded_store: Store) -> None:
    """The version's record and content, as generated, satisfy the project's SHACL shapes."""
    published = publish(seeded_store, DRAFT, OUISHARE)
    ref = published.ref
    data = Graph()
    # The draft comes along: the record points at it (dcterms:isVersionOf).
    draft = read_draft(seeded_store, ox.NamedNode(DRAFT)).triples
    for t in [*version_content(seeded_store, ref), *publication_record(seeded_store, ref), *draft]:
        data.parse(data=f"{t} .", format="nt")
    # The store writes xsd:positiveInteger as xsd:integer (pyoxigraph normalises it); the shape
    # asks for the ontology's xsd:positiveInteger, so check the record as it was generated.
    number = "https://w3id.org/commons-graph/ontology#versionNumber"
    data.parse(
        data=f'<{ref.iri.value}> <{number}> "{ref.number}"^^'
        "<http://www.w3.org/2001/XMLSchema#positiveInteger> .",
        format="nt",
    )
    data.remove((URIRef(ref.iri.value), URIRef(number), Literal(ref.number, datatype=XSD.integer)))
    report = validate(data, context=context_from_store(seeded_store, data), lang="en")
    # Context nodes (commons, values) are only typed here; judge the version's own nodes.
    ours = [v for v in report.violations if str(v.focus).startswith(ref.iri.value)]
    assert ours == []


def test_members_may_edit_their_own_codesocial(seeded_store: Store) -> None:
    """Who owns what, for authorisation: the seed's #CodeSocial and its parts belong to its
    subject, by the seed's own statements; published versions belong to nobody."""
    owners = seed_owners(seeded_store, [SHARING, ox.NamedNode(DRAFT)])
    assert owners == {SHARING.value: {OUISHARE}, DRAFT: {OUISHARE}}
    published = publish(seeded_store, DRAFT, OUISHARE)
    assert seed_owners(seeded_store, [published.ref.iri]) == {}
    assert is_publishing_only(published.ref.iri.value)
