"""GeoJSON (RFC 7946) for a list of resources, written as a stream of small chunks.

One Feature per located resource, in the order given: a Point (`[longitude, latitude]`, five
decimals) and lean properties: `iri`, `label` (in the language asked for), `kind` (the list it
comes from) and `url` (its page); `?properties=label` keeps only some (the map asks for its
labels only: its popups link to the IRI's page by the rule pages use, and the file is 16%
smaller gzipped). The FeatureCollection also carries, as foreign members, the
`datasets` whose data it contains, with their licence and attribution (docs/web.md "Map").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from commons_graph.errors import BadInputError
from commons_graph.geo.points import Located, LocatedIndex, located_index
from commons_graph.i18n import LANGUAGES
from commons_graph.store.base import Store
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs

MEDIA_TYPE = "application/geo+json"
# Chunks of about this many characters: large enough for few writes, small enough that the
# first bytes go out at once and the whole never sits in memory twice.
CHUNK_CHARS = 64 * 1024
_LABEL = ',"label":'
# Every property a feature may carry, in the order written; `?properties=` picks some.
PROPERTIES = ("iri", "label", "kind", "url")
_END_PATH = '"}}'
_END = "}}"


@dataclass(frozen=True)
class Collection:
    """The located resources of a list, ready to be written, and the datasets to credit."""

    features: list[tuple[str, Located]]
    datasets: list[DatasetInfo]
    kind: str
    lang: str

    def __len__(self) -> int:
        return len(self.features)


def collect(
    store: Store, index: LocatedIndex, iris: Iterable[str], kind: str, lang: str
) -> Collection:
    """The located ones among `iris` (in their order) and the licensed datasets they come from."""
    features: list[tuple[str, Located]] = []
    sources: set[tuple[str, ...]] = set()
    for iri in iris:
        found = index.get(iri)
        if found is not None:
            features.append((iri, found))
            sources.add(found.sources)
    candidates = {source for group in sources for source in group}
    datasets = datasets_of_graphs(store, candidates, lang) if candidates else []
    return Collection(features, datasets, kind, lang)


def parse_properties(text: str | None) -> tuple[str, ...]:
    """The properties asked for by `?properties=a,b` (every one when absent); `iri` always."""
    if text is None or not text.strip():
        return PROPERTIES
    asked = {name.strip() for name in text[:200].split(",") if name.strip()}
    unknown = sorted(asked - set(PROPERTIES))
    if unknown:
        raise BadInputError(
            "geo.error.unknown_property",
            name=unknown[0],
            known=", ".join(PROPERTIES),
            value=unknown[0][:100],
        )
    return tuple(name for name in PROPERTIES if name in asked or name == "iri")


def write_geojson(
    collection: Collection, page_base: str, properties: tuple[str, ...] = PROPERTIES
) -> Iterator[str]:
    """The FeatureCollection as text chunks; a minted IRI's page is `page_base` + its path."""
    credits = [
        {"iri": d.iri, "title": d.title, "license": d.license, "attribution": d.attribution}
        for d in collection.datasets
    ]
    head = '{"type":"FeatureCollection","datasets":' + json.dumps(credits, ensure_ascii=False)
    yield head + ',"features":['
    index = LANGUAGES.index(collection.lang) if collection.lang in LANGUAGES else 0
    with_label, with_url = "label" in properties, "url" in properties
    # What follows the label, the same for every feature: the kind, the start of the url.
    kind = (
        f',"kind":{json.dumps(collection.kind, ensure_ascii=False)}' if "kind" in properties else ""
    )
    minted = (
        kind + ',"url":"' + json.dumps(page_base, ensure_ascii=False)[1:-1] if with_url else kind
    )
    other = kind + ',"url":' if with_url else kind
    pieces: list[str] = []
    size = 0
    separator = ""
    for _, found in collection.features:
        label = _LABEL + found.labels[index] if with_label else ""
        if not with_url:
            piece = f"{separator}{found.head}{label}{kind}{_END}"
        elif found.page_path is not None:
            piece = f"{separator}{found.head}{label}{minted}{found.page_path}{_END_PATH}"
        else:
            piece = f"{separator}{found.head}{label}{other}{found.page_other}{_END}"
        separator = ","
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(pieces)
            pieces, size = [], 0
    pieces.append("]}\n")
    yield "".join(pieces)


def geojson_export(
    store: Store,
    kind: str,
    lang: str,
    iris: Iterable[str],
    page_base: str,
    properties: tuple[str, ...] = PROPERTIES,
) -> tuple[list[DatasetInfo], Iterator[bytes]]:
    """The GeoJSON of the located ones among `iris` as bytes chunks, and the datasets it
    contains: for any list export (`?format=geojson` on a list page) to stream and credit."""
    collection = collect(store, located_index(store), iris, kind, lang)
    body = (chunk.encode() for chunk in write_geojson(collection, page_base, properties))
    return collection.datasets, body
