"""History as linked data: every version an entity with its IRI, content and PROV; upgrades."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from commons_graph.contributions.journal import in_store, recover
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.provenance import (
    PROVENANCE_GRAPH,
    change_iri,
    contribution_graph,
    version_iri,
)
from commons_graph.contributions.service import ContributionService
from commons_graph.contributions.upgrade import needs_upgrade, upgrade_history
from commons_graph.members.accounts import Accounts, Member
from commons_graph.rdf.formats import rdf_format
from commons_graph.sparql.examples import example_queries
from commons_graph.store import Store
from commons_graph.store.changes import ChangeSet
from tests.helpers.contributions import EXAMPLES, GLOSSARY, OUISHARE, ContributionServer

TURTLE = rdf_format("turtle")
PROV = "http://www.w3.org/ns/prov#"
CG = "https://w3id.org/commons-graph/ontology#"
SHARING = "https://w3id.org/commons-graph/value/sharing"
CARE = "https://w3id.org/commons-graph/value/care"
HOLDS = CG + "holdsValue"


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite")


@pytest.fixture
def service(seeded_store: Store, accounts: Accounts) -> ContributionService:
    return ContributionService(seeded_store, accounts)


@pytest.fixture
def ana(accounts: Accounts) -> Member:
    return accounts.add_member("Ana", OUISHARE)[0]


def valid() -> list[ox.Triple]:
    return parse_contribution((EXAMPLES / "ouishare-valid.ttl").read_bytes(), TURTLE, 100_000)


def changed(triples: list[ox.Triple]) -> list[ox.Triple]:
    """The example with Ouishare holding care instead of sharing."""
    swap = {ox.NamedNode(SHARING): ox.NamedNode(CARE)}
    return [ox.Triple(t.subject, t.predicate, swap.get(t.object, t.object)) for t in triples]  # type: ignore[arg-type]


def four_versions(service: ContributionService, ana: Member) -> str:
    """Create, replace, withdraw, revert: four versions of one contribution."""
    contribution = service.submit(ana, valid()).contribution_id
    service.replace(ana, contribution, changed(valid()), comment="care, not sharing")
    service.retract(ana, contribution)
    service.revert(ana, contribution)
    return contribution


def test_versions_are_entities_linked_by_revision(
    service: ContributionService, ana: Member
) -> None:
    contribution = four_versions(service, ana)
    graph = contribution_graph(contribution)
    rows = service.store.select(
        f"""PREFIX prov: <{PROV}> PREFIX cg: <{CG}>
        SELECT ?n ?version ?previous ?activity ?agent ?organisation ?shapes ?invalidator WHERE {{
          GRAPH ?p {{
            ?version a prov:Entity, cg:ContributionVersion ; prov:specializationOf ?graph ;
                     <https://schema.org/version> ?n ; prov:wasGeneratedBy ?activity .
            ?activity prov:generated ?version ; prov:wasAssociatedWith ?agent ;
                      prov:used ?shapes ; prov:endedAtTime ?time .
            ?shapes prov:specializationOf <https://w3id.org/commons-graph/shapes> .
            ?agent prov:actedOnBehalfOf ?organisation .
            OPTIONAL {{ ?version prov:wasRevisionOf ?previous }}
            OPTIONAL {{ ?version prov:wasInvalidatedBy ?invalidator }}
          }}
        }} ORDER BY ?n""",
        {"p": PROVENANCE_GRAPH, "graph": graph},
    ).dicts()
    assert [int(r["n"].value) for r in rows] == [1, 2, 3, 4]  # type: ignore[union-attr]
    for row, number in zip(rows, (1, 2, 3, 4), strict=True):
        assert row["version"] == version_iri(contribution, number)
        assert row["activity"] == change_iri(contribution, number)
        assert row["organisation"] == ox.NamedNode(OUISHARE)
        if number > 1:
            assert row["previous"] == version_iri(contribution, number - 1)
        else:
            assert "previous" not in row
        if number < 4:  # each version is invalidated by the change that made the next one
            assert row["invalidator"] == change_iri(contribution, number + 1)
        else:
            assert "invalidator" not in row


def test_how_a_resource_changed_is_one_sparql_query(
    service: ContributionService, ana: Member
) -> None:
    """The gallery's example answers who changed Ouishare, for whom, when, and how."""
    four_versions(service, ana)
    (example,) = [e for e in example_queries() if e.name == "11-how-a-resource-changed"]
    rows = service.store.select(example.query).dicts()
    seen = [
        (r["change"].value, r["property"].value, r["value"].value)  # type: ignore[union-attr]
        for r in rows
        if r["property"].value == HOLDS  # type: ignore[union-attr]
    ]
    assert seen == [
        ("+", HOLDS, SHARING),  # created
        ("+", HOLDS, CARE),  # replaced: care in ...
        ("−", HOLDS, SHARING),  # ... sharing out
        ("−", HOLDS, CARE),  # withdrawn
        ("+", HOLDS, CARE),  # reverted to version 2
    ]
    assert {r["who"].value for r in rows} == {"Ana"}  # type: ignore[union-attr]
    assert {r["organisation"].value for r in rows} == {OUISHARE}  # type: ignore[union-attr]
    whens = [r["when"].value for r in rows]  # type: ignore[union-attr]
    assert whens == sorted(whens)


def test_each_version_dereferences_to_its_content(contrib: ContributionServer) -> None:
    body = (EXAMPLES / "ouishare-valid.ttl").read_bytes()
    created = contrib.post(body, contrib.ana_token)
    assert created.status_code == 201
    contribution = created.json()["id"]
    withdrawn = contrib.http.delete(
        f"/contributions/{contribution}", headers={"Authorization": f"Bearer {contrib.ana_token}"}
    )
    assert withdrawn.status_code == 200
    iri = version_iri(contribution, 1).value
    path = iri.removeprefix("https://w3id.org/commons-graph")
    response = contrib.http.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    # Its content, though withdrawn since, and what it is.
    glossary = URIRef(GLOSSARY)
    assert (URIRef(OUISHARE), URIRef(CG + "stewards"), glossary) in graph
    assert (
        URIRef(iri),
        URIRef(PROV + "specializationOf"),
        URIRef(contribution_graph(contribution).value),
    ) in graph
    invalidated = graph.value(URIRef(iri), URIRef(PROV + "wasInvalidatedBy"))
    assert invalidated == URIRef(change_iri(contribution, 2).value)
    page = contrib.http.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Ana" in page.text
    for missing in (
        f"/graph/contribution/{contribution}/version/3",
        "/graph/contribution/ab/version/1",
    ):
        assert contrib.http.get(missing, headers={"Accept": "text/turtle"}).status_code == 404
    for bad in (
        "/graph/contribution/NOT-HEX/version/1",
        f"/graph/contribution/{contribution}/version/0",
    ):
        assert contrib.http.get(bad, headers={"Accept": "text/turtle"}).status_code == 404


def _downgrade(store: Store, contribution: str, versions: int) -> None:
    """Rewrite the history of a contribution as stores before this layout held it."""
    delete: list[ox.Quad] = []
    insert: list[ox.Quad] = []
    for quad in store.quads(PROVENANCE_GRAPH):
        subject = quad.subject.value  # type: ignore[union-attr]
        if "/version/" in subject and contribution in subject:
            delete.append(quad)
            if subject.endswith("#change") and quad.predicate.value not in (
                PROV + "generated",
                PROV + "invalidated",
                PROV + "used",
                PROV + "wasInformedBy",
            ):
                old = ox.NamedNode(subject.removesuffix("#change"))
                insert.append(ox.Quad(old, quad.predicate, quad.object, PROVENANCE_GRAPH))
        elif "/version/" in str(quad.object) and contribution in str(quad.object):
            delete.append(quad)
    graph = contribution_graph(contribution)
    for number in range(1, versions + 1):
        old = version_iri(contribution, number)
        insert.append(ox.Quad(old, ox.NamedNode(PROV + "generated"), graph, PROVENANCE_GRAPH))
    store.commit(ChangeSet(delete=delete, insert=insert))


def test_an_old_layout_store_is_upgraded_when_opened(
    service: ContributionService, ana: Member, accounts: Accounts
) -> None:
    contribution = service.submit(ana, valid()).contribution_id
    service.replace(ana, contribution, changed(valid()))
    store = service.store
    after_writes = sorted(map(str, store.quads(PROVENANCE_GRAPH)))
    _downgrade(store, contribution, 2)
    assert needs_upgrade(store)
    # The journal still recognises a change recorded in the old layout.
    versions = service.records.versions(contribution)
    assert all(in_store(store, version) for version in versions)
    recover(accounts, store)  # what `serve`, `init` and `members add` run
    assert not needs_upgrade(store)
    assert sorted(map(str, store.quads(PROVENANCE_GRAPH))) == after_writes
    assert upgrade_history(service.records, store) == 0  # a second run does nothing
    assert all(in_store(store, version) for version in versions)
