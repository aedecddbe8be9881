"""Where the data comes from: the store's named graphs grouped by source, each with its terms.

Each source is a VoID subset of the dataset with its own licence (or the plain statement that
none was declared), attribution, statement count (the store's count of its graphs), dates and
provenance. The sources are:

- the project's own files (ontology, shapes, seed network, concept schemes): CC BY 4.0;
- the ESSGlobal vocabulary and code lists (`vocabularies/essglobal/`): CC BY 3.0;
- each imported dataset, with the licence and attribution given at import;
- members' contributions, their PROV record and the published #CodeSocial versions: no licence
  is declared for them (members state facts about their own organisations);
- anything else (files loaded with `load`, graphs written by an administrator): no licence known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from commons_graph.rdf.namespaces import BASE, GRAPH
from commons_graph.store.base import Store
from commons_graph.store.seeding import BOOTSTRAP_GRAPH, loaded_times
from commons_graph.store.statistics import graph_counts
from commons_graph.views.sparql import PROLOGUE

CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"
CC_BY_3 = "https://creativecommons.org/licenses/by/3.0/"
_VOID = BASE + ".well-known/void#"

SEED = _VOID + "seed"
ESSGLOBAL = _VOID + "essglobal"
CONTRIBUTIONS = _VOID + "contributions"
OTHER = _VOID + "other"

_ESSGLOBAL_PREFIX = str(GRAPH["vocabulary/essglobal/"])
_SEED_GRAPHS = (str(GRAPH["ontology"]), str(GRAPH["shapes"]), BOOTSTRAP_GRAPH.value)
_SEED_PREFIXES = (str(GRAPH["seed/"]), str(GRAPH["vocabulary/"]))
_MEMBERS_PREFIXES = (str(GRAPH["contribution/"]), str(GRAPH["codesocial/"]))
_PROVENANCE = str(GRAPH["provenance"])


@dataclass
class Source:
    """One source of the data: a VoID subset of the dataset."""

    iri: str
    titles: dict[str, str]
    licence: str | None
    attribution: str | None = None
    rights: dict[str, str] = field(default_factory=dict)
    publisher: str | None = None
    page: str | None = None  # where the source itself is published
    created: str | None = None
    modified: str | None = None
    generated_by: str | None = None  # the PROV activity that brought it (imports)
    graphs: list[str] = field(default_factory=list)
    triples: int = 0  # statements in its graphs, as the store counts them


def _seed() -> Source:
    return Source(
        SEED,
        {
            "en": "commons-graph's own data: ontology, shapes, seed network, concept schemes",
            "fr": "Données propres à commons-graph : ontologie, formes, réseau initial, "
            "schémas de concepts",
        },
        CC_BY_4,
        attribution="commons-graph contributors",
        page="https://w3id.org/commons-graph/",
    )


def _essglobal() -> Source:
    return Source(
        ESSGLOBAL,
        {
            "en": "ESSGlobal vocabulary and code lists",
            "fr": "Vocabulaire ESSGlobal et ses listes de codes",
        },
        CC_BY_3,
        attribution="ESSGlobal vocabulary, developed by the ESSGlobal group of RIPESS "
        "(http://www.ripess.org/), as published by Digital Commons Co-operative",
        publisher="http://www.ripess.org/",
        page="https://github.com/DigitalCommons/map-sse",
    )


def _contributions() -> Source:
    return Source(
        CONTRIBUTIONS,
        {
            "en": "Contributions of members, their provenance and published #CodeSocial",
            "fr": "Contributions des membres, leur provenance et les #CodeSocial publiés",
        },
        None,
        rights={
            "en": "Stated by members for their organisations. No licence has been declared "
            "for these statements: ask the organisation named in their provenance.",
            "fr": "Déclarées par des membres pour leurs organisations. Aucune licence n'a été "
            "déclarée pour ces données : adressez-vous à l'organisation nommée dans leur "
            "provenance.",
        },
    )


def _other() -> Source:
    return Source(
        OTHER,
        {"en": "Other graphs (loaded files)", "fr": "Autres graphes (fichiers chargés)"},
        None,
        rights={
            "en": "Loaded by an administrator; no licence is known for these statements.",
            "fr": "Chargées par un administrateur ; aucune licence n'est connue pour ces données.",
        },
    )


_IMPORTED = """
PREFIX cc: <http://creativecommons.org/ns#>
SELECT ?g ?d ?licence ?attribution ?title ?source ?created ?modified ?activity WHERE {
  GRAPH ?g {
    { ?g void:inDataset ?d } UNION { ?g a dcat:Dataset BIND(?g AS ?d) }
    ?d dcterms:license ?licence .
    OPTIONAL { ?d cc:attributionName ?attribution }
    OPTIONAL { ?d dcterms:title ?title }
    OPTIONAL { ?d dcterms:source ?source }
    OPTIONAL { ?d dcterms:created ?created }
    OPTIONAL { ?d dcterms:modified ?modified }
    OPTIONAL { ?d prov:wasGeneratedBy ?activity }
  }
}
"""

_MEMBERS_DATES = f"""
SELECT (MIN(?t) AS ?first) (MAX(?t) AS ?last) WHERE {{
  GRAPH <{_PROVENANCE}> {{ ?activity prov:endedAtTime ?t }}
}}
"""


def _imported(store: Store) -> dict[str, Source]:
    """The imported datasets, by graph IRI."""
    found: dict[str, Source] = {}
    by_dataset: dict[str, Source] = {}
    for row in store.select(PROLOGUE + _IMPORTED).dicts():
        graph, dataset, licence = row.get("g"), row.get("d"), row.get("licence")
        if not (isinstance(graph, NamedNode) and isinstance(dataset, NamedNode)):
            continue
        if not isinstance(licence, NamedNode):
            continue
        source = by_dataset.setdefault(dataset.value, Source(dataset.value, {}, licence.value))

        def text(name: str, found: Mapping[str, object] = row) -> str | None:
            term = found.get(name)
            return term.value if isinstance(term, Literal | NamedNode) else None

        title = row.get("title")
        if isinstance(title, Literal):
            source.titles.setdefault(title.language or "", title.value)
        source.attribution = source.attribution or text("attribution")
        source.page = source.page or text("source")
        source.created = source.created or text("created")
        source.modified = source.modified or text("modified")
        source.generated_by = source.generated_by or text("activity")
        found[graph.value] = source
    return found


def _members_dates(store: Store, source: Source) -> None:
    rows = store.select(PROLOGUE + _MEMBERS_DATES, {"provenance": NamedNode(_PROVENANCE)}).dicts()
    if rows:
        first, last = rows[0].get("first"), rows[0].get("last")
        source.created = first.value if isinstance(first, Literal) else None
        source.modified = last.value if isinstance(last, Literal) else None


def _dates_of_files(source: Source, times: dict[str, tuple[str | None, str | None]]) -> None:
    created = [times[g][0] for g in source.graphs if g in times and times[g][0]]
    modified = [times[g][1] for g in source.graphs if g in times and times[g][1]]
    source.created = min(created) if created else None  # type: ignore[type-var]
    source.modified = max(modified) if modified else None  # type: ignore[type-var]


def kind_of_graph(graph: str) -> str:
    """Which fixed source a graph belongs to, when it is not an import's (SEED, ESSGLOBAL...)."""
    if graph.startswith(_ESSGLOBAL_PREFIX):
        return ESSGLOBAL
    if graph in _SEED_GRAPHS or graph.startswith(_SEED_PREFIXES):
        return SEED
    if graph == _PROVENANCE or graph.startswith(_MEMBERS_PREFIXES):
        return CONTRIBUTIONS
    return OTHER


def sources(store: Store) -> list[Source]:
    """Every source holding statements in the store, with its graphs and counts; fixed
    sources first (seed, ESSGlobal), then the imports, then members' and others'."""
    counts = graph_counts(store)
    imported = _imported(store)
    fixed = {s.iri: s for s in (_seed(), _essglobal(), _contributions(), _other())}
    for graph, count in sorted(counts.items()):
        source = imported.get(graph) or fixed[kind_of_graph(graph)]
        source.graphs.append(graph)
        source.triples += count
    times = loaded_times(store)
    for key in (SEED, ESSGLOBAL):
        _dates_of_files(fixed[key], times)
    if fixed[CONTRIBUTIONS].graphs:
        _members_dates(store, fixed[CONTRIBUTIONS])
    imports = sorted({id(s): s for s in imported.values()}.values(), key=lambda s: s.iri)
    ordered: Iterable[Source] = (
        fixed[SEED],
        fixed[ESSGLOBAL],
        *imports,
        fixed[CONTRIBUTIONS],
        fixed[OTHER],
    )
    return [source for source in ordered if source.graphs]
