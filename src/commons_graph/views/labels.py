"""Labels of resources in a language, looked up in one batched query, with fallbacks.

The order, for the page language L and the other site languages O (an empty text counts as no
label): the store's label in L, the shipped label set's in L, the store's untagged label, the
store's in O, the shipped set's in O, the store's in any language, the local name made readable.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Triple

from commons_graph.i18n import LANGUAGES
from commons_graph.store.base import Store
from commons_graph.store.derived import derived
from commons_graph.store.shipped import resource_dir
from commons_graph.views.sparql import PROLOGUE, values
from commons_graph.views.term_following import TermLabelsFollower

# Label properties in order of preference: a SKOS concept's prefLabel beats its rdfs:label.
LABEL_PROPERTIES = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "http://xmlns.com/foaf/0.1/name",
    "https://schema.org/name",
)

# What names a thing on a page: the above, and Dublin Core 1.1's title, with which ESSGlobal's
# code lists name their schemes (the lists' indexes keep to the above: they name members).
PAGE_LABEL_PROPERTIES = (*LABEL_PROPERTIES, "http://purl.org/dc/elements/1.1/title")

# Beyond this many IRIs a lookup is split, to keep each query's VALUES block small.
_BATCH = 500


# The shipped bilingual labels of the W3C, schema.org, GeoSPARQL, ... terms the project uses.
SHIPPED_LABELS = ("labels", "term-labels.csv")
INVERSE_LABELS = "inverse-labels.csv"

# Classes whose members' labels are kept per store state: the terms every page names.
_TERM_CLASSES = (
    "http://www.w3.org/2002/07/owl#Class",
    "http://www.w3.org/2000/01/rdf-schema#Class",
    "http://www.w3.org/2002/07/owl#ObjectProperty",
    "http://www.w3.org/2002/07/owl#DatatypeProperty",
    "http://www.w3.org/2002/07/owl#AnnotationProperty",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
    "http://www.w3.org/2004/02/skos/core#Concept",
    "http://www.w3.org/2004/02/skos/core#ConceptScheme",
)
# Beyond this many terms the per-state cache stops growing (the rest is looked up per page).
_MAX_CACHED_TERMS = 20_000


def pick(texts: Mapping[str, str], lang: str) -> str | None:
    """The non-empty text in `lang`, else untagged, else in another site language, else any."""
    order = [lang, "", *(other for other in LANGUAGES if other != lang)]
    for tag in order:
        if texts.get(tag, "").strip():
            return texts[tag]
    return next((text for text in texts.values() if text.strip()), None)


@functools.cache
def shipped_labels(name: str = SHIPPED_LABELS[1]) -> dict[str, dict[str, str]]:
    """A shipped label set (`term-labels.csv`, or `inverse-labels.csv`: how to say a
    property the other way round): IRI -> {language: label}, read once per process."""
    path = resource_dir("vocabularies") / SHIPPED_LABELS[0] / name
    found: dict[str, dict[str, str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            texts = {lang: row[lang].strip() for lang in LANGUAGES if (row.get(lang) or "").strip()}
            if texts:
                found[row["iri"]] = texts
    return found


_WORDS = re.compile(r"[A-Z]+[0-9]*(?![a-z])|[A-Z]?[a-z]+|[0-9]+|[^\W_]+")


def display_iri(iri: str) -> str:
    """`iri` as a link text: a web address without `http(s)://` and trailing slash; any other
    IRI whole (a `file:` or `javascript:` IRI must be seen for what it is)."""
    if not iri.startswith(("http://", "https://")):
        return iri
    bare = iri.split("://", 1)[1].rstrip("/")
    return bare or iri


def readable_name(iri: str) -> str:
    """The local name of `iri` as words: "hasGeometry" -> "has geometry", "SSEInitiative" ->
    "SSE initiative"; the last resort for a term with no label in any language."""
    local = short_name(iri)
    words = _WORDS.findall(local)
    if not words or not any(c.islower() for c in local):
        # A code ("OS130", "TN388BL") is a name as it is.
        return local
    rest = [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]]
    return " ".join([words[0], *rest])


def sort_key(text: str) -> str:
    """A key that sorts "Économie" with the E's: accents stripped, case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def short_name(iri: str) -> str:
    """The last segment of an IRI, the last resort when a resource has no label."""
    tail = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return tail or iri


@dataclass
class Labels:
    """Labels of many resources in every language, with a lookup in the page language."""

    lang: str
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    # The label statements themselves, for RDF descriptions that carry their links' labels.
    triples: list[Triple] = field(default_factory=list)

    def get(self, iri: str) -> str | None:
        """The label of `iri` in the page language (fallbacks in the module's order), or None."""
        found = self.texts.get(iri, {})
        shipped = shipped_labels().get(iri, {})
        others = [other for other in LANGUAGES if other != self.lang]
        candidates = (
            found.get(self.lang),
            shipped.get(self.lang),
            found.get(""),
            *(found.get(other) for other in others),
            *(shipped.get(other) for other in others),
            *found.values(),
        )
        return next((text for text in candidates if text), None)

    def __call__(self, iri: str) -> str:
        """The label of `iri`, falling back to its local name made readable (never the IRI)."""
        return self.get(iri) or readable_name(iri)

    def value(self, iri: str) -> str:
        """The text of a link to `iri` as a value (not as a heading): its label, else the IRI
        without its scheme ("www.co-operative.coop"), which is what people recognise."""
        return self.get(iri) or display_iri(iri)

    def add(self, iri: str, text: str, tag: str) -> None:
        """Record one label, keeping the preferred property's text for each language; an empty
        label is no label (ESSGlobal's code lists hold hundreds of them)."""
        if text.strip():
            self.texts.setdefault(iri, {}).setdefault(tag.lower(), text)


def fetch_labels(
    store: Store,
    iris: Iterable[str],
    lang: str,
    properties: tuple[str, ...] = PAGE_LABEL_PROPERTIES,
) -> Labels:
    """The labels of `iris` in every language, in one query per few hundred IRIs.

    With other `properties` (e.g. descriptions) it fetches those texts the same way.
    """
    labels = Labels(lang)
    unique = sorted(set(iris))
    if properties == PAGE_LABEL_PROPERTIES:
        cached = term_labels(store)
        for iri in unique:
            for triple in cached.get(iri, ()):
                text = triple.object
                assert isinstance(text, Literal)
                labels.add(iri, text.value, text.language or "")
                labels.triples.append(triple)
        unique = [iri for iri in unique if iri not in cached]
    for start in range(0, len(unique), _BATCH):
        batch = [NamedNode(iri) for iri in unique[start : start + _BATCH]]
        # The predicates go in a FILTER, not a second VALUES block: Oxigraph joins two VALUES
        # blocks before the pattern and scans every label in the store (0.6 s instead of 4 ms
        # at a million triples, measured).
        wanted = ", ".join(str(NamedNode(p)) for p in properties)
        query = (
            PROLOGUE
            + "SELECT ?s ?p ?l WHERE { "
            + values("s", batch)
            + " ?s ?p ?l . "
            + f"FILTER(?p IN ({wanted}) && isLiteral(?l)) }}"
        )
        rows = store.select(query).rows
        rank = {p: i for i, p in enumerate(properties)}
        # Sort so that the preferred property is recorded first for each language.
        ordered = sorted(rows, key=lambda r: rank.get(r[1].value, 99))  # type: ignore[union-attr]
        for subject, predicate, label in ordered:
            if isinstance(subject, NamedNode) and isinstance(label, Literal):
                labels.add(subject.value, label.value, label.language or "")
                labels.triples.append(Triple(subject, predicate, label))  # type: ignore[arg-type]
    return labels


# The terms first (a sub-select), then their labels: Oxigraph plans this better than one join
# (19 ms instead of 32 ms for the seed and an import, measured).
_TERMS = """
SELECT ?s ?p ?l WHERE {{
  {{ SELECT DISTINCT ?s WHERE {{ {kinds} ?s a ?kind . FILTER(isIRI(?s)) }} }}
  ?s ?p ?l . FILTER(?p IN ({wanted}) && isLiteral(?l))
}} LIMIT {limit}
"""


def term_labels(store: Store) -> dict[str, list[Triple]]:
    """The label statements of the store's classes, properties and concepts, kept until the
    store changes them (`views/term_following.py`): the terms every page names are not looked
    up again on each page, nor all read again after each write."""
    return derived(store, "views.term_labels", _compute_term_labels, follow=_term_follower)


def _term_follower() -> TermLabelsFollower:
    """A new follower of the term labels, for one store."""
    return TermLabelsFollower(frozenset(_TERM_CLASSES), frozenset(PAGE_LABEL_PROPERTIES))


def _compute_term_labels(store: Store) -> dict[str, list[Triple]]:
    kinds = values("kind", [NamedNode(k) for k in _TERM_CLASSES])
    wanted = ", ".join(str(NamedNode(p)) for p in PAGE_LABEL_PROPERTIES)
    # A generous bound: a store with more labelled terms than this is served per page instead.
    limit = _MAX_CACHED_TERMS * 8
    query = PROLOGUE + _TERMS.format(kinds=kinds, wanted=wanted, limit=limit)
    rank = {p: i for i, p in enumerate(PAGE_LABEL_PROPERTIES)}
    rows = store.select(query).rows
    if len(rows) >= limit:
        return {}
    found: dict[str, list[Triple]] = {}
    for subject, predicate, label in sorted(rows, key=lambda r: rank.get(r[1].value, 99)):  # type: ignore[union-attr]
        if isinstance(subject, NamedNode) and isinstance(label, Literal):
            found.setdefault(subject.value, []).append(Triple(subject, predicate, label))  # type: ignore[arg-type]
    return found
