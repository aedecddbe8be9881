"""GeoJSON (RFC 7946) for a list of resources, written as a stream of small chunks.

One Feature per located resource, in the order given: a Point (`[longitude, latitude]`, six
decimals) and lean properties: `iri`, `label` (in the language asked for), `kind` (the list it
comes from) and `url` (its page). The FeatureCollection also carries, as foreign members, the
`datasets` whose data it contains, with their licence and attribution (docs/web.md "Map").
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from commons_graph.geo.points import Located, LocatedIndex
from commons_graph.store.base import Store
from commons_graph.views.datasets import DatasetInfo, datasets_of_graphs

MEDIA_TYPE = "application/geo+json"
# Chunks of about this many characters: large enough for few writes, small enough that the
# first bytes go out at once and the whole never sits in memory twice.
CHUNK_CHARS = 64 * 1024


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


def write_geojson(collection: Collection, page_url: Callable[[str], str | None]) -> Iterator[str]:
    """The FeatureCollection as text chunks; `page_url(iri)` gives a feature's page (or None)."""
    credits = [
        {
            "iri": d.iri,
            "title": d.title,
            "license": d.license,
            "attribution": d.attribution,
        }
        for d in collection.datasets
    ]
    head = '{"type":"FeatureCollection","datasets":' + json.dumps(credits, ensure_ascii=False)
    yield head + ',"features":['
    kind = json.dumps(collection.kind)
    pieces: list[str] = []
    size = 0
    dumps = json.dumps
    for number, (iri, located) in enumerate(collection.features):
        url = page_url(iri)
        iri_text = dumps(iri, ensure_ascii=False)
        piece = (
            f'{"," if number else ""}{{"type":"Feature","geometry":{{"type":"Point",'
            f'"coordinates":{located.point.coordinates}}},"properties":{{"iri":{iri_text},'
            f'"label":{dumps(located.label(collection.lang), ensure_ascii=False)},'
            f'"kind":{kind},"url":{dumps(url, ensure_ascii=False) if url else "null"}}}}}'
        )
        pieces.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield "".join(pieces)
            pieces, size = [], 0
    pieces.append("]}\n")
    yield "".join(pieces)
