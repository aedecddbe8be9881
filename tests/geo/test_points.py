"""Points from WGS84 lat/long and WKT literals: valid ones kept and rounded, others refused."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commons_graph.geo.points import Point, make_point, parse_wkt_point


def test_a_point_has_six_decimals_and_its_geojson_five_longitude_first() -> None:
    point = make_point("51.12345678", "-1.98765432")
    assert point == Point(51.123457, -1.987654)
    assert json.loads(point.coordinates) == [-1.98765, 51.12346]


def test_the_geojson_rounds_what_was_read_once() -> None:
    """Not the page's six decimals again: 0.1234549 is 0.12345, not 0.123455 -> 0.12346."""
    point = make_point("0.1234549", "0.2")
    assert point is not None and point.lat == 0.123455
    assert json.loads(point.coordinates) == [0.2, 0.12345]


@pytest.mark.parametrize(
    ("lat", "lon"),
    [("north", "2"), ("95", "2"), ("45", "181"), ("nan", "2"), ("inf", "0"), ("", "1")],
)
def test_invalid_coordinates_place_nothing(lat: str, lon: str) -> None:
    assert make_point(lat, lon) is None


@pytest.mark.parametrize(
    ("wkt", "expected"),
    [
        ("POINT(4.8357 45.764)", Point(45.764, 4.8357)),
        (" point ( -0.1 51.5 ) ", Point(51.5, -0.1)),
        ("<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(2 48)", Point(48, 2)),
        # EPSG:4326 names latitude first.
        ("<http://www.opengis.net/def/crs/EPSG/0/4326> POINT(48 2)", Point(48, 2)),
    ],
)
def test_wkt_points_are_read_in_their_axis_order(wkt: str, expected: Point) -> None:
    assert parse_wkt_point(wkt) == expected


@pytest.mark.parametrize(
    "wkt",
    [
        "LINESTRING(0 0, 1 1)",
        "POINT(1)",
        "POINT(200 0)",
        "<http://example.org/crs> POINT(1 2)",
        "POINT(1" + " " * 1000 + "2)",
        "POINT(" + "1" * 10_000 + " 2)",
    ],
)
def test_other_wkt_places_nothing(wkt: str) -> None:
    assert parse_wkt_point(wkt) is None


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_any_text_is_a_point_or_nothing_never_an_error(text: str) -> None:
    point = parse_wkt_point(text)
    if point is not None:
        assert -90 <= point.lat <= 90 and -180 <= point.lon <= 180
        json.loads(point.coordinates)


@settings(max_examples=60, deadline=None)
@given(st.floats(-90, 90), st.floats(-180, 180))
def test_coordinates_are_valid_json_numbers(lat: float, lon: float) -> None:
    point = make_point(lat, lon)
    assert point is not None
    lon_out, lat_out = json.loads(point.coordinates)
    assert abs(lon_out - lon) <= 5.01e-6 and abs(lat_out - lat) <= 5.01e-6
