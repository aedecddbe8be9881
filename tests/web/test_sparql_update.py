"""SPARQL 1.1 Update for admin tokens, at /sparql and /update, over real HTTP on each backend."""

from __future__ import annotations

import hashlib
import urllib.parse

import pyoxigraph as ox
import pytest

from commons_graph.members.audit import recorded_updates
from commons_graph.store import ChangeSet
from tests.helpers import http as fetch
from tests.helpers.updates import (
    OUISHARE,
    SEALED,
    SPELLINGS,
    UpdateServer,
    bearer,
    error_of,
    fresh_iri,
)


@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_an_admin_update_is_applied_and_queries_see_it(
    updates: UpdateServer, spelling: str
) -> None:
    """Every spelling: 200 with what changed, and the next query sees the change."""
    subject = fresh_iri()
    ask = f"ASK {{ GRAPH <https://example.org/g> {{ <{subject}> a <{OUISHARE}> }} }}"
    assert not updates.ask(ask)
    update = f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <{subject}> a <{OUISHARE}> }} }}"
    response = SPELLINGS[spelling](updates.url, update, bearer(updates.admin))
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1
    assert updates.ask(ask)


def test_pages_see_the_change(updates: UpdateServer) -> None:
    """A resource page made before the update shows its result after it (caches refreshed)."""
    name = "Renamed " + fresh_iri().rsplit("/", 1)[1]
    page = f"{updates.url}/id/organisation/ouishare"
    assert name not in fetch.get(page, headers={"Accept": "text/html"}).text
    update = f"""
        PREFIX schema: <https://schema.org/>
        PREFIX foaf: <http://xmlns.com/foaf/0.1/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        INSERT {{ GRAPH ?g {{ <{OUISHARE}> skos:prefLabel "{name}"@en ,"{name}"@fr }} }}
        WHERE {{ GRAPH ?g {{ <{OUISHARE}> a ?type }} }}
    """
    response = SPELLINGS["update-direct"](updates.url, update, bearer(updates.admin))
    assert response.status_code == 200, response.text
    assert name in fetch.get(page, headers={"Accept": "text/html"}).text


def test_syntax_error_is_400_in_the_pinned_shape(updates: UpdateServer) -> None:
    before = updates.state()
    for spelling in ("sparql-form", "update-direct"):
        broken = "INSERT DATA { <a:b> <a:c> "
        response = SPELLINGS[spelling](updates.url, broken, bearer(updates.admin))
        detail = error_of(response, 400)
        assert "1:" in detail["message"]
    assert updates.state() == before


def test_an_update_is_all_or_nothing(updates: UpdateServer) -> None:
    """The first operation succeeds, the second fails at evaluation: nothing is stored."""
    before = updates.state()
    update = (
        "INSERT DATA { GRAPH <https://example.org/g> { <https://example.org/a> <a:p> 1 } } ;\n"
        "CLEAR GRAPH <https://example.org/no-such-graph>"
    )
    error_of(SPELLINGS["update-direct"](updates.url, update, bearer(updates.admin)), 400)
    assert updates.state() == before


def test_sealed_versions_are_refused_whatever_the_operation(updates: UpdateServer) -> None:
    """A published #CodeSocial version graph is sealed: no update may change it."""
    sealed = ox.NamedNode(SEALED)
    if not updates.store.count(sealed):
        quad = ox.Quad(ox.NamedNode(OUISHARE), ox.NamedNode("a:p"), ox.Literal("v1"), sealed)
        updates.store.commit(ChangeSet(insert=[quad], seal_graphs=[sealed]))
    before = updates.state()
    for update in (
        "DROP ALL",
        f"INSERT DATA {{ GRAPH <{SEALED}> {{ <a:s> <a:p> <a:o> }} }}",
        "DELETE WHERE { GRAPH ?g { ?s <a:p> ?o } }",
        f"MOVE <{SEALED}> TO <https://example.org/elsewhere>",
    ):
        response = SPELLINGS["update-form"](updates.url, update, bearer(updates.admin))
        assert SEALED in error_of(response, 409)["message"], update
    assert updates.state() == before


def test_using_graph_uri_parameters_set_the_dataset(updates: UpdateServer) -> None:
    """using-graph-uri / using-named-graph-uri as in the W3C protocol tests; 400 with USING."""
    source, target = fresh_iri(), fresh_iri()
    insert = f"INSERT DATA {{ GRAPH <{source}> {{ <{source}> a <a:Document> }} }}"
    assert SPELLINGS["update-direct"](updates.url, insert, bearer(updates.admin)).is_success
    copy = f"INSERT {{ GRAPH <{target}> {{ ?s a <a:Copied> }} }} WHERE {{ ?s a <a:Document> }}"
    response = fetch.post(
        f"{updates.url}/sparql",
        params={"using-graph-uri": source},
        content=copy.encode(),
        headers={"Content-Type": "application/sparql-update", **bearer(updates.admin)},
    )
    assert response.status_code == 200, response.text
    assert updates.ask(f"ASK {{ GRAPH <{target}> {{ <{source}> a <a:Copied> }} }}")
    named = (
        f"INSERT {{ GRAPH <{target}> {{ ?s a <a:Named> }} }}"
        " WHERE { GRAPH ?g { ?s a <a:Document> } }"
    )
    response = fetch.post(
        f"{updates.url}/update",
        data={"update": named, "using-named-graph-uri": source},
        headers=bearer(updates.admin),
    )
    assert response.status_code == 200, response.text
    assert updates.ask(f"ASK {{ GRAPH <{target}> {{ <{source}> a <a:Named> }} }}")
    before = updates.state()
    conflict = f"INSERT {{ ?s a <a:X> }} USING <{source}> WHERE {{ ?s a <a:Document> }}"
    response = fetch.post(
        f"{updates.url}/update",
        params={"using-named-graph-uri": source},
        content=conflict.encode(),
        headers={"Content-Type": "application/sparql-update", **bearer(updates.admin)},
    )
    error_of(response, 400)
    assert updates.state() == before


def test_blank_nodes_are_written_back(updates: UpdateServer) -> None:
    """Deleting statements about blank nodes replaces their graph; the rest is as asked."""
    graph = fresh_iri()
    insert = (
        f"INSERT DATA {{ GRAPH <{graph}> {{ <{graph}> <a:address>"
        " [ <a:city> 'Lyon' ], [ <a:city> 'Lille' ] } }"
    )
    assert SPELLINGS["update-direct"](updates.url, insert, bearer(updates.admin)).is_success
    delete = f"DELETE WHERE {{ GRAPH <{graph}> {{ ?a <a:city> 'Lyon' }} }}"
    assert SPELLINGS["update-direct"](updates.url, delete, bearer(updates.admin)).is_success
    kept = f"ASK {{ GRAPH <{graph}> {{ <{graph}> <a:address> [ <a:city> 'Lille' ] }} }}"
    assert updates.ask(kept)
    assert not updates.ask(f"ASK {{ GRAPH <{graph}> {{ ?a <a:city> 'Lyon' }} }}")


def test_protocol_errors(updates: UpdateServer) -> None:
    """Two updates, an update beside a query, a wrong media type or charset, none at all."""
    admin = bearer(updates.admin)
    before = updates.state()
    url = f"{updates.url}/update"
    form = {"Content-Type": "application/x-www-form-urlencoded", **admin}
    two = b"update=CLEAR%20NAMED&update=CLEAR%20DEFAULT"
    error_of(fetch.post(url, content=two, headers=form), 400)
    error_of(fetch.post(url, content=b"update=CLEAR%20ALL&query=ASK%7B%7D", headers=form), 400)
    text = {"Content-Type": "text/plain", **admin}
    error_of(fetch.post(url, content=b"CLEAR NAMED", headers=text), 415)
    error_of(fetch.post(url, content=b"update=CLEAR%20NAMED", headers=admin), 415)
    utf16 = {"Content-Type": "application/sparql-update; charset=UTF-16", **admin}
    error_of(fetch.post(url, content="CLEAR NAMED".encode("utf-16"), headers=utf16), 415)
    error_of(fetch.post(url, data={"update": "  "}, headers=admin), 400)
    error_of(fetch.get(url, params={"update": "CLEAR ALL"}, headers=admin), 405)
    error_of(fetch.get(f"{updates.url}/sparql", params={"update": "CLEAR ALL"}, headers=admin), 405)
    assert updates.state() == before


def test_admin_updates_are_recorded_applied_or_refused(updates: UpdateServer) -> None:
    """The trail keeps who, when, the text's SHA-256 and the outcome; never the text."""
    applied = f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <{fresh_iri()}> <a:p> 1 }} }}"
    assert SPELLINGS["update-form"](updates.url, applied, bearer(updates.admin)).is_success
    broken = "INSERT DATA { <a:b> <a:c> "
    error_of(SPELLINGS["update-form"](updates.url, broken, bearer(updates.admin)), 400)
    *_, first, second = recorded_updates(updates.accounts)
    admin = next(m for m in updates.accounts.members() if m.name == "Root")
    assert (first.member_id, first.outcome, first.added) == (admin.id, "applied", 1)
    assert first.sha256 == hashlib.sha256(applied.encode()).hexdigest()
    assert second.outcome == "syntax"
    assert second.sha256 == hashlib.sha256(broken.encode()).hexdigest()
    assert first.time.endswith("Z")


def test_a_form_field_name_written_with_escapes_is_still_an_update(updates: UpdateServer) -> None:
    """`%75pdate=` is the field `update`: an admin's update runs, as for any form client (and
    the state the other tests compare before and after tells the change)."""
    subject = fresh_iri()
    before = updates.state()
    update = f"INSERT DATA {{ GRAPH <https://example.org/g> {{ <{subject}> a <a:T> }} }}"
    response = fetch.post(
        f"{updates.url}/sparql",
        content=b"%75pdate=" + urllib.parse.quote(update).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **bearer(updates.admin)},
    )
    assert response.status_code == 200, response.text
    assert updates.ask(f"ASK {{ GRAPH <https://example.org/g> {{ <{subject}> a <a:T> }} }}")
    after = updates.state()
    assert after != before and len(after) > len(before)
