"""The seed network: it conforms to the shapes and holds what the project promises."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyshacl
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, RDF, RDFS, SDO, SH, SKOS

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/commons-graph/"
CG = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
VALUE = Namespace(BASE + "value/")
THEME = Namespace(BASE + "theme/")
TOPIC = Namespace(BASE + "topic/")
PLANE = Namespace(BASE + "plane/")
SHAPES_IRI = URIRef(BASE + "shapes")
KINDS = "organisation|commons|project|event|person|place|codesocial|principle|history"
# Models are parts of a #CodeSocial document, named by a fragment of its IRI.
ID_PATTERN = re.compile(rf"^{BASE}id/({KINDS})/[a-z0-9]+(-[a-z0-9]+)*(#[a-z0-9-]+)?$")
CONCEPTS = {
    "values": ("value", CG.Value),
    "themes": ("theme", CG.Theme),
    "topics": ("topic", CG.Topic),
    "commons-kinds": ("commons-kind", CG.CommonsKind),
    "planes": ("plane", CG.Plane),
}
SIX_PLANES = {
    PLANE[p]
    for p in [
        "social-human",
        "economic",
        "ecological",
        "scientific-technological",
        "legal",
        "artistic-cultural",
    ]
}


@cache
def seed() -> Graph:
    """The seed data and concept schemes, without ontology or vocabularies."""
    graph = Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    return graph


@cache
def shapes() -> Graph:
    """The shapes graph."""
    return Graph().parse(ROOT / "shapes" / "commons-graph-shapes.ttl")


def full_graph() -> Graph:
    """What `init` loads: ontology, vocabularies and seed, in one data graph."""
    graph = Graph().parse(ROOT / "ontology" / "commons-graph.ttl")
    for path in sorted((ROOT / "vocabularies").rglob("*.ttl")):
        graph.parse(path)
    return graph + seed()


def langs(graph: Graph, subject: URIRef, predicate: URIRef) -> set[str]:
    """The languages of subject/predicate's tagged literals."""
    found = {o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)}
    return {lang for lang in found if lang}


def test_seed_conforms_to_the_shapes() -> None:
    """Ontology, vocabularies and seed together conform, with no inference."""
    conforms, _, text = pyshacl.validate(
        full_graph(), shacl_graph=shapes(), inference="none", allow_warnings=True
    )
    assert conforms, text


def test_every_property_shape_speaks_english_and_french() -> None:
    """Each property shape has sh:message, sh:name and sh:description in en and fr."""
    g = shapes()
    property_shapes = set(g.subjects(SH.path, None))
    assert len(property_shapes) > 50
    for shape in property_shapes:
        for predicate in (SH.message, SH.name, SH.description):
            assert {"en", "fr"} <= langs(g, shape, predicate), (shape, predicate)


def test_shapes_metadata() -> None:
    """The shapes graph describes itself, and its node shapes and groups are labelled."""
    g = shapes()
    assert g.value(SHAPES_IRI, OWL.versionInfo) == Literal("0.1.0")
    assert {"en", "fr"} <= langs(g, SHAPES_IRI, DCTERMS.title)
    labelled = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyGroup))
    for node in labelled:
        assert {"en", "fr"} <= langs(g, node, RDFS.label), node


def test_shapes_use_no_sparql() -> None:
    """Only SHACL Core: no SPARQL constraints or targets to slow small contributions down."""
    g = shapes()
    assert not set(g.subjects(SH.sparql, None))
    assert not set(g.subjects(SH.target, None))


def test_iris_follow_the_patterns() -> None:
    """Instances live under /id/{kind}/{slug}; concepts under /{kind}/{slug} in their scheme."""
    g = seed()
    for subject in {s for s in g.subjects() if isinstance(s, URIRef)}:
        iri = str(subject)
        if iri.startswith(BASE + "id/"):
            assert ID_PATTERN.match(iri), iri
    for scheme, (kind, cls) in CONCEPTS.items():
        scheme_iri = URIRef(f"{BASE}scheme/{scheme}")
        assert (scheme_iri, RDF.type, SKOS.ConceptScheme) in g
        assert {"en", "fr"} <= langs(g, scheme_iri, RDFS.label)
        members = set(g.subjects(SKOS.inScheme, scheme_iri))
        assert members
        for concept in members:
            assert re.match(rf"^{BASE}{kind}/[a-z0-9]+(-[a-z0-9]+)*$", str(concept)), concept
            assert {cls, SKOS.Concept} <= set(g.objects(concept, RDF.type)), concept


def test_general_classes_are_stated() -> None:
    """Seed resources state org:Organization and skos:Concept beside their cg: subclass."""
    g = seed()
    for cls in (
        CG.Collective,
        CG.Cooperative,
        CG.Association,
        CG.Network,
        CG.Company,
        CG.PublicBody,
    ):
        for s in g.subjects(RDF.type, cls):
            assert (s, RDF.type, ORG.Organization) in g, s
    for cls in (CG.Value, CG.Theme, CG.Topic, CG.CommonsKind, CG.Plane):
        for s in g.subjects(RDF.type, cls):
            assert (s, RDF.type, SKOS.Concept) in g, s


def test_no_dangling_links() -> None:
    """Every project IRI the seed points at is described in the seed."""
    g = seed()
    described = set(g.subjects())
    cited = {
        o
        for o in g.objects()
        if isinstance(o, URIRef) and str(o).startswith(BASE) and not str(o).startswith(str(CG))
    }
    assert sorted(cited - described) == []


def test_six_planes_exactly() -> None:
    """The planes scheme is the closed list of six."""
    g = seed()
    assert set(g.subjects(RDF.type, CG.Plane)) == SIX_PLANES


def test_ouishare() -> None:
    """Ouishare: a collective founded in 2012 with its values, themes, topics and events."""
    g = seed()
    ouishare = ID["organisation/ouishare"]
    assert (ouishare, RDF.type, CG.Collective) in g
    assert str(g.value(ouishare, SDO.foundingDate)) == "2012"
    assert g.value(ouishare, FOAF.homepage) == URIRef("https://www.ouishare.net/")
    values = [
        "collaboration",
        "openness",
        "care",
        "do-ocracy",
        "permanent-beta",
        "freedom",
        "dignity",
        "sharing",
    ]
    assert {VALUE[v] for v in values} <= set(g.objects(ouishare, CG.holdsValue))
    themes = {
        THEME[t] for t in ["digitisation-of-society", "ecological-transition", "precariousness"]
    }
    topics = {
        TOPIC[t]
        for t in [
            "circular-economy",
            "digital-exclusion",
            "water-management",
            "data-governance",
            "fuel-poverty",
        ]
    }
    assert themes | topics <= set(g.objects(ouishare, CG.worksOn))
    fest, colaboramerica = ID["event/ouishare-fest"], ID["event/colaboramerica"]
    assert {fest, colaboramerica} <= set(g.objects(ouishare, CG.organises))
    assert g.value(fest, SDO.location) == ID["place/paris"]
    assert str(g.value(fest, SDO.startDate)) == "2013"
    assert g.value(colaboramerica, SDO.location) == ID["place/rio-de-janeiro"]
    assert str(g.value(colaboramerica, SDO.startDate)) == "2015"


def test_commons_to_commons() -> None:
    """Commons To Commons: a network stewarding the #CodeSocial method, no invented dates."""
    g = seed()
    c2c = ID["organisation/commons-to-commons"]
    assert (c2c, RDF.type, CG.Network) in g
    assert g.value(c2c, FOAF.homepage) == URIRef("https://commonstocommons.org/")
    assert (c2c, CG.stewards, ID["commons/codesocial-method"]) in g
    assert g.value(c2c, SDO.foundingDate) is None
    assert {"en", "fr"} <= langs(g, c2c, ORG.purpose)
    assert {"en", "fr"} <= langs(g, c2c, CG.mission)


def test_codesocial_drafts() -> None:
    """Both #CodeSocial drafts are bilingual, dated, and cover the six planes."""
    g = seed()
    for slug in ("ouishare", "commons-to-commons"):
        doc = ID[f"codesocial/{slug}"]
        assert g.value(doc, CG.codeSocialOf) == ID[f"organisation/{slug}"]
        assert langs(g, doc, CG.raisonDEtre) == {"en", "fr"}
        principles = set(g.objects(doc, CG.principle))
        assert {g.value(p, CG.plane) for p in principles} == SIX_PLANES, slug
        for part in principles | set(g.objects(doc, CG.model)):
            assert langs(g, part, RDFS.label) == {"en", "fr"}, part
            assert langs(g, part, DCTERMS.description) == {"en", "fr"}, part
        entries = set(g.objects(doc, CG.historyEntry))
        assert entries
        for entry in entries:
            assert g.value(entry, DCTERMS.date) is not None
            assert langs(g, entry, DCTERMS.description) == {"en", "fr"}, entry
    assert not set(g.subjects(RDF.type, CG.CodeSocialVersion)), "drafts: nothing published yet"
