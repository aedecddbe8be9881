"""The ontology: its header, its minted terms, and every term the project's Turtle uses."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import (
    DCAT,
    DCTERMS,
    FOAF,
    GEO,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SH,
    SKOS,
    VANN,
    VOID,
    XSD,
    DefinedNamespace,
)

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = ROOT.parent / "shared" / "reference" / "vocabularies"
ONTOLOGY_IRI = URIRef("https://w3id.org/commons-graph/ontology")
CG = Namespace("https://w3id.org/commons-graph/ontology#")
# Compare with str(term).startswith: rdflib's URIRef.startswith does not accept a tuple.
ESSGLOBAL = ("http://purl.org/essglobal/vocab/", "http://purl.org/essglobal/standard/")
PAIR = "http://virtual-assembly.org/ontologies/pair#"
VF = "https://w3id.org/valueflows/ont/vf#"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
# ADMS (typed identifiers): the terms the importer and its shapes use.
ADMS = {
    URIRef("http://www.w3.org/ns/adms#" + name)
    for name in ("Identifier", "identifier", "schemaAgency")
}
# Closed namespaces shipped with rdflib: a term must be one of theirs, not just share the prefix.
CLOSED: tuple[type[DefinedNamespace], ...] = (
    RDF,
    RDFS,
    OWL,
    XSD,
    SKOS,
    FOAF,
    ORG,
    SDO,
    DCTERMS,
    PROV,
    DCAT,
    VOID,
    SH,
    VANN,
    GEO,
)
ALIGNMENTS = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    SKOS.exactMatch,
    SKOS.closeMatch,
    SKOS.relatedMatch,
    SKOS.broadMatch,
    SKOS.narrowMatch,
    RDFS.seeAlso,
    RDFS.domain,
    RDFS.range,
    OWL.unionOf,
)


@cache
def ontology() -> Graph:
    """The ontology graph."""
    return Graph().parse(ROOT / "ontology" / "commons-graph.ttl")


@cache
def essglobal_terms() -> frozenset[URIRef]:
    """Every term the shipped ESSGlobal vocabulary and code lists define."""
    graph = Graph()
    for path in sorted((ROOT / "vocabularies" / "essglobal").rglob("*.ttl")):
        graph.parse(path)
    return frozenset(s for s in graph.subjects() if isinstance(s, URIRef))


@cache
def reference_terms(name: str) -> frozenset[URIRef]:
    """Terms defined in a reference vocabulary copy (PAIR, Valueflows) shared with the project."""
    graph = Graph().parse(REFERENCE / name)
    return frozenset(s for s in graph.subjects(RDF.type) if isinstance(s, URIRef))


def project_files() -> list[Path]:
    """The seed data, the shapes and the shape test cases."""
    return [
        *sorted((ROOT / "data").rglob("*.ttl")),
        ROOT / "shapes" / "commons-graph-shapes.ttl",
        *sorted((ROOT / "tests" / "shapes").rglob("*.ttl")),
    ]


def used_terms(graph: Graph) -> set[URIRef]:
    """Predicates, classes of rdf:type, and the classes, paths and datatypes shapes name."""
    terms = {p for p in graph.predicates() if isinstance(p, URIRef)}
    for p in (RDF.type, SH.targetClass, SH["class"], SH.path, SH.datatype):
        terms |= {o for o in graph.objects(None, p) if isinstance(o, URIRef)}
    return terms


def is_known(term: URIRef) -> bool:
    """Declared by our ontology or defined by a vocabulary the project reuses."""
    if term.startswith(str(CG)):
        return (term, None, None) in ontology()
    if str(term).startswith(ESSGLOBAL):
        return term in essglobal_terms()
    if term.startswith(WGS84) or term in ADMS:
        return True
    return any(term.startswith(str(ns)) and term in ns for ns in CLOSED)


def minted_terms() -> list[URIRef]:
    """Every cg: term the ontology declares."""
    return sorted(s for s in set(ontology().subjects()) if str(s).startswith(str(CG)))


def texts(graph: Graph, subject: URIRef, predicate: URIRef) -> dict[str, str]:
    """Language-tagged literals of subject/predicate, by language."""
    return {
        o.language: str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal) and o.language
    }


def test_header() -> None:
    """The owl:Ontology header carries the required metadata."""
    g = ontology()
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in g
    for predicate in (DCTERMS.title, DCTERMS.description):
        assert {"en", "fr"} <= texts(g, ONTOLOGY_IRI, predicate).keys(), predicate
    assert g.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("0.2.0")
    assert g.value(ONTOLOGY_IRI, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert g.value(ONTOLOGY_IRI, DCTERMS.creator) == Literal("commons-graph contributors")
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespacePrefix) == Literal("cg")
    assert g.value(ONTOLOGY_IRI, VANN.preferredNamespaceUri) == Literal(str(CG))


@pytest.mark.parametrize("term", minted_terms(), ids=lambda t: t.removeprefix(str(CG)))
def test_minted_term_is_documented(term: URIRef) -> None:
    """Each minted term is typed, labelled and commented in en and fr, and defined by us."""
    g = ontology()
    kinds = set(g.objects(term, RDF.type))
    assert kinds & {
        OWL.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        RDFS.Datatype,
        OWL.NamedIndividual,
    }, kinds
    assert {"en", "fr"} <= texts(g, term, RDFS.label).keys()
    assert {"en", "fr"} <= texts(g, term, RDFS.comment).keys()
    assert g.value(term, RDFS.isDefinedBy) == ONTOLOGY_IRI


def test_fixed_terms_are_minted() -> None:
    """The terms other parts of the project code against exist."""
    classes = [
        "Collective",
        "Cooperative",
        "Association",
        "Network",
        "Company",
        "PublicBody",
        "Commons",
        "Value",
        "Theme",
        "Topic",
        "CommonsKind",
        "Plane",
        "CodeSocial",
        "Principle",
        "HistoryEntry",
        "CodeSocialVersion",
    ]
    properties = [
        "stewards",
        "contributesTo",
        "uses",
        "partnerOf",
        "holdsValue",
        "worksOn",
        "organises",
        "takesPartIn",
        "commonsKind",
        "codeSocialOf",
        "raisonDEtre",
        "historyEntry",
        "principle",
        "model",
        "plane",
        "concernsValue",
        "concernsCommons",
        "versionNumber",
        "contentHash",
    ]
    g = ontology()
    for name in classes:
        assert (CG[name], RDF.type, OWL.Class) in g, name
    for name in properties:
        assert set(g.objects(CG[name], RDF.type)) & {OWL.ObjectProperty, OWL.DatatypeProperty}
    assert (CG.partnerOf, RDF.type, OWL.SymmetricProperty) in g
    assert (CG.organises, OWL.inverseOf, SDO.organizer) in g
    assert (CG.takesPartIn, OWL.inverseOf, SDO.attendee) in g
    for name in ("Value", "Theme", "Topic", "CommonsKind", "Plane"):
        assert (CG[name], RDFS.subClassOf, SKOS.Concept) in g
    for name in ("Collective", "Network"):
        assert (CG[name], RDFS.subClassOf, ORG.Organization) in g
    for name in ("Cooperative", "Association", "Company", "PublicBody"):
        assert (CG[name], RDFS.subClassOf, ORG.FormalOrganization) in g


def test_alignment_targets_exist() -> None:
    """Every external term the ontology aligns to is defined by its vocabulary."""
    g = ontology()
    targets = {o for p in ALIGNMENTS for o in g.objects(None, p) if isinstance(o, URIRef)}
    targets |= {o for lst in g.objects(None, OWL.unionOf) for o in g.items(lst)}
    missing = []
    for term in sorted(t for t in targets if isinstance(t, URIRef)):
        if term.startswith(PAIR):
            ok = not REFERENCE.exists() or term in reference_terms("pair.ttl")
        elif term.startswith(VF):
            ok = not REFERENCE.exists() or term in reference_terms("valueflows-all_vf-1.0.0.ttl")
        elif term.startswith("https://www.w3.org/TR/"):
            ok = True  # a specification document, not a term
        else:
            ok = is_known(term)
        if not ok:
            missing.append(term)
    assert missing == []


def test_no_pair_content_is_copied() -> None:
    """PAIR (AGPL) is referred to by IRI only: the ontology states nothing about its terms."""
    assert not [s for s in ontology().subjects() if str(s).startswith(PAIR)]


@pytest.mark.parametrize("path", project_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_terms_used_are_known(path: Path) -> None:
    """Data, shapes and test cases use only our terms and those of the reused vocabularies."""
    unknown = sorted(t for t in used_terms(Graph().parse(path)) if not is_known(t))
    assert unknown == []


def test_essglobal_links_resolve() -> None:
    """Every ESSGlobal IRI the ontology and the seed point at is in the shipped vocabularies."""
    graph = ontology() + Graph()
    for path in sorted((ROOT / "data").rglob("*.ttl")):
        graph.parse(path)
    cited = {o for o in graph.objects() if isinstance(o, URIRef) and str(o).startswith(ESSGLOBAL)}
    assert cited, "the seed aligns to ESSGlobal somewhere"
    assert sorted(cited - essglobal_terms()) == []


def test_essglobal_copies_are_unmodified() -> None:
    """The shipped ESSGlobal files are byte-identical to the reference copies."""
    if not REFERENCE.exists():
        pytest.skip("reference vocabularies not available")
    shipped = ROOT / "vocabularies" / "essglobal"
    pairs = [(shipped / "essglobal-vocab.ttl", REFERENCE / "essglobal-vocab.ttl")]
    pairs += [
        (path, REFERENCE / "essglobal-standard" / path.name)
        for path in sorted((shipped / "standard").glob("*.ttl"))
    ]
    assert len(pairs) == 8
    for ours, theirs in pairs:
        digest = hashlib.sha256(ours.read_bytes()).hexdigest()
        assert digest == hashlib.sha256(theirs.read_bytes()).hexdigest(), ours.name
