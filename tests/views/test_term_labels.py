"""Every term has a label in the page language: the vocabulary's, the shipped set's, the other
language's, then the local name made readable; an empty label counts as missing."""

from __future__ import annotations

import csv

import pyoxigraph as ox
import pytest

from commons_graph.store import ChangeSet, Store
from commons_graph.store.shipped import resource_dir, turtle_files
from commons_graph.views.labels import (
    Labels,
    fetch_labels,
    readable_name,
    shipped_labels,
)

GEO = "http://www.opengis.net/ont/geosparql#"
HAS_GEOMETRY = GEO + "hasGeometry"
NOT_SHIPPED = "https://example.org/vocab#hasFooBar"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
PREF_NODE = ox.NamedNode(PREF)
ESSGLOBAL_STANDARD = "http://purl.org/essglobal/standard/"


def labels(lang: str, **texts: dict[str, str]) -> Labels:
    """A label table holding `texts` (keyword: IRI alias) as if read from the store."""
    found = Labels(lang)
    aliases = {"geo": HAS_GEOMETRY, "other": NOT_SHIPPED}
    for alias, by_lang in texts.items():
        for tag, text in by_lang.items():
            found.add(aliases[alias], text, tag)
    return found


def test_the_vocabulary_label_in_the_page_language_comes_first() -> None:
    table = labels("fr", geo={"fr": "géométrie du vocabulaire", "en": "geometry"})
    assert table(HAS_GEOMETRY) == "géométrie du vocabulaire"


def test_then_the_shipped_label_in_the_page_language() -> None:
    # The vocabulary has only English: the shipped French label beats it on a French page.
    table = labels("fr", geo={"en": "has geometry (vocabulary)"})
    assert table(HAS_GEOMETRY) == "a pour géométrie"
    assert labels("en", geo={"en": "vocab"})(HAS_GEOMETRY) == "vocab"
    assert Labels("en")(HAS_GEOMETRY) == "has geometry"


def test_then_the_other_language_then_the_readable_local_name() -> None:
    assert labels("fr", other={"en": "Foo bar"})(NOT_SHIPPED) == "Foo bar"
    assert Labels("fr")(NOT_SHIPPED) == "has foo bar"
    assert Labels("fr").get(NOT_SHIPPED) is None


def test_an_empty_label_counts_as_missing() -> None:
    # ESSGlobal's pattern: an empty French label beside the English one.
    assert labels("fr", other={"fr": "", "en": "Foo bar"})(NOT_SHIPPED) == "Foo bar"
    assert labels("fr", other={"fr": "  ", "": ""})(NOT_SHIPPED) == "has foo bar"
    assert labels("fr", geo={"fr": ""})(HAS_GEOMETRY) == "a pour géométrie"


@pytest.mark.parametrize(
    ("iri", "expected"),
    [
        ("http://x.org/v#hasGeometry", "has geometry"),
        ("http://x.org/v#SSEInitiative", "SSE initiative"),
        ("https://schema.org/PostalAddress", "Postal address"),
        ("http://x.org/v/asWKT", "as WKT"),
        ("http://x.org/codes/OS130", "OS130"),
        ("http://x.org/v/fuel-poverty", "fuel poverty"),
        ("http://x.org/v/", "v"),
    ],
)
def test_readable_local_names(iri: str, expected: str) -> None:
    assert readable_name(iri) == expected


def test_the_shipped_set_covers_every_term_the_seed_uses_in_both_languages(
    seeded_store: Store,
) -> None:
    shipped = shipped_labels()
    assert all(set(texts) == {"en", "fr"} for texts in shipped.values())
    # Every predicate and class of the seed (ontology, shapes, vocabularies, network) outside
    # the project's own namespace has a French label: its vocabulary's or the shipped one.
    query = """SELECT DISTINCT ?t WHERE { { ?s ?t ?o } UNION { ?s a ?t } FILTER(isIRI(?t)) }"""
    terms = {row[0].value for row in seeded_store.select(query).rows if row[0] is not None}
    foreign = {t for t in terms if not t.startswith("https://w3id.org/commons-graph/")}
    found = fetch_labels(seeded_store, foreign, "fr")
    unlabelled = {t for t in foreign if found.get(t) is None}
    assert not unlabelled
    readme = (resource_dir("vocabularies") / "labels" / "README.md").read_text()
    assert "Licence" in readme


def test_essglobal_empty_labels_before_and_after(seeded_store: Store) -> None:
    # Before: the shipped code lists hold 258 empty labels (the most common organisational
    # structure, OS130, among them).
    empty = 0
    concepts: set[str] = set()
    for path in turtle_files("vocabularies"):
        if "standard" not in path.parts:
            continue
        for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if triple.predicate.value in (PREF, LABEL.value) and isinstance(
                triple.object, ox.Literal
            ):
                concepts.add(triple.subject.value)
                empty += not triple.object.value.strip()
    assert empty == 258
    # After: every concept has a non-empty label on pages of both languages.
    for lang in ("en", "fr"):
        found = fetch_labels(seeded_store, concepts, lang)
        missing = [c for c in concepts if not (found.get(c) or "").strip()]
        assert missing == [], lang
    os130 = ESSGLOBAL_STANDARD + "organisational-structure/OS130"
    assert fetch_labels(seeded_store, [os130], "fr").get(os130) == (
        "Community Benefit Society / Industrial and Provident Society (IPS)"
    )


def test_term_labels_follow_writes(seeded_store: Store) -> None:
    # The labels of classes and properties are kept per store state: a write is seen at once.
    term = "https://w3id.org/commons-graph/ontology#holdsValue"
    before = fetch_labels(seeded_store, [term], "fr").get(term)
    graph = ox.NamedNode("https://w3id.org/commons-graph/graph/test/labels")
    label = ox.Literal("porte la valeur (test)", language="fr")
    quad = ox.Quad(ox.NamedNode(term), PREF_NODE, label, graph)
    seeded_store.commit(ChangeSet(insert=[quad]))
    after = fetch_labels(seeded_store, [term], "fr").get(term)
    assert before != after == "porte la valeur (test)"


def test_the_label_files_are_well_formed() -> None:
    folder = resource_dir("vocabularies") / "labels"
    for name in ("term-labels.csv", "inverse-labels.csv"):
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert rows and all(r["iri"].startswith("http") and r["en"] and r["fr"] for r in rows)
        assert len({r["iri"] for r in rows}) == len(rows)


def test_a_linked_value_without_a_label_shows_its_address() -> None:
    table = Labels("fr")
    assert table.value("http://www.co-operative.coop/") == "www.co-operative.coop"
    # Another scheme is shown whole: a hostile IRI is seen for what it is.
    assert table.value("file:///etc/passwd") == "file:///etc/passwd"
    assert table.value("javascript:alert(1)") == "javascript:alert(1)"
