"""A store for the network tests: the seed, a slice of the Co-operatives UK import (made by the
importer itself), derived relations as the connections feature writes them, and two
organisations that share values with Ouishare (one of them linked to it)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from commons_graph.config import Settings
from commons_graph.importing import DatasetDescription, import_standard_csv, organisation_iri
from commons_graph.relations.keeper import rebuild
from commons_graph.store import ChangeSet
from commons_graph.store.base import Store
from commons_graph.store.seeding import initialise
from tests.helpers.coops_slice import COOPS_UK

BASE = "https://w3id.org/commons-graph/"
CG = BASE + "ontology#"
OUISHARE = BASE + "id/organisation/ouishare"
CARE = BASE + "value/care"
OPENNESS = BASE + "value/openness"
DERIVED_GRAPH = BASE + "graph/derived-relations"
TEST_GRAPH = BASE + "graph/test/network"
RELATED_TO = CG + "relatedTo"
HOLDS_VALUE = CG + "holdsValue"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ORG = "http://www.w3.org/ns/org#"
# Two imported co-operatives (rows of the slice) with the same activity.
# Related to Ouishare by a relation the service derives (a theme of Ouishare mapped to its
# activity, data/mappings/).
COOP_A = organisation_iri("coops-uk", "R000175").value
COOP_B = organisation_iri("coops-uk", "R000001").value
ICA260 = "http://purl.org/essglobal/standard/activities-ica/ICA260"
# Shares care and openness with Ouishare, with no link to it: a bridge.
CARE_COLLECTIVE = BASE + "id/organisation/test-care-collective"
# Shares care with Ouishare but is a member of it: linked, never a bridge.
MEMBER_COLLECTIVE = BASE + "id/organisation/test-member-collective"
SLICE_LINES = 60


def coops_slice(folder: Path) -> Path:
    """The header and the first rows of the Co-operatives UK file."""
    lines = COOPS_UK.read_text(encoding="utf-8").splitlines(keepends=True)[:SLICE_LINES]
    path = folder / "coops-uk-slice.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _quad(s: str, p: str, o: str | ox.Literal, graph: str) -> ox.Quad:
    obj = o if isinstance(o, ox.Literal) else ox.NamedNode(o)
    return ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, ox.NamedNode(graph))


def network_quads() -> list[ox.Quad]:
    """The two test organisations."""
    quads: list[ox.Quad] = []
    for iri, en, fr in (
        (CARE_COLLECTIVE, "Care collective", "Collectif du soin"),
        (MEMBER_COLLECTIVE, "Member collective", "Collectif membre"),
    ):
        quads += [
            _quad(iri, RDF_TYPE, ORG + "Organization", TEST_GRAPH),
            _quad(iri, RDFS_LABEL, ox.Literal(en, language="en"), TEST_GRAPH),
            _quad(iri, RDFS_LABEL, ox.Literal(fr, language="fr"), TEST_GRAPH),
            _quad(iri, HOLDS_VALUE, CARE, TEST_GRAPH),
        ]
    quads += [
        _quad(CARE_COLLECTIVE, HOLDS_VALUE, OPENNESS, TEST_GRAPH),
        _quad(MEMBER_COLLECTIVE, ORG + "memberOf", OUISHARE, TEST_GRAPH),
    ]
    return quads


RELATED_PER_ORGANISATION = Settings().related_per_organisation


def fill_network_store(store: Store, folder: Path) -> None:
    """Seed `store`, import the slice, add the test organisations, derive the relations."""
    initialise(store)
    description = DatasetDescription(
        "coops-uk", "https://opendatacommons.org/licenses/odbl/1-0/", "Co-operatives UK"
    )
    report = import_standard_csv(store, coops_slice(folder), description)
    assert report.imported >= 20, report
    store.commit(ChangeSet(insert=network_quads()))
    # The derived relations as the service derives them (it checks them again at start).
    rebuild(store, RELATED_PER_ORGANISATION)


def related_to(edges: list[dict[str, object]], iri: str) -> set[str]:
    """The resources `iri` is related to by derived links, among a neighbourhood's edges."""
    found = set()
    for edge in edges:
        if edge["derived"] and iri in (edge["source"], edge["target"]):
            found.add(str(edge["target"] if edge["source"] == iri else edge["source"]))
    return found
