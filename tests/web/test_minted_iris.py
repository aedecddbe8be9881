"""Every IRI the service mints dereferences at its path: the base IRI has one source.

The base is fixed (`rdf.namespaces.BASE`); `COMMONS_GRAPH_BASE_IRI`, once a setting that only
dereferencing read, is refused when it names another base.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from rdflib import Graph, URIRef

from commons_graph.cli.main import main
from commons_graph.config import Settings
from commons_graph.members.accounts import Accounts
from commons_graph.rdf.namespaces import BASE
from tests.helpers.inprocess import InProcess, in_process

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contributions"
OUISHARE = BASE + "id/organisation/ouishare"
GLOSSARY = BASE + "id/commons/collaborative-economy-glossary"
# Checking every IRI a description names would fetch the whole seed: a bounded sample suffices.
MOST_CHECKED = 40


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[InProcess, str]]:
    """The service in this process on a fresh embedded store, and a Ouishare member's token."""
    folder = tmp_path_factory.mktemp("minted")
    settings = Settings(store=str(folder / "store"), accounts=str(folder / "accounts.sqlite"))
    _, token = Accounts.from_settings(settings).add_member("Ana", OUISHARE)
    with in_process(settings) as app:
        yield app, token


def path_of(iri: str) -> str:
    """The path the service answers `iri` at (its fragment is the client's)."""
    assert iri.startswith(BASE), iri
    return "/" + iri[len(BASE) :].split("#", 1)[0]


def description(app: InProcess, iri: str) -> Graph:
    """The Turtle description served at `iri`'s path."""
    response = app.get(path_of(iri), headers={"Accept": "text/turtle"})
    assert response.status_code == 200, (iri, response.status_code)
    return Graph().parse(data=response.text, format="turtle")


def assert_minted_iris_dereference(app: InProcess, iri: str) -> None:
    """`iri` is described at its path, and so is every IRI under the base that its description
    (RDF) and its page (links) show."""
    graph = description(app, iri)
    assert (URIRef(iri), None, None) in graph or (None, None, URIRef(iri)) in graph
    shown = sorted({str(term) for triple in graph for term in triple if str(term).startswith(BASE)})
    assert shown
    page = app.get(path_of(iri), headers={"Accept": "text/html"})
    assert page.status_code == 200
    links = {
        a["href"].split("#", 1)[0]
        for a in BeautifulSoup(page.text, "html.parser").select("a[href^='/']")
    }
    # Each link to something the RDF names is that IRI's path: pages and RDF agree.
    paths = {path_of(other) for other in shown}
    assert links & paths, "the page links to none of the IRIs its RDF names"
    for path in sorted(paths)[:MOST_CHECKED]:
        response = app.get(path, headers={"Accept": "text/turtle"})
        # A #CodeSocial's `latest` answers with a redirect to the version it names.
        assert response.status_code in (200, 303), (path, response.status_code)


def test_a_contribution_and_a_codesocial_version_dereference_at_their_paths(
    served: tuple[InProcess, str],
) -> None:
    """The new resource, its contribution graph and a published version are each described at
    the path of the IRI the service minted, as are the minted IRIs their pages and RDF show."""
    app, token = served
    contributed = app.request(
        "POST",
        "/contributions",
        content=(EXAMPLES / "ouishare-valid.ttl").read_bytes(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "text/turtle"},
    )
    assert contributed.status_code == 201, contributed.text
    graph_iri = contributed.json()["graph"]
    assert graph_iri.startswith(BASE + "graph/contribution/")
    assert_minted_iris_dereference(app, GLOSSARY)
    assert_minted_iris_dereference(app, graph_iri)

    published = app.request(
        "POST",
        "/codesocial/ouishare/publish",
        headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
    )
    assert published.status_code == 201, published.text
    version = published.json()["version"]
    assert version == BASE + "id/codesocial/ouishare/v1"
    assert published.headers["location"] == path_of(version)
    assert_minted_iris_dereference(app, version)


def test_another_base_iri_is_refused_not_ignored(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A deployment that still sets COMMONS_GRAPH_BASE_IRI to another base is told, in one
    line, instead of serving IRIs it did not expect; the fixed base itself is accepted."""
    monkeypatch.setenv("COMMONS_GRAPH_BASE_IRI", BASE)
    Settings(store=str(tmp_path / "store"))
    monkeypatch.setenv("COMMONS_GRAPH_BASE_IRI", "https://data.example.org/")
    with pytest.raises(ValueError, match="COMMONS_GRAPH_BASE_IRI is no longer a setting"):
        Settings(store=str(tmp_path / "store"))
    result = CliRunner().invoke(main, ["--store", str(tmp_path / "s"), "stats"])
    assert result.exit_code == 2, result.output
    assert "COMMONS_GRAPH_BASE_IRI is no longer a setting" in result.output
