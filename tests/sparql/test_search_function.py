"""cgf:matches in public SPARQL queries: the full-text index, read-only, in the query workers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.pages import OUISHARE, Site, in_process_site, sample_iri

PROLOGUE = """PREFIX cgf: <https://w3id.org/commons-graph/function#>
PREFIX org: <http://www.w3.org/ns/org#>
"""
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The seed and the sample, served in process (embedded store, query workers)."""
    yield from in_process_site(tmp_path_factory.mktemp("sparql-search"))


def select(site: Site, query: str) -> list[str]:
    """The values of ?s in the answer to `query`."""
    # The index is built when the service starts: a search waits for a first build.
    assert site.get("/search?q=ouishare").status_code == 200
    response = site.client.get("/sparql", params={"query": PROLOGUE + query},
                               headers={"Accept": JSON})  # fmt: skip
    assert response.status_code == 200, response.text
    return [b["s"]["value"] for b in response.json()["results"]["bindings"] if "s" in b]


def test_matches_filters_resources_by_the_index(site: Site) -> None:
    found = select(
        site, 'SELECT ?s WHERE { ?s a org:Organization FILTER(cgf:matches(?s, "OUISHARE")) }'
    )
    assert set(found) == {OUISHARE, *(sample_iri(n) for n in (1, 2, 3))}
    french = select(
        site,
        'SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(cgf:matches(?s, "économie circulaire")) }',
    )
    assert "https://w3id.org/commons-graph/topic/circular-economy" in french


@pytest.mark.parametrize("text", ['\\"', "*", "NEAR(zqx zqy)", ":", "zqx: zqy", "", "^", "-"])
def test_hostile_texts_find_nothing_and_fail_nothing(site: Site, text: str) -> None:
    query = f'SELECT ?s WHERE {{ ?s a org:Organization FILTER(cgf:matches(?s, "{text}")) }}'
    assert select(site, query) == []

    # Operators are words like any other: "OR" finds what "or" finds.
    def find(text: str) -> list[str]:
        return select(
            site, f'SELECT ?s WHERE {{ ?s a org:Organization FILTER(cgf:matches(?s, "{text}")) }}'
        )

    assert find("OR") == find("or")
    # A missing or non-literal argument is an error for that solution only: no result.
    assert select(site, "SELECT ?s WHERE { ?s a org:Organization FILTER(cgf:matches(?s)) }") == []
