"""The GeoJSON writer: valid RFC 7946 text, written in bounded chunks, properties as asked."""

from __future__ import annotations

import json
from typing import cast

import pytest

from commons_graph.errors import BadInputError
from commons_graph.geo.geojson import (
    CHUNK_CHARS,
    PROPERTIES,
    Collection,
    collect,
    geojson_export,
    parse_properties,
    write_geojson,
)
from commons_graph.geo.points import Located, LocatedIndex, located, make_point
from commons_graph.store.base import Store

BASE = "https://w3id.org/commons-graph/"


def index(count: int) -> LocatedIndex:
    items: dict[str, Located] = {}
    for number in range(count):
        iri = f"{BASE}id/organisation/org-{number}"
        point = make_point(45 + number / 10_000, -1 - number / 10_000)
        assert point is not None
        label = json.dumps(f'Org "{number}" <é>', ensure_ascii=False)
        items[iri] = located(iri, point, (label, label), ())
    # IRIs from elsewhere: an http one links to itself, another to nothing.
    point = make_point(1, 2)
    assert point is not None
    for iri in ("https://example.org/thing", "urn:uuid:1234"):
        items[iri] = located(iri, point, ('"x"', '"x"'), ())
    return LocatedIndex(items)


def collection(count: int) -> Collection:
    found = index(count)
    # No sources: no dataset is looked up, the store is not asked.
    return collect(
        cast(Store, None), found, [*found.items, "urn:not-located"], "organisations", "fr"
    )


def test_large_collections_come_in_bounded_chunks_that_join_into_valid_geojson() -> None:
    chunks = list(write_geojson(collection(3000), "http://localhost:8000/"))
    assert len(chunks) > 5
    longest_feature = 400
    assert max(len(chunk) for chunk in chunks) <= CHUNK_CHARS + longest_feature
    data = json.loads("".join(chunks))
    assert data["type"] == "FeatureCollection" and data["datasets"] == []
    features = data["features"]
    assert len(features) == 3002
    first = features[0]
    assert first["geometry"] == {"type": "Point", "coordinates": [-1, 45]}
    assert first["properties"] == {
        "iri": f"{BASE}id/organisation/org-0",
        "label": 'Org "0" <é>',
        "kind": "organisations",
        "url": "http://localhost:8000/id/organisation/org-0",
    }
    others = {f["properties"]["iri"]: f["properties"]["url"] for f in features[-2:]}
    assert others == {
        "https://example.org/thing": "https://example.org/thing",
        "urn:uuid:1234": None,
    }


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (None, PROPERTIES),
        ("", PROPERTIES),
        ("label", ("iri", "label")),
        ("url, kind", ("iri", "kind", "url")),
        ("iri", ("iri",)),
    ],
)
def test_properties_are_written_as_asked(asked: str | None, expected: tuple[str, ...]) -> None:
    properties = parse_properties(asked)
    assert properties == expected
    data = json.loads("".join(write_geojson(collection(3), "http://h/", properties)))
    assert all(tuple(f["properties"]) == expected for f in data["features"])


def test_an_empty_collection_is_valid() -> None:
    empty = collect(cast(Store, None), LocatedIndex({}), [], "events", "en")
    assert json.loads("".join(write_geojson(empty, "http://h/"))) == {
        "type": "FeatureCollection",
        "datasets": [],
        "features": [],
    }


def test_the_export_entry_point_gives_the_same_document(seeded_store: Store) -> None:
    datasets, body = geojson_export(seeded_store, "organisations", "en", [], "http://h/")
    assert datasets == []
    assert json.loads(b"".join(body))["features"] == []


def test_unknown_properties_are_refused() -> None:
    with pytest.raises(BadInputError):
        parse_properties("iri,geometry")
