"""The accounts database and the store: the versions each records, and the check that they
agree (after a crash, a kill -9, a failed commit); a contribution describing a new commons."""

from __future__ import annotations

import textwrap

import pyoxigraph as ox

from commons_graph.contributions.provenance import CONTRIBUTION_GRAPH_PREFIX, PROVENANCE_GRAPH
from commons_graph.contributions.records import Records
from commons_graph.members.accounts import Accounts
from commons_graph.store import Store

ACTIVITIES = f"""SELECT ?activity WHERE {{
  GRAPH <{PROVENANCE_GRAPH.value}> {{ ?activity a <http://www.w3.org/ns/prov#Activity> }}
  FILTER(STRSTARTS(STR(?activity), "{CONTRIBUTION_GRAPH_PREFIX}"))
}}"""


def commons(name: str) -> bytes:
    """A valid contribution describing a new commons (Turtle)."""
    return textwrap.dedent(
        f"""
        @prefix cg: <https://w3id.org/commons-graph/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix dcterms: <http://purl.org/dc/terms/> .
        <https://w3id.org/commons-graph/id/commons/{name}> a cg:Commons ;
            rdfs:label "Commons {name}"@en ;
            dcterms:description "A commons written while the server may die."@en ;
            cg:commonsKind <https://w3id.org/commons-graph/commons-kind/knowledge> .
        """
    ).encode()


def version_key(activity: str) -> tuple[str, int]:
    """(contribution id, version number) of a PROV activity IRI (`…/version/<n>#change`)."""
    contribution, _, number = activity[len(CONTRIBUTION_GRAPH_PREFIX) :].partition("/version/")
    return contribution, int(number.removesuffix("#change"))


def db_versions(accounts: Accounts) -> set[tuple[str, int]]:
    """Every version the accounts database records."""
    with accounts.db.connect() as db:
        rows = db.execute("SELECT contribution_id, number FROM versions").fetchall()
    return {(r["contribution_id"], r["number"]) for r in rows}


def store_versions(store: Store) -> set[tuple[str, int]]:
    """Every version whose PROV activity the store holds."""
    return {
        version_key(row["activity"].value)
        for row in store.select(ACTIVITIES).dicts()
        if isinstance(row["activity"], ox.NamedNode)
    }


def assert_agree(store: Store, accounts: Accounts) -> None:
    """Same versions on both sides, and each contribution's graph holds its current version."""
    assert store_versions(store) == db_versions(accounts)
    records = Records(accounts.db)
    for record in records.contributions():
        current = records.versions(record.id)[-1]
        graph = ox.NamedNode(CONTRIBUTION_GRAPH_PREFIX + record.id)
        assert current.number == record.current_version
        assert store.count(graph) == len(current.triples())
    with accounts.db.connect() as db:
        assert db.execute("SELECT COUNT(*) FROM pending_writes").fetchone()[0] == 0
