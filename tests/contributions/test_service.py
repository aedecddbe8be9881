"""The write path on each backend: authorise, validate, commit with PROV, replace, retract."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.contributions.errors import Forbidden
from commons_graph.contributions.history import history
from commons_graph.contributions.links import organisation_links
from commons_graph.contributions.parsing import parse_contribution
from commons_graph.contributions.provenance import contribution_graph
from commons_graph.contributions.service import ContributionService, InvalidContribution
from commons_graph.members.accounts import Accounts, Member
from commons_graph.rdf.formats import rdf_format
from commons_graph.store import Store
from tests.helpers.contributions import C2C, EXAMPLES, GLOSSARY, OUISHARE

TURTLE = rdf_format("turtle")


@pytest.fixture
def accounts(tmp_path: Path) -> Accounts:
    return Accounts(tmp_path / "accounts.sqlite")


@pytest.fixture
def service(seeded_store: Store, accounts: Accounts) -> ContributionService:
    return ContributionService(seeded_store, accounts)


@pytest.fixture
def ana(accounts: Accounts) -> Member:
    """A member for Ouishare."""
    return accounts.add_member("Ana", OUISHARE)[0]


@pytest.fixture
def bea(accounts: Accounts) -> Member:
    """A member for Commons To Commons."""
    return accounts.add_member("Bea", C2C)[0]


def triples_of(text: str) -> list[ox.Triple]:
    return parse_contribution(text.encode(), TURTLE, 100_000)


def example(name: str) -> list[ox.Triple]:
    return parse_contribution((EXAMPLES / name).read_bytes(), TURTLE, 100_000)


def test_valid_contribution_is_stored_with_provenance(
    service: ContributionService, ana: Member
) -> None:
    receipt = service.submit(ana, example("ouishare-valid.ttl"), comment="hello")
    graph = contribution_graph(receipt.contribution_id)
    store = service.store
    assert store.ask(
        "ASK { GRAPH ?g { ?org <https://w3id.org/commons-graph/ontology#stewards> ?c } }",
        {"g": graph, "org": ox.NamedNode(OUISHARE), "c": ox.NamedNode(GLOSSARY)},
    )
    rows = store.select(
        """PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?org ?name ?time ?hash ?shapes WHERE {
          ?g prov:wasAttributedTo ?org .
          ?version prov:specializationOf ?g ; prov:wasGeneratedBy ?a .
          ?a prov:generated ?version ; prov:endedAtTime ?time ; prov:wasAssociatedWith ?agent ;
             <http://purl.org/dc/terms/identifier> ?hash ; prov:used ?v .
          ?agent <http://xmlns.com/foaf/0.1/name> ?name .
          ?v <http://www.w3.org/2002/07/owl#versionInfo> ?shapes }""",
        {"g": graph},
    ).dicts()
    assert len(rows) == 1
    assert rows[0]["org"] == ox.NamedNode(OUISHARE)
    assert rows[0]["name"].value == "Ana"  # type: ignore[union-attr]
    assert rows[0]["hash"].value.startswith("sha256:")  # type: ignore[union-attr]


def test_invalid_contribution_changes_nothing(service: ContributionService, ana: Member) -> None:
    before = service.store.count()
    with pytest.raises(InvalidContribution) as caught:
        service.submit(ana, example("ouishare-invalid.ttl"), lang="fr")
    paths = {d.path for d in caught.value.details("fr")}
    assert "https://schema.org/foundingDate" in paths
    assert "https://w3id.org/commons-graph/ontology#holdsValue" in paths
    assert any("date de création" in d.message for d in caught.value.details("fr"))
    assert service.store.count() == before
    assert service.records.contributions() == []


def test_describing_another_organisation_is_forbidden(
    service: ContributionService, ana: Member
) -> None:
    with pytest.raises(Forbidden) as caught:
        service.submit(ana, triples_of(f'<{C2C}> <http://purl.org/dc/terms/description> "x"@en .'))
    assert caught.value.status == 403
    assert [d.focus for d in caught.value.details("en")] == [C2C]


def test_resources_outside_the_namespace_cannot_be_created(
    service: ContributionService, ana: Member
) -> None:
    with pytest.raises(Forbidden):
        service.submit(ana, triples_of('<https://example.org/x> <http://x/p> "x" .'))


def test_created_resources_stay_with_their_organisation(
    service: ContributionService, ana: Member, bea: Member
) -> None:
    service.submit(ana, example("ouishare-valid.ttl"))
    more = f"<{GLOSSARY}> <http://xmlns.com/foaf/0.1/homepage> <https://glossary.example/> ."
    service.submit(ana, triples_of(more))
    with pytest.raises(Forbidden):
        service.submit(bea, triples_of(more))


def test_approved_claim_lets_a_member_describe_the_organisation(
    service: ContributionService, accounts: Accounts, ana: Member
) -> None:
    statement = (
        f"<{C2C}> <https://w3id.org/commons-graph/ontology#holdsValue> "
        "<https://w3id.org/commons-graph/value/sharing> ."
    )
    with pytest.raises(Forbidden):
        service.submit(ana, triples_of(statement))
    claim = accounts.add_claim(ana, C2C)
    accounts.decide_claim(claim.id, approve=True)
    receipt = service.submit(ana, triples_of(statement))
    assert service.records.contribution(receipt.contribution_id).organisation == C2C  # type: ignore[union-attr]


def test_links_to_other_organisations_wait_for_confirmation(
    service: ContributionService, ana: Member, bea: Member
) -> None:
    partner = "https://w3id.org/commons-graph/ontology#partnerOf"
    service.submit(ana, triples_of(f"<{OUISHARE}> <{partner}> <{C2C}> ."))
    (link,) = [lk for lk in organisation_links(service.store) if lk.source == OUISHARE]
    assert not link.confirmed
    service.submit(bea, triples_of(f"<{C2C}> <{partner}> <{OUISHARE}> ."))
    links = organisation_links(service.store)
    assert {(lk.source, lk.confirmed) for lk in links} == {(OUISHARE, True), (C2C, True)}
    # One organisation's links (read from and to it alone) are the same links.
    for organisation in (OUISHARE, C2C):
        assert organisation_links(service.store, organisation) == links
    assert organisation_links(service.store, "https://example.org/nobody") == []


def test_replace_retract_and_revert_keep_history(
    service: ContributionService, ana: Member, bea: Member
) -> None:
    receipt = service.submit(ana, example("ouishare-valid.ttl"))
    cid = receipt.contribution_id
    graph = contribution_graph(cid)
    sharing = "<https://w3id.org/commons-graph/value/sharing>"
    care = "<https://w3id.org/commons-graph/value/care>"
    holds = "<https://w3id.org/commons-graph/ontology#holdsValue>"
    with pytest.raises(Forbidden):
        service.replace(bea, cid, triples_of(f"<{C2C}> {holds} {care} ."))
    service.replace(ana, cid, triples_of(f"<{OUISHARE}> {holds} {care} ."))
    assert service.store.count(graph) == 1
    service.retract(ana, cid)
    assert service.store.count(graph) == 0
    service.revert(ana, cid)  # undoes the withdrawal
    assert service.store.count(graph) == 1
    actions = [c.version.action for c in history(service.records, resource=OUISHARE)]
    assert actions == ["revert", "retract", "replace", "create"]
    create = history(service.records, resource=OUISHARE)[-1]
    assert any(str(t.object) == sharing for t in create.added)
    prov_activities = service.store.select(
        "PREFIX prov: <http://www.w3.org/ns/prov#>"
        " SELECT ?a WHERE { ?a prov:wasAssociatedWith ?agent ."
        " ?a prov:generated/prov:specializationOf ?g }",
        {"g": graph},
    )
    assert len({row[0] for row in prov_activities.rows}) == 4


def test_admin_may_revert_another_organisations_contribution(
    service: ContributionService, accounts: Accounts, ana: Member
) -> None:
    receipt = service.submit(ana, example("ouishare-valid.ttl"))
    admin = accounts.add_member("Admin", C2C, admin=True)[0]
    service.revert(admin, receipt.contribution_id)
    assert service.store.count(contribution_graph(receipt.contribution_id)) == 0


CODESOCIAL = "https://w3id.org/commons-graph/id/codesocial/ouishare"
PRINCIPLE = "https://w3id.org/commons-graph/id/principle/ouishare-sharing"


def test_members_edit_their_organisations_codesocial_draft(
    service: ContributionService, ana: Member, bea: Member
) -> None:
    """The seeded #CodeSocial draft and its parts belong to the subject's members only."""
    comment = "<http://www.w3.org/2000/01/rdf-schema#comment>"
    edit = f'<{CODESOCIAL}> {comment} "Draft under review."@en .\n'
    edit += f'<{PRINCIPLE}> {comment} "Reworded at the 2026 assembly."@en .'
    receipt = service.submit(ana, triples_of(edit))
    assert service.store.ask(
        f"ASK {{ GRAPH ?g {{ <{PRINCIPLE}> {comment} ?c }} }}",
        {"g": contribution_graph(receipt.contribution_id)},
    )
    with pytest.raises(Forbidden) as caught:
        service.submit(bea, triples_of(edit))
    assert {d.focus for d in caught.value.details("en")} == {CODESOCIAL, PRINCIPLE}


def test_put_renames_and_revert_is_judged_now_on_every_backend(
    service: ContributionService, ana: Member, bea: Member
) -> None:
    """PUT judges the store without the replaced statements; revert judges the store as it is."""
    iri = "https://w3id.org/commons-graph/id/commons/renamed-everywhere"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    new = f"<{iri}> a <https://w3id.org/commons-graph/ontology#Commons> ;"
    new += " <https://w3id.org/commons-graph/ontology#commonsKind>"
    new += " <https://w3id.org/commons-graph/commons-kind/knowledge> ;"
    cid = service.submit(ana, triples_of(new + f' {label} "First"@en .')).contribution_id
    service.replace(ana, cid, triples_of(new + f' {label} "Second"@en .'))
    rows = service.store.select(f"SELECT ?l WHERE {{ <{iri}> {label} ?l }}").rows
    assert rows == [(ox.Literal("Second", language="en"),)]
    service.retract(ana, cid)
    service.submit(bea, triples_of(new + f' {label} "Bea\'s"@en .'))
    with pytest.raises(Forbidden):
        service.revert(ana, cid)
    rows = service.store.select(f"SELECT ?l WHERE {{ <{iri}> {label} ?l }}").rows
    assert rows == [(ox.Literal("Bea's", language="en"),)]
