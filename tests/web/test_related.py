"""The "related" block over in-process HTTP on a real store (each backend): derived relations
follow contributions, are told apart from stated links, and can be confirmed as partnerships;
a theme's page lists the organisations found through the ESSGlobal mappings."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
from bs4 import BeautifulSoup

from commons_graph.config import Settings
from commons_graph.contributions.provenance import CONTRIBUTION_GRAPH_PREFIX
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH
from commons_graph.store import ChangeSet, open_store
from commons_graph.store.seeding import initialise
from tests.helpers.contributions import C2C, OUISHARE, ContributionServer, contribution_settings
from tests.helpers.inprocess import in_process

OUISHARE_PAGE = "/id/organisation/ouishare"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
CARE = "https://w3id.org/commons-graph/value/care"


def _settle(contrib: ContributionServer) -> None:
    keeper = contrib.server.app.state.services.relations
    assert keeper is not None and keeper.settle(60)


def _related(contrib: ContributionServer, client: httpx.Client | None = None) -> BeautifulSoup:
    page = (client or contrib.http).get(OUISHARE_PAGE, headers={"Accept": "text/html"})
    assert page.status_code == 200
    return BeautifulSoup(page.text, "lxml")


def _item(soup: BeautifulSoup, iri: str) -> object:
    return soup.select_one(f'#related li[data-related="{iri}"]')


def _sign_in(contrib: ContributionServer, token: str) -> httpx.Client:
    client = contrib.server.fresh.client(timeout=60)
    form = client.get("/signin")
    csrf = BeautifulSoup(form.text, "lxml").select_one('input[name="csrf_token"]')["value"]
    assert client.post("/signin", data={"token": token, "csrf_token": csrf}).status_code == 303
    return client


def test_a_shared_value_makes_a_related_organisation_until_withdrawn(
    contrib: ContributionServer,
) -> None:
    _settle(contrib)
    assert _item(_related(contrib), C2C) is None
    posted = contrib.post(
        f"<{C2C}> <https://w3id.org/commons-graph/ontology#holdsValue> <{CARE}> .".encode(),
        contrib.bea_token,
    )
    assert posted.status_code == 201, posted.text
    _settle(contrib)
    item = _item(_related(contrib), C2C)
    assert item is not None
    reasons = [li.get_text(" ", strip=True) for li in item.select(".reasons li")]
    assert reasons == ["both hold the value Care"]
    french = contrib.http.get(
        OUISHARE_PAGE, headers={"Accept": "text/html", "Accept-Language": "fr"}
    )
    assert (
        "les deux portent la valeur"
        in BeautifulSoup(french.text, "lxml").select_one("#related").text
    )
    # Shown as related, never as a stated partnership, and stated nowhere but in its graph.
    assert item.select_one(".link-status") is None
    assert contrib.ask(
        f"ASK {{ GRAPH <{DERIVED_RELATIONS_GRAPH.value}> {{ <{OUISHARE}> "
        f"<https://w3id.org/commons-graph/ontology#relatedTo> <{C2C}> }} }}"
    )
    # Withdrawn, the fact goes and the relation with it.
    location = posted.headers["location"]
    withdrawn = contrib.http.delete(
        location, headers={"Authorization": f"Bearer {contrib.bea_token}"}
    )
    assert withdrawn.status_code in (200, 204), withdrawn.text
    _settle(contrib)
    assert _item(_related(contrib), C2C) is None


def test_contributions_cannot_state_derived_relations(contrib: ContributionServer) -> None:
    body = f"<{OUISHARE}> <https://w3id.org/commons-graph/ontology#relatedTo> <{C2C}> ."
    refused = contrib.post(body.encode(), contrib.ana_token)
    assert refused.status_code == 403
    assert "cg:relatedTo" in refused.json()["errors"][0]["message"]
    # Nor can they describe a derivation's own nodes (outside …/id/).
    node = "https://w3id.org/commons-graph/relation/0123456789abcdef0123"
    body = f'<{node}> <http://www.w3.org/2000/01/rdf-schema#label> "mine" .'
    assert contrib.post(body.encode(), contrib.ana_token).status_code == 403


def test_either_side_confirms_a_derived_relation_as_a_partnership(
    contrib: ContributionServer,
) -> None:
    value = f"<{C2C}> <https://w3id.org/commons-graph/ontology#holdsValue> <{CARE}> ."
    assert contrib.post(value.encode(), contrib.bea_token).status_code == 201
    _settle(contrib)
    # Anonymous visitors see no form.
    assert _item(_related(contrib), C2C).select_one("form") is None
    ana = _sign_in(contrib, contrib.ana_token)
    try:
        form = _item(_related(contrib, ana), C2C).select_one("form.confirm-relation")
        assert form is not None and form["action"] == "/relations/confirm"
        fields = {i["name"]: i["value"] for i in form.select("input")}
        assert fields["organisation"] == OUISHARE and fields["other"] == C2C
        forged = ana.post("/relations/confirm", data={**fields, "csrf_token": "x"})
        assert forged.status_code == 403
        # Only for a pair the service relates.
        elsewhere = {**fields, "other": "https://w3id.org/commons-graph/id/organisation/x"}
        assert ana.post("/relations/confirm", data=elsewhere).status_code == 404
        # Not for an organisation the member does not speak for.
        other_side = {**fields, "organisation": C2C, "other": OUISHARE}
        assert ana.post("/relations/confirm", data=other_side).status_code == 403
        done = ana.post("/relations/confirm", data=fields)
        assert done.status_code == 303 and done.headers["location"] == OUISHARE_PAGE + "#related"
        _settle(contrib)
        item = _item(_related(contrib, ana), C2C)
        assert (
            item.select_one(".link-status")
            .get_text(strip=True)
            .startswith("Partnership stated by Ouishare")
        )
        assert item.select_one("form") is None  # already stated by this side
    finally:
        ana.close()
    # The other side states it too (its own way, here with its token): confirmed.
    reciprocal = f"<{C2C}> <https://w3id.org/commons-graph/ontology#partnerOf> <{OUISHARE}> ."
    assert contrib.post(reciprocal.encode(), contrib.bea_token).status_code == 201
    _settle(contrib)
    status = _item(_related(contrib), C2C).select_one(".link-status")
    assert status.get_text(strip=True) == "Confirmed partnership"
    assert contrib.ask(
        f"ASK {{ GRAPH ?g {{ <{OUISHARE}> <https://w3id.org/commons-graph/ontology#partnerOf> "
        f"<{C2C}> }} FILTER(STRSTARTS(STR(?g), '{CONTRIBUTION_GRAPH_PREFIX}')) }}"
    )


def test_a_theme_page_lists_organisations_through_the_mappings(
    contrib: ContributionServer,
) -> None:
    page = contrib.http.get("/theme/ecological-transition", headers={"Accept": "text/html"})
    soup = BeautifulSoup(page.text, "lxml")
    mapped = soup.select_one("#mapped")
    assert mapped is not None
    concepts = {s["data-concept"] for s in mapped.select("section.mapping")}
    assert "http://purl.org/essglobal/standard/activities-ica/ICA230" in concepts
    utilities = mapped.select_one('section[data-concept$="ICA230"]')
    assert "Related to" in utilities.h3.get_text() and utilities.select_one(".rationale")


def test_hostile_confirmations_are_refused_cleanly(contrib: ContributionServer) -> None:
    """Missing, malformed, huge and foreign values: a 4xx each, never a write or a 500, and the
    redirect never leaves the site."""
    value = f"<{C2C}> <https://w3id.org/commons-graph/ontology#holdsValue> <{CARE}> ."
    assert contrib.post(value.encode(), contrib.bea_token).status_code == 201
    _settle(contrib)
    anonymous = contrib.http.post("/relations/confirm", data={"organisation": OUISHARE})
    assert anonymous.status_code in (303, 401) and "/signin" in anonymous.headers.get(
        "location", "/signin"
    )
    ana = _sign_in(contrib, contrib.ana_token)
    try:
        token = _item(_related(contrib, ana), C2C).select_one('input[name="csrf_token"]')["value"]
        before = contrib.count()
        for fields in (
            {},
            {"organisation": OUISHARE},
            {"organisation": OUISHARE, "other": "not an iri"},
            {"organisation": OUISHARE, "other": "javascript:alert(1)"},
            {"organisation": OUISHARE, "other": OUISHARE},
            {"organisation": "x" * 100_000, "other": C2C},
            {"organisation": OUISHARE, "other": "<" + C2C + ">"},
        ):
            answer = ana.post("/relations/confirm", data={**fields, "csrf_token": token})
            assert answer.status_code in (403, 404), (fields, answer.status_code)
        assert contrib.count() == before
        away = ana.post(
            "/relations/confirm",
            data={
                "organisation": OUISHARE,
                "other": C2C,
                "page": "https://evil.example/",
                "csrf_token": token,
            },
        )
        assert away.status_code == 303 and away.headers["location"].startswith("/id/")
    finally:
        ana.close()


def test_a_derived_relation_gives_and_takes_no_right(contrib: ContributionServer) -> None:
    """An organisation a member created stays theirs to change once the service relates it to
    others: the derived graph does not count as someone else's description."""
    new = "https://w3id.org/commons-graph/id/organisation/test-new-co-op"
    created = (
        f'<{new}> a <http://www.w3.org/ns/org#Organization> ; <{RDFS_LABEL}> "New co-op"@en ;'
        f" <https://w3id.org/commons-graph/ontology#holdsValue> <{CARE}> ."
    )
    assert contrib.post(created.encode(), contrib.ana_token).status_code == 201, "created"
    _settle(contrib)
    assert contrib.ask(
        f"ASK {{ GRAPH <{DERIVED_RELATIONS_GRAPH.value}> {{ <{new}> ?p <{OUISHARE}> }} }}"
    )
    changed = f'<{new}> <http://purl.org/dc/terms/description> "A co-op."@en .'
    assert contrib.post(changed.encode(), contrib.ana_token).status_code == 201
    # And the other organisation's member gains nothing from being related to it.
    assert contrib.post(changed.encode(), contrib.bea_token).status_code == 403


def test_a_mapped_theme_relates_the_seed_to_an_organisation_of_that_activity(
    contrib: ContributionServer,
) -> None:
    solar = "https://w3id.org/commons-graph/id/organisation/test-solar"
    created = (
        f'<{solar}> a <http://www.w3.org/ns/org#Organization> ; <{RDFS_LABEL}> "Solar co-op"@en ;'
        " <http://purl.org/essglobal/vocab/economicSector>"
        " <http://purl.org/essglobal/standard/activities-ica/ICA230> ."
    )
    assert contrib.post(created.encode(), contrib.bea_token).status_code == 201
    _settle(contrib)
    item = _item(_related(contrib), solar)
    reasons = sorted(li.get_text(" ", strip=True) for li in item.select(".reasons li"))
    assert reasons == [
        "Ouishare works on Ecological transition, mapped to Utilities, under which Solar co-op"
        " is filed",
        "Ouishare works on Fuel poverty, mapped to Utilities, under which Solar co-op is filed",
    ]
    assert {li["data-rule"] for li in item.select(".reasons li")} == {
        "https://w3id.org/commons-graph/ontology#mappedTheme"
    }


def test_the_server_checks_the_relations_when_it_starts(
    backend_settings: Settings, tmp_path: Path
) -> None:
    """Facts written while no server listened (here straight into the store) are related once
    a server starts."""
    settings = contribution_settings(backend_settings, tmp_path)
    store = open_store(settings)
    try:
        initialise(store)
        value = ox.NamedNode("https://w3id.org/commons-graph/ontology#holdsValue")
        graph = ox.NamedNode("https://w3id.org/commons-graph/graph/file/by-hand")
        store.commit(
            ChangeSet(insert=[ox.Quad(ox.NamedNode(C2C), value, ox.NamedNode(CARE), graph)])
        )
    finally:
        store.close()
    with in_process(settings) as server:
        keeper = server.app.state.services.relations
        assert keeper is not None and keeper.settle(60)
        page = server.http.get(OUISHARE_PAGE, headers={"Accept": "text/html"})
        soup = BeautifulSoup(page.text, "lxml")
        assert soup.select_one(f'#related li[data-related="{C2C}"]') is not None
