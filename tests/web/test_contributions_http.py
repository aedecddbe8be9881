"""POST /contributions end to end over HTTP (the app in process), on each backend."""

from __future__ import annotations

import json
import threading

import httpx
from bs4 import BeautifulSoup
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from commons_graph.contributions.parsing import CONTEXT_URL
from tests.helpers.contributions import EXAMPLES, GLOSSARY, OUISHARE, ContributionServer, valid


def invalid() -> bytes:
    return (EXAMPLES / "ouishare-invalid.ttl").read_bytes()


def test_valid_contribution_is_visible_in_sparql_and_on_pages(contrib: ContributionServer) -> None:
    response = contrib.post(valid(), contrib.ana_token)
    assert response.status_code == 201, response.text
    location = response.headers["location"]
    assert location.startswith("/contributions/")
    body = response.json()
    assert body["graph"].endswith(location.rsplit("/", 1)[-1])
    assert contrib.ask(
        f"ASK {{ GRAPH <{body['graph']}> {{ <{OUISHARE}> "
        f"<https://w3id.org/commons-graph/ontology#stewards> <{GLOSSARY}> }} }}"
    )
    assert contrib.ask(
        "PREFIX prov: <http://www.w3.org/ns/prov#>"
        f" ASK {{ ?a prov:generated/prov:specializationOf <{body['graph']}> ;"
        " prov:wasAssociatedWith ?agent ."
        ' ?agent <http://xmlns.com/foaf/0.1/name> "Ana" }'
    )
    page = contrib.http.get(
        "/id/commons/collaborative-economy-glossary", headers={"Accept": "text/html"}
    )
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "lxml")
    assert "Collaborative economy glossary" in soup.get_text()
    detail = contrib.http.get(location, headers={"Accept": "application/json"})
    assert detail.json()["organisation"] == OUISHARE


def test_invalid_contribution_gets_422_and_leaves_the_store_unchanged(
    contrib: ContributionServer,
) -> None:
    before_count = contrib.count()
    before_dump = contrib.http.get("/dump.nq").content
    response = contrib.post(invalid(), contrib.ana_token, **{"Accept-Language": "fr"})
    assert response.status_code == 422
    body = response.json()
    assert body["ok"] is False and body["status"] == 422
    paths = {e["path"] for e in body["errors"]}
    assert "https://schema.org/foundingDate" in paths
    assert "https://w3id.org/commons-graph/ontology#holdsValue" in paths
    assert all(set(e) == {"focus", "path", "value", "message"} for e in body["errors"])
    assert any("date de création" in e["message"] for e in body["errors"])
    assert contrib.count() == before_count
    assert contrib.http.get("/dump.nq").content == before_dump

    report = contrib.post(invalid(), contrib.ana_token, Accept="text/turtle")
    assert report.status_code == 422
    assert report.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=report.text, format="turtle")
    assert URIRef("https://schema.org/foundingDate") in set(graph.objects(None, SH.resultPath))


def test_authentication_and_authorisation(contrib: ContributionServer) -> None:
    missing = contrib.post(valid())
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert contrib.post(valid(), "cgm_not-a-token").status_code == 401
    other = contrib.post(valid(), contrib.bea_token)
    assert other.status_code == 403
    assert OUISHARE in {e["focus"] for e in other.json()["errors"]}


def test_size_media_type_and_syntax_errors(contrib: ContributionServer) -> None:
    too_big = contrib.post(b"#" * 1_000_001, contrib.ana_token)
    assert too_big.status_code == 413
    pdf = contrib.post(valid(), contrib.ana_token, **{"Content-Type": "application/pdf"})
    assert pdf.status_code == 415
    broken = contrib.post(b"<a> <b> .", contrib.ana_token)
    assert broken.status_code == 400
    assert "line 1" in broken.json()["errors"][0]["message"]


def test_json_ld_with_the_bundled_context(contrib: ContributionServer) -> None:
    doc = {
        "@context": CONTEXT_URL,
        "@id": OUISHARE,
        "holdsValue": "https://w3id.org/commons-graph/value/care",
    }
    response = contrib.post(
        json.dumps(doc).encode(), contrib.ana_token, **{"Content-Type": "application/ld+json"}
    )
    assert response.status_code == 201, response.text
    remote = {**doc, "@context": "http://127.0.0.1:9/context.jsonld"}
    refused = contrib.post(
        json.dumps(remote).encode(), contrib.ana_token, **{"Content-Type": "application/ld+json"}
    )
    assert refused.status_code == 400
    assert contrib.http.get("/contributions/context.jsonld").json()["@context"]["cg"]


def test_idempotent_retry_stores_once(contrib: ContributionServer) -> None:
    first = contrib.post(valid(), contrib.ana_token, **{"Idempotency-Key": "abc-1"})
    again = contrib.post(valid(), contrib.ana_token, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == again.status_code == 201
    assert first.headers["location"] == again.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    listed = contrib.http.get("/contributions", headers={"Accept": "application/json"}).json()
    assert len(listed["contributions"]) == 1
    other_body = valid().replace(b"value:sharing", b"value:care")
    clash = contrib.post(other_body, contrib.ana_token, **{"Idempotency-Key": "abc-1"})
    assert clash.status_code == 422


def test_concurrent_contributions_are_all_stored(contrib: ContributionServer) -> None:
    values = ["care", "openness", "sharing", "collaboration", "do-ocracy", "freedom"]
    answers: list[httpx.Response] = []

    def send(value: str) -> None:
        body = (
            f"<{OUISHARE}> <https://w3id.org/commons-graph/ontology#holdsValue> "
            f"<https://w3id.org/commons-graph/value/{value}> ."
        ).encode()
        with contrib.server.fresh.client(timeout=60) as client:
            answers.append(
                client.post(
                    "/contributions",
                    content=body,
                    headers={
                        "Content-Type": "text/turtle",
                        "Authorization": f"Bearer {contrib.ana_token}",
                    },
                )
            )

    threads = [threading.Thread(target=send, args=(v,)) for v in values]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [201] * len(values)
    graphs = {a.json()["graph"] for a in answers}
    assert len(graphs) == len(values)
    for graph in graphs:
        assert contrib.ask(f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def test_session_cookie_and_csrf(contrib: ContributionServer) -> None:
    signin = contrib.http.get("/signin")
    cookie = signin.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    csrf = BeautifulSoup(signin.text, "lxml").select_one('input[name="csrf_token"]')["value"]
    forged = contrib.http.post("/signin", data={"token": contrib.ana_token, "csrf_token": "x"})
    assert forged.status_code == 403
    wrong = contrib.http.post("/signin", data={"token": "nope", "csrf_token": csrf})
    assert wrong.status_code == 401
    signed = contrib.http.post("/signin", data={"token": contrib.ana_token, "csrf_token": csrf})
    assert signed.status_code == 303
    form = contrib.http.get("/contribute")
    assert form.status_code == 200
    token = BeautifulSoup(form.text, "lxml").select_one('input[name="csrf_token"]')["value"]
    fields = {"org.cg_holdsValue": "https://w3id.org/commons-graph/value/care"}
    no_csrf = contrib.http.post("/contribute", data=fields)
    assert no_csrf.status_code == 403
    # A signed-in browser cannot post RDF without a token: only forms carry CSRF protection.
    assert contrib.post(valid()).status_code == 401
    stored = contrib.http.post("/contribute", data={**fields, "csrf_token": token})
    assert stored.status_code == 303 and "/contributions/" in stored.headers["location"]
