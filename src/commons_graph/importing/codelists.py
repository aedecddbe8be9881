"""The shipped code lists that words and codes of a file are read in: legal forms, ownership
classifications (data/schemes/) and UK SIC 2007 (vocabularies/uk-sic-2007/)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from commons_graph.rdf.namespaces import BASE
from commons_graph.store.shipped import resource_dir

_SKOS = "http://www.w3.org/2004/02/skos/core#"
_LABELS = {_SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "hiddenLabel"}
_IN_SCHEME = ox.NamedNode(_SKOS + "inScheme")
_NOTATION = _SKOS + "notation"

LEGAL_FORMS = BASE + "scheme/legal-forms"
OWNERSHIP = BASE + "scheme/ownership"
UK_SIC_2007 = BASE + "scheme/uk-sic-2007"

# Co-operatives UK writes an activity known only to its division, group or class with
# trailing zeros (47000, 47100, 71120): the shortest code the zeros leave names it.
_SIC = re.compile(r"^\d{5}$")
# Separators of multi-valued SIC cells.
_SEPARATORS = re.compile(r"[;,|\s]+")


def word_key(text: str) -> str:
    """A word or phrase as compared with the lists: lowercase, single spaces, no punctuation
    around it."""
    return " ".join(re.split(r"[\s_]+", text.strip().lower())).strip(" .;,")


def _parse(path: Path) -> list[ox.Triple]:
    with path.open("rb") as handle:
        return [quad.triple for quad in ox.parse(handle, ox.RdfFormat.TURTLE)]


@cache
def _shipped_triples() -> tuple[ox.Triple, ...]:
    """The statements of the shipped concept schemes and vocabularies (read once)."""
    triples: list[ox.Triple] = []
    for folder in (resource_dir("data") / "schemes", resource_dir("vocabularies")):
        for path in sorted(folder.rglob("*.ttl")):
            triples += _parse(path)
    return tuple(triples)


@cache
def _scheme_terms(scheme: str) -> tuple[dict[str, str], dict[str, str]]:
    """Concepts of `scheme` in the shipped files: by label key, and by notation."""
    triples = _shipped_triples()
    members = {
        t.subject.value
        for t in triples
        if t.predicate == _IN_SCHEME
        and t.object == ox.NamedNode(scheme)
        and isinstance(t.subject, ox.NamedNode)
    }
    by_label: dict[str, str] = {}
    by_notation: dict[str, str] = {}
    for t in triples:
        if not isinstance(t.subject, ox.NamedNode) or not isinstance(t.object, ox.Literal):
            continue
        subject = t.subject.value
        if subject not in members:
            continue
        if t.predicate.value in _LABELS:
            by_label.setdefault(word_key(t.object.value), subject)
        elif t.predicate.value == _NOTATION:
            by_notation[t.object.value] = subject
    return by_label, by_notation


@cache
def legal_form(word: str) -> str | None:
    """The legal-form concept a word such as "Society" or "LLP" names, or None."""
    return _scheme_terms(LEGAL_FORMS)[0].get(word_key(word))


@cache
def ownership(word: str) -> str | None:
    """The ownership-classification concept a word such as "Workers" names, or None."""
    return _scheme_terms(OWNERSHIP)[0].get(word_key(word))


@cache
def sic_code(code: str) -> str | None:
    """The UK SIC 2007 concept of a code (47110, or 47000 for division 47), or None."""
    by_notation = _scheme_terms(UK_SIC_2007)[1]
    text = code.strip().upper()
    if text in by_notation and not text.isdigit():
        return by_notation[text]  # a section letter
    if not _SIC.match(text):
        return None
    for candidate in (text, text.rstrip("0")):
        found = by_notation.get(candidate) if len(candidate) >= 2 else None
        if found:
            return found
    # "01000": the zeros stripped leave "01" only when the division's own digits end in 0
    # ("10000" -> "1"): try the division, group and class by length.
    for size in (4, 3, 2):
        if text[size:].strip("0") == "":
            found = by_notation.get(text[:size])
            if found:
                return found
    return None


@cache
def sic_codes(cell: str) -> tuple[list[str], list[str]]:
    """The SIC concepts of a cell (several codes may be separated), and the codes not known."""
    found: list[str] = []
    unknown: list[str] = []
    for value in _SEPARATORS.split(cell.strip()):
        if not value:
            continue
        concept = sic_code(value)
        if concept is None:
            unknown.append(value)
        elif concept not in found:
            found.append(concept)
    return found, unknown


# The section names Co-operatives UK writes in its "SIC Section" column (shortened from the
# official titles), by section letter; official titles are matched through the list's labels.
_CUK_SECTIONS = {
    "agriculture, forestry and fishing": "A",
    "mining and quarrying": "B",
    "manufacturing": "C",
    "electricity, gas, steam and air con": "D",
    "water supply; sewerage and waste": "E",
    "construction": "F",
    "wholesale and retail; vehicle repair": "G",
    "transportation and storage": "H",
    "accommodation and food services": "I",
    "information and communication": "J",
    "financial and insurance": "K",
    "real estate": "L",
    "professional, scientific and technical": "M",
    "administrative and support services": "N",
    "public administration and defence": "O",
    "education": "P",
    "human health and social work": "Q",
    "arts, entertainment and recreation": "R",
    "other service activities": "S",
    "households as employers; for own use": "T",
    "extraterritorial organisations": "U",
}


@cache
def sic_section(text: str) -> str | None:
    """The UK SIC 2007 section a "SIC Section" cell names (a letter or a title), or None."""
    key = word_key(text)
    by_label, by_notation = _scheme_terms(UK_SIC_2007)
    if len(key) == 1:
        return by_notation.get(key.upper())
    letter = _CUK_SECTIONS.get(key)
    if letter:
        return by_notation.get(letter)
    found = by_label.get(key)
    # Only a section: a title of a deeper level is not a section.
    return found if found and len(found.rsplit("/", 1)[-1]) == 1 else None


@cache
def section_of(concept: str) -> str:
    """The section letter a SIC concept IRI is in (the concept itself for a section)."""
    code = concept.rsplit("/", 1)[-1]
    if not code.isdigit():
        return code
    parent = _division_sections().get(code[:2], "")
    return parent


@cache
def _division_sections() -> dict[str, str]:
    """Division code -> section letter, from the list's skos:broader links."""
    path = resource_dir("vocabularies") / "uk-sic-2007" / "uk-sic-2007.ttl"
    found: dict[str, str] = {}
    for t in _parse(path):
        if t.predicate.value != _SKOS + "broader" or not isinstance(t.subject, ox.NamedNode):
            continue
        child = t.subject.value.rsplit("/", 1)[-1]
        parent = t.object.value.rsplit("/", 1)[-1] if isinstance(t.object, ox.NamedNode) else ""
        if len(child) == 2 and len(parent) == 1:
            found[child] = parent
    return found
