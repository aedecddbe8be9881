"""The shipped SKOS mappings (data/mappings/): loaded by init, each explained in English and
French, pointing at concepts that exist, and answering "which co-operatives work on
Ouishare's themes?"."""

from __future__ import annotations

from pyoxigraph import NamedNode, Quad

from commons_graph.rdf.formats import rdf_format
from commons_graph.rdf.parsing import parse_rdf
from commons_graph.sparql.examples import example_queries
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet

MAPPINGS_GRAPH = NamedNode("https://w3id.org/commons-graph/graph/seed/mappings/themes-essglobal")
_MAPPINGS = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?theme ?match ?concept WHERE {
  VALUES ?match { skos:exactMatch skos:closeMatch skos:narrowMatch skos:broadMatch
                  skos:relatedMatch }
  ?theme ?match ?concept .
  FILTER(STRSTARTS(STR(?theme), "https://w3id.org/commons-graph/t"))
  FILTER(STRSTARTS(STR(?concept), "http://purl.org/essglobal/standard/"))
}"""
_RATIONALE = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (LANG(?comment) AS ?lang) WHERE {
  ?axiom a owl:Axiom ; owl:annotatedSource ?theme ; owl:annotatedProperty ?match ;
         owl:annotatedTarget ?concept ; rdfs:comment ?comment .
}"""


def test_every_mapping_is_explained_in_both_languages(seeded_store: Store) -> None:
    rows = seeded_store.select(_MAPPINGS).rows
    assert len(rows) >= 15
    assert seeded_store.count(MAPPINGS_GRAPH) > 0
    for theme, match, concept in rows:
        bound = {"theme": theme, "match": match, "concept": concept}
        langs = {lang.value for (lang,) in seeded_store.select(_RATIONALE, bound).rows}  # type: ignore[union-attr]
        assert langs == {"en", "fr"}, (theme, match, concept)
        # The target is a concept of the shipped ESSGlobal code lists.
        assert seeded_store.ask(
            "ASK { GRAPH ?g { ?concept a <http://www.w3.org/2004/02/skos/core#Concept> } }",
            {"concept": concept},
        ), concept


def test_the_example_finds_co_operatives_on_ouishare_themes(seeded_store: Store) -> None:
    example = next(e for e in example_queries() if "ouishare-themes" in e.name)
    turtle = """
    @prefix org: <http://www.w3.org/ns/org#> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix essglobal: <http://purl.org/essglobal/vocab/> .
    <https://w3id.org/commons-graph/id/organisation/test-energy> a org:Organization ;
        rdfs:label "Energy co-op" ;
        essglobal:economicSector <http://purl.org/essglobal/standard/activities-ica/ICA230> .
    """
    graph = NamedNode("https://w3id.org/commons-graph/graph/file/test")
    quads = parse_rdf(turtle.encode(), rdf_format("ttl"), base_iri=graph.value)
    seeded_store.commit(
        ChangeSet(insert=[Quad(q.subject, q.predicate, q.object, graph) for q in quads])
    )
    rows = seeded_store.select(example.query).dicts()
    found = {
        (r["theme"].value, r["mapping"].value)  # type: ignore[union-attr]
        for r in rows
        if r.get("name") is not None and r["name"].value == "Energy co-op"  # type: ignore[union-attr]
    }
    assert found == {
        (
            "https://w3id.org/commons-graph/topic/fuel-poverty",
            "http://www.w3.org/2004/02/skos/core#relatedMatch",
        ),
        (
            "https://w3id.org/commons-graph/theme/ecological-transition",
            "http://www.w3.org/2004/02/skos/core#relatedMatch",
        ),
    }
