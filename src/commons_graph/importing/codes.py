"""ESSGlobal codes as CSV files write them (IRIs of any known base, or bare codes) to concepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from commons_graph.rdf.namespaces import ESSGLOBAL_STANDARD, RDF_TYPE
from commons_graph.store.shipped import resource_dir

# The bases under which code lists are published; all name the same concepts.
_IRI = re.compile(
    r"^https?://(?:dev\.lod\.coop/essglobal/[0-9.]+|purl\.org/essglobal|lod\.coop/essglobal"
    r"(?:/[0-9.]+)?)/standard/(?P<scheme>[A-Za-z0-9-]+)/(?P<code>[^/\s#?]+)/?$"
)
_BARE = re.compile(r"^[A-Za-z][A-Za-z0-9-]*$")
_SKOS_CONCEPT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#Concept")

# Separators of multi-valued cells (Activities, Qualifiers).
_SEPARATORS = re.compile(r"[;,|\s]+")


class UnknownCode(ValueError):
    """A code that no shipped ESSGlobal code list defines."""


@dataclass(frozen=True)
class Concept:
    """One ESSGlobal concept: its scheme, its code and its IRI."""

    scheme: str
    code: str

    @property
    def iri(self) -> str:
        """The concept's IRI in the ESSGlobal namespace the vocabularies use."""
        return f"{ESSGLOBAL_STANDARD}{self.scheme}/{self.code}"


@cache
def known_codes() -> dict[str, dict[str, str]]:
    """Codes of every shipped code list: scheme -> {lowercase code: code as published}."""
    found: dict[str, dict[str, str]] = {}
    folder = resource_dir("vocabularies") / "essglobal" / "standard"
    for path in sorted(folder.glob("*.ttl")):
        with path.open("rb") as handle:
            for triple in ox.parse(handle, ox.RdfFormat.TURTLE):
                if triple.predicate != RDF_TYPE or triple.object != _SKOS_CONCEPT:
                    continue
                subject = triple.subject
                if not isinstance(subject, ox.NamedNode):
                    continue
                scheme, _, code = subject.value.removeprefix(str(ESSGLOBAL_STANDARD)).rpartition(
                    "/"
                )
                found.setdefault(scheme, {})[code.lower()] = code
    return found


def concept(value: str, scheme: str) -> Concept:
    """The concept a cell names, reading bare codes in `scheme`; raises UnknownCode."""
    text = value.strip()
    match = _IRI.match(text)
    if match:
        scheme, text = match["scheme"], match["code"]
    elif not _BARE.match(text):
        raise UnknownCode(f"{value!r} is neither an ESSGlobal code nor a code IRI")
    codes = known_codes().get(scheme)
    if codes is None:
        raise UnknownCode(f"{value!r}: no ESSGlobal code list named {scheme!r} is known")
    published = codes.get(text.lower())
    if published is None:
        raise UnknownCode(f"{value!r} is not a code of the ESSGlobal list {scheme!r}")
    return Concept(scheme, published)


def concepts(cell: str, scheme: str) -> tuple[list[Concept], list[str]]:
    """The concepts of a multi-valued cell, and a message for each value that is not one."""
    found: list[Concept] = []
    problems: list[str] = []
    for value in _SEPARATORS.split(cell.strip()):
        if not value:
            continue
        try:
            item = concept(value, scheme)
        except UnknownCode as error:
            problems.append(str(error))
            continue
        if item not in found:
            found.append(item)
    return found, problems
