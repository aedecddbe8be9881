"""A site with located resources for the map's tests: the seed, thousands of rows of the shipped
Co-operatives UK dataset imported as the docs say, and the licensed sample of `pages.py` with a
few points of its own (lat/long, WKT only, invalid ones).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyoxigraph as ox
import pytest

from commons_graph.config import Settings
from commons_graph.importing.metadata import DatasetDescription
from commons_graph.importing.operation import import_standard_csv
from commons_graph.relations.keeper import rebuild
from commons_graph.store import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.seeding import initialise
from tests.helpers.coops_slice import COOPS_UK
from tests.helpers.pages import SAMPLE_GRAPH, sample_iri, sample_quads
from tests.helpers.prepared import index_beside, settings_of_copy

COOPS_LICENCE = "https://opendatacommons.org/licenses/by/1-0/"
COOPS_ATTRIBUTION = "Contains data from Co-operatives UK"
# The rows imported: the file's first ones and the one of the co-operative whose page the tests
# open (the Isles of Scilly's, far down the file). Thousands of points (clusters, chunks, a
# streamed answer) at a fraction of the whole file's cost: what the map does does not depend on
# how many there are beyond that, and the whole file's import is tested on its own
# (tests/cli/test_imports.py).
COOPS_ROWS = 1500
COOPS_PAGE_ROW = "R006315"


def _coops_rows() -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the shipped file the map's site imports."""
    with COOPS_UK.open(newline="", encoding="utf-8") as source:
        header, *rows = list(csv.reader(source))
    chosen = rows[:COOPS_ROWS] + [r for r in rows[COOPS_ROWS:] if r[0] == COOPS_PAGE_ROW]
    return header, chosen


def _located(header: list[str], rows: list[list[str]]) -> int:
    """How many of `rows` have coordinates (their own, or their geo container's)."""
    column = {name: n for n, name in enumerate(header)}

    def value(row: list[str], *names: str) -> str:
        return next((row[column[n]].strip() for n in names if row[column[n]].strip()), "")

    return sum(
        1
        for row in rows
        if value(row, "Latitude", "Geo Container Latitude")
        and value(row, "Longitude", "Geo Container Longitude")
    )


# The imported rows with coordinates (the rule gives 6,970 of 7,272 on the whole file).
COOPS_LOCATED = _located(*_coops_rows())
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"
GEO = "http://www.opengis.net/ont/geosparql#"
DECIMAL = ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
WKT = ox.NamedNode(GEO + "wktLiteral")
# The sample's own points: (lat, long) by number; 3 has a geometry only; 5 and 7 are invalid.
SAMPLE_POINTS = {2: (48.8566, 2.3522), 4: (-22.9068, -43.1729)}
SAMPLE_WKT = {3: "POINT(4.8357 45.764)"}
SAMPLE_BAD = {5: ("north", "2.0"), 7: ("95.0", "2.0")}


def located_quads() -> list[ox.Quad]:
    """The sample's points, stated in the sample's (licensed) graph."""
    graph = ox.NamedNode(SAMPLE_GRAPH)
    quads: list[ox.Quad] = []
    for number, (lat, lon) in {**SAMPLE_POINTS, **SAMPLE_BAD}.items():
        subject = ox.NamedNode(sample_iri(number))
        quads.append(ox.Quad(subject, ox.NamedNode(WGS84 + "lat"), ox.Literal(str(lat)), graph))
        quads.append(ox.Quad(subject, ox.NamedNode(WGS84 + "long"), ox.Literal(str(lon)), graph))
    for number, text in SAMPLE_WKT.items():
        subject = ox.NamedNode(sample_iri(number))
        geometry = ox.NamedNode(sample_iri(number) + "#geometry")
        quads.append(ox.Quad(subject, ox.NamedNode(GEO + "hasGeometry"), geometry, graph))
        quads.append(
            ox.Quad(geometry, ox.NamedNode(GEO + "asWKT"), ox.Literal(text, datatype=WKT), graph)
        )
    return quads


def _fill(folder: Path) -> None:
    """Seed a store in `folder`, add the located sample, import the rows of Co-operatives UK."""
    part = folder / "coops-uk.csv"
    with part.open("w", newline="", encoding="utf-8") as target:
        header, rows = _coops_rows()
        csv.writer(target).writerows([header, *rows])
    with EmbeddedStore(folder / "store") as store:
        initialise(store)
        store.commit(ChangeSet(insert=sample_quads() + located_quads()))
        description = DatasetDescription(
            "coops-uk", COOPS_LICENCE, COOPS_ATTRIBUTION, title="Co-operatives UK open data"
        )
        import_standard_csv(store, part, description, kind="cooperative")
        # What every start of the service does first on this store (relations/keeper.py):
        # done here once, a served copy finds them in step and writes nothing at start.
        rebuild(store, Settings().related_per_organisation)
        index_beside(store, folder / "store")


def located_settings(
    tmp_path_factory: pytest.TempPathFactory, folder: Path, **settings: object
) -> Settings:
    """Settings of a store in `folder` holding the seed, the located sample and Co-operatives
    UK's rows (filled once per session, tests/helpers/prepared.py, then copied)."""
    return settings_of_copy(tmp_path_factory, "located", _fill, folder, **settings)
