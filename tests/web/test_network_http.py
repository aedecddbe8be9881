"""The network's data, view and paths over HTTP: formats, bounds, hostile parameters, the
resource page's network and bridges parts, and freshness after a contribution."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from commons_graph.config import Settings
from commons_graph.store.embedded import EmbeddedStore
from tests.helpers.contributions import ContributionServer, valid
from tests.helpers.inprocess import InProcess, in_process
from tests.helpers.network import (
    CARE,
    CARE_COLLECTIVE,
    COOP_B,
    HOLDS_VALUE,
    OUISHARE,
    RELATED_TO,
    fill_network_store,
    related_to,
)
from tests.helpers.pages import parse_graph

JSON = {"Accept": "application/json"}
HTML = {"Accept": "text/html"}
GLOSSARY = "https://w3id.org/commons-graph/id/commons/collaborative-economy-glossary"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InProcess]:
    folder = tmp_path_factory.mktemp("network-http")
    with EmbeddedStore(folder / "store") as store:
        fill_network_store(store, folder)
    with in_process(Settings(store=str(folder / "store"))) as served:
        # /network/data waits for the network model; resource pages only show one once built.
        assert served.fresh.get("/network/data", params={"iri": OUISHARE}).status_code == 200
        yield served


def get(site: InProcess, path: str, headers: dict[str, str] = JSON, **params: Any) -> Any:
    return site.fresh.get(site.url + path, params=params, headers=headers)


def assert_error_shape(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["ok"] is False and body["status"] == status
    assert set(body["errors"][0]) == {"focus", "path", "value", "message"}


def test_neighbourhood_json(site: InProcess) -> None:
    response = get(site, "/network/data", iri=OUISHARE, depth="1", lang="fr")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    data = response.json()
    assert data["iri"] == OUISHARE and data["depth"] == 1 and data["truncated"] is False
    nodes = {node["iri"]: node for node in data["nodes"]}
    assert nodes[CARE]["label"] == "Soin" and nodes[CARE]["kind"] == "values"
    assert nodes[OUISHARE]["url"] == "/id/organisation/ouishare"
    edges = {(e["source"], e["predicate"], e["target"]): e for e in data["edges"]}
    assert edges[(OUISHARE, HOLDS_VALUE, CARE)]["derived"] is False
    related = [e for e in data["edges"] if e["derived"]]
    # The relations the service derived (relations/), and only cg:relatedTo of their graph.
    assert related and {e["predicate"] for e in related} == {RELATED_TO}
    assert {"source", "target", "predicate", "label", "derived"} <= set(related[0])
    for other in related_to(data["edges"], OUISHARE):
        assert set(nodes[other]) >= {"iri", "label", "kind", "url"}


def test_neighbourhood_rdf_by_negotiation(site: InProcess) -> None:
    turtle = get(site, "/network/data", {"Accept": "text/turtle"}, iri=OUISHARE)
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (URIRef(OUISHARE), URIRef(HOLDS_VALUE), URIRef(CARE)) in graph
    assert list(graph.objects(URIRef(OUISHARE), URIRef(RELATED_TO)))
    jsonld = get(site, "/network/data", {"Accept": "application/ld+json"}, iri=OUISHARE)
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    same = parse_graph(jsonld.content, "json-ld")
    assert (URIRef(OUISHARE), URIRef(HOLDS_VALUE), URIRef(CARE)) in same
    assert (
        get(site, "/network/data", iri=OUISHARE, format="ttl")
        .headers["content-type"]
        .startswith("text/turtle")
    )


def test_depth_and_kinds(site: InProcess) -> None:
    values = get(site, "/network/data", iri=OUISHARE, kinds="values").json()
    assert {e["kind"] for e in values["edges"]} == {"values"}
    both = get(site, "/network/data", iri=OUISHARE, kinds=["values", "related"]).json()
    assert {e["kind"] for e in both["edges"]} == {"values", "related"}
    deeper = get(site, "/network/data", iri=OUISHARE, depth="3").json()
    assert len(deeper["nodes"]) > len(values["nodes"])
    assert max(n["depth"] for n in deeper["nodes"]) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"iri": OUISHARE, "depth": "4"},
        {"iri": OUISHARE, "depth": "99999999999999"},
        {"iri": OUISHARE, "depth": "-1"},
        {"iri": OUISHARE, "depth": "two"},
        {},
        {"iri": "not an iri"},
        {"iri": "javascript:alert(1)"},
        {"iri": "https://example.org/<script>"},
        {"iri": "https://example.org/" + "a" * 5000},
        {"iri": OUISHARE, "kinds": "a," * 10_000},  # ten thousand kinds in one parameter
        {"iri": OUISHARE, "kinds": "friendship"},
    ],
)
def test_hostile_parameters_are_400s(site: InProcess, params: dict[str, str]) -> None:
    assert_error_shape(get(site, "/network/data", **params), 400)


def test_thousands_of_kinds_parameters(site: InProcess) -> None:
    # As many repeated parameters as a URL can carry.
    response = get(site, "/network/data", iri=OUISHARE, kinds=["values"] * 5_000)
    assert_error_shape(response, 400)


def test_unknown_resource_is_404(site: InProcess) -> None:
    assert_error_shape(get(site, "/network/data", iri="https://example.org/nobody"), 404)
    assert_error_shape(
        get(site, "/paths", iri=None, **{"from": OUISHARE, "to": "https://example.org/x"}), 404
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    depth=st.text(max_size=8),
    kinds=st.text(max_size=40),
    iri=st.one_of(st.text(max_size=60), st.just(OUISHARE)),
)
def test_any_parameters_answer_without_a_server_error(
    site: InProcess, depth: str, kinds: str, iri: str
) -> None:
    response = get(site, "/network/data", iri=iri, depth=depth, kinds=kinds)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code != 200:
        assert_error_shape(response, response.status_code)


def test_paths_json(site: InProcess) -> None:
    response = get(site, "/paths", **{"from": OUISHARE, "to": COOP_B})
    assert response.status_code == 200
    data = response.json()
    assert data["from"]["iri"] == OUISHARE and data["to"]["iri"] == COOP_B
    assert data["paths"] and data["paths"][0]["length"] >= 2
    first = data["paths"][0]["steps"][0]
    # Ouishare meets the imported co-operatives only through a derived relation.
    assert first["from"]["iri"] == OUISHARE and first["relations"][0]["derived"] is True
    assert first["relations"][0]["direction"] in ("forward", "backward")
    last = data["paths"][0]["steps"][-1]
    assert last["to"]["iri"] == COOP_B and last["relations"][0]["direction"] == "backward"
    assert get(site, "/paths", {}, format="json", **{"from": OUISHARE, "to": COOP_B}).json() == data


@pytest.mark.parametrize(
    "params",
    [
        {"from": OUISHARE},
        {"from": OUISHARE, "to": "nope"},
        {"from": OUISHARE, "to": COOP_B, "max": "100"},
        {"from": OUISHARE, "to": COOP_B, "alternatives": "1000"},
    ],
)
def test_hostile_paths_parameters(site: InProcess, params: dict[str, str]) -> None:
    assert_error_shape(get(site, "/paths", **params), 400)


def test_paths_page(site: InProcess) -> None:
    for lang in ("en", "fr"):
        page = get(site, "/paths", HTML, lang=lang, **{"from": OUISHARE, "to": COOP_B})
        assert page.status_code == 200
        soup = BeautifulSoup(page.text, "lxml")
        assert soup.select_one("form.paths-form input[name=from]")["value"] == OUISHARE
        paths = soup.select("section.path")
        assert paths and paths[0]["data-length"] == "3"
        steps = paths[0].select("li.step")
        assert len(steps) == 3
        assert steps[0].select_one(".relation.derived")
        assert steps[-1].select_one(".relation.backward")
        assert steps[-1].select("a")[-1]["href"] == COOP_B.removeprefix(
            "https://w3id.org/commons-graph"
        )
    started = BeautifulSoup(get(site, "/paths", HTML, **{"from": OUISHARE}).text, "lxml")
    assert started.select_one("input[name=from]")["value"] == OUISHARE
    assert not started.select_one("section.paths")
    blank = get(site, "/paths", HTML)
    assert blank.status_code == 200 and BeautifulSoup(blank.text, "lxml").select_one("form")
    none = get(site, "/paths", HTML, max="1", **{"from": OUISHARE, "to": COOP_B})
    assert BeautifulSoup(none.text, "lxml").select_one(".paths-none")


def test_network_page(site: InProcess) -> None:
    blank = BeautifulSoup(get(site, "/network", HTML).text, "lxml")
    assert blank.select_one("form.network-form select[name=depth]")
    page = get(site, "/network", HTML, iri=OUISHARE, depth="2", lang="fr")
    assert page.status_code == 200
    soup = BeautifulSoup(page.text, "lxml")
    assert soup.select_one(".network-graph")["data-network"] == "network-data"
    assert soup.select_one("script#network-data")["type"] == "application/json"
    assert soup.select_one('script[src="/static/cytoscape/cytoscape.min.js"]')
    assert soup.select(".network-text .network-group li")
    assert_error_shape(get(site, "/network", JSON, iri=OUISHARE, depth="9"), 400)


def test_resource_page_shows_the_network_and_its_text_alternative(site: InProcess) -> None:
    page = get(site, "/id/organisation/ouishare", HTML, lang="fr")
    soup = BeautifulSoup(page.text, "lxml")
    section = soup.select_one("section.network")
    assert section is not None
    groups = {g["data-kind"]: g for g in section.select(".network-group")}
    assert {"values", "related"} <= set(groups)
    assert "Soin" in groups["values"].get_text()
    related = groups["related"].select_one("li")
    assert "déduit" in related.get_text()
    data_links = [a["href"] for a in section.select(".network-more a")]
    assert any(href.startswith("/network/data?iri=") for href in data_links)
    assert any(href.startswith("/paths?from=") for href in data_links)
    # The graph's data travels in the page as JSON, never as a script to run.
    assert soup.select_one("script#network-data")["type"] == "application/json"


def test_bridges_explained_in_both_languages(site: InProcess) -> None:
    for lang, text in (
        ("en", "shares 2 values: Care, Openness"),
        ("fr", "partage 2 valeurs : Ouverture, Soin"),
    ):
        soup = BeautifulSoup(get(site, "/id/organisation/ouishare", HTML, lang=lang).text, "lxml")
        item = soup.select_one(f'section.bridges li[data-iri="{CARE_COLLECTIVE}"]')
        assert item is not None, lang
        assert text in " ".join(item.get_text().split()), item.get_text()
        assert item.select_one('a[href^="/paths?from="]')
    # A value's page has no bridges (only organisations do).
    care = BeautifulSoup(get(site, "/value/care", HTML).text, "lxml")
    assert care.select_one("section.network") and not care.select_one("section.bridges")


def _wait_for(contrib: ContributionServer, present: bool) -> None:
    """Until the glossary is (or is not) in Ouishare's neighbourhood: the model is rebuilt in the
    background after a write, and the first reader after it gets the previous one."""
    deadline = time.monotonic() + 60
    while True:
        data = contrib.http.get("/network/data", params={"iri": OUISHARE}, headers=JSON).json()
        if (GLOSSARY in {n["iri"] for n in data["nodes"]}) == present:
            return
        assert time.monotonic() < deadline, data
        time.sleep(0.1)


def test_a_contribution_appears_and_its_withdrawal_disappears(
    contrib: ContributionServer,
) -> None:
    _wait_for(contrib, present=False)
    created = contrib.post(valid(), contrib.ana_token)
    assert created.status_code == 201, created.text
    _wait_for(contrib, present=True)
    headers = {"Authorization": f"Bearer {contrib.ana_token}"}
    assert contrib.http.delete(created.headers["location"], headers=headers).status_code == 200
    _wait_for(contrib, present=False)


def test_before_the_model_is_built_the_page_links_to_the_network(
    site: InProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While no network model is held the page never builds one: it says so and links to the
    network view (which waits for it), without JavaScript; such a page is not kept as current."""
    release = threading.Event()

    def never_ready(store: object) -> None:
        release.wait(30)  # the model "being built" for the whole test

    # A holder of its own, whose first model is still being built.
    monkeypatch.setattr("commons_graph.network.model.MODEL_NAME", "network-model-pending-test")
    monkeypatch.setattr("commons_graph.network.model.build_model", never_ready)
    for _ in range(2):
        page = get(site, "/id/organisation/ouishare", HTML, lang="en", probe="pending")
        assert page.status_code == 200
        soup = BeautifulSoup(page.text, "lxml")
        section = soup.select_one("section.network")
        assert section is not None and section.select_one(".network-pending")
        assert not section.select(".network-group") and not soup.select_one("script#network-data")
        hrefs = [a["href"] for a in section.select(".network-more a")]
        assert any(href.startswith("/network?iri=") for href in hrefs)
        assert page.headers.get("x-cache", "").lower() != "hit"
    release.set()
    monkeypatch.undo()
    soup = BeautifulSoup(get(site, "/id/organisation/ouishare", HTML, probe="pending").text, "lxml")
    assert soup.select(".network-group") and not soup.select_one(".network-pending")
