"""History over HTTP: PUT replaces, DELETE withdraws, revert undoes; HTML diffs and PROV-O RDF."""

from __future__ import annotations

import pyoxigraph as ox
from bs4 import BeautifulSoup
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from tests.helpers.contributions import OUISHARE, ContributionServer, valid

CARE = (
    f"<{OUISHARE}> <https://w3id.org/commons-graph/ontology#holdsValue> "
    "<https://w3id.org/commons-graph/value/care> ."
).encode()


def test_replace_withdraw_revert_and_history(contrib: ContributionServer) -> None:
    created = contrib.post(valid(), contrib.ana_token)
    location = created.headers["location"]
    graph = created.json()["graph"]
    ana = {"Authorization": f"Bearer {contrib.ana_token}"}
    bea = {"Authorization": f"Bearer {contrib.bea_token}"}
    admin = {"Authorization": f"Bearer {contrib.admin_token}"}

    put = {**ana, "Content-Type": "text/turtle"}
    assert contrib.http.put(location, content=CARE, headers={**put, **bea}).status_code == 403
    replaced = contrib.http.put(location, content=CARE, headers=put, params={"comment": "fix"})
    assert replaced.status_code == 200 and replaced.json()["version"] == 2
    sharing = f"<{OUISHARE}> <https://w3id.org/commons-graph/ontology#holdsValue> "
    assert not contrib.ask(
        f"ASK {{ GRAPH <{graph}> {{ {sharing} <https://w3id.org/commons-graph/value/sharing> }} }}"
    )
    assert contrib.ask(f"ASK {{ GRAPH <{graph}> {{ {sharing} ?v }} }}")

    assert contrib.http.delete(location).status_code == 401
    assert contrib.http.delete(location, headers=ana).status_code == 200
    assert not contrib.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    reverted = contrib.http.post(location + "/revert", headers=admin)
    assert reverted.status_code == 200 and reverted.json()["action"] == "revert"
    assert contrib.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")

    page = contrib.http.get(
        "/history", params={"resource": OUISHARE}, headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "lxml")
    changes = soup.select("#history li.change")
    assert [c["data-action"] for c in changes] == ["revert", "retract", "replace", "create"]
    assert {c.select_one(".who").get_text() for c in changes} == {"Ana", "Admin"}
    replace = changes[2]
    assert "value/care" in replace.select_one("ul.added").get_text() or "care" in replace.get_text()
    assert "sharing" in replace.select_one("ul.removed").get_text()
    assert replace.select_one("q.comment").get_text() == "fix"

    rdf = contrib.http.get(
        "/history", params={"resource": OUISHARE}, headers={"Accept": "text/turtle"}
    )
    assert rdf.headers["content-type"].startswith("text/turtle")
    prov = Graph().parse(data=rdf.text, format="turtle")
    activities = set(prov.subjects(RDF.type, PROV.Activity))
    assert len(activities) == 4
    assert (URIRef(graph), PROV.wasAttributedTo, URIRef(OUISHARE)) in prov
    assert Literal("Admin") in set(prov.objects(None, URIRef("http://xmlns.com/foaf/0.1/name")))

    jsonld = contrib.http.get(
        "/history", params={"organisation": OUISHARE}, headers={"Accept": "application/ld+json"}
    )
    activity = ox.NamedNode("http://www.w3.org/ns/prov#Activity")
    parsed = ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD)
    assert len({q.subject for q in parsed if q.object == activity}) == 4


def test_history_of_an_untouched_resource_is_empty(contrib: ContributionServer) -> None:
    page = contrib.http.get(
        "/history", params={"resource": OUISHARE}, headers={"Accept": "text/html"}
    )
    soup = BeautifulSoup(page.text, "lxml")
    assert soup.select_one("#history-empty") is not None
    assert soup.select("#history li.change") == []
