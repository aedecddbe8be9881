"""Label lookup: language fallbacks, batching over many IRIs."""

from __future__ import annotations

import pyoxigraph as ox

from commons_graph.store import ChangeSet, Store
from commons_graph.views.labels import fetch_labels, pick

LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF = ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel")
GRAPH = ox.NamedNode("https://w3id.org/commons-graph/graph/test/labels")


def test_pick_prefers_the_page_language_then_the_other_then_untagged() -> None:
    assert pick({"en": "Care", "fr": "Soin"}, "fr") == "Soin"
    assert pick({"en": "Care"}, "fr") == "Care"
    assert pick({"fr": "Soin"}, "en") == "Soin"
    assert pick({"": "Plain", "de": "Pflege"}, "fr") == "Plain"
    assert pick({"de": "Pflege"}, "en") == "Pflege"


def test_labels_of_many_iris_in_batches_with_prefLabel_first(store: Store) -> None:
    quads = []
    iris = [f"https://example.org/thing/{n}" for n in range(1200)]
    for n, iri in enumerate(iris):
        node = ox.NamedNode(iri)
        quads.append(ox.Quad(node, LABEL, ox.Literal(f"label {n}", language="en"), GRAPH))
        if n % 100 == 0:
            quads.append(ox.Quad(node, PREF, ox.Literal(f"preferred {n}", language="en"), GRAPH))
    store.commit(ChangeSet(insert=quads))
    labels = fetch_labels(store, [*iris, "https://example.org/unlabelled"], "fr")
    assert labels.get(iris[1]) == "label 1"
    assert labels.get(iris[1199]) == "label 1199"
    assert labels.get(iris[100]) == "preferred 100"
    assert labels.get("https://example.org/unlabelled") is None
    # Never the IRI: the local name, made readable.
    assert labels("https://example.org/unlabelled") == "unlabelled"
