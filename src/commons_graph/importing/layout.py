"""The Digital Commons "standard" CSV layout: columns matched by header name, never position."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from commons_graph.errors import BadInputError

# Each field of the layout and the header names that mean it (compared after normalisation,
# so "Postcode", "postcode" and "Post_Code" are the same column).
FIELDS: dict[str, tuple[str, ...]] = {
    "identifier": ("Identifier", "ID"),
    "name": ("Name",),
    "description": ("Description",),
    "organisational_structure": ("Organisational Structure", "Organizational Structure"),
    "primary_activity": ("Primary Activity",),
    "activities": ("Activities", "Activity"),
    "street_address": ("Street Address",),
    "locality": ("Locality",),
    "region": ("Region",),
    "postcode": ("Postcode", "Post Code", "Postal Code"),
    "country_id": ("Country ID", "Country"),
    "territory_id": ("Territory ID",),
    "website": ("Website", "Homepage"),
    "phone": ("Phone",),
    "email": ("Email",),
    "twitter": ("Twitter",),
    "facebook": ("Facebook",),
    "companies_house_number": ("Companies House Number",),
    "mutuals_register_number": (
        "Mutuals Public Register Number",
        "FCA Number",
        "FCA Registration Number",
        "Society Number",
        "Registered Society Number",
    ),
    "qualifiers": ("Qualifiers",),
    "membership_type": ("Membership Type", "Base Membership Type"),
    "latitude": ("Latitude",),
    "longitude": ("Longitude",),
    "geo_container": ("Geo Container",),
    "geo_container_latitude": ("Geo Container Latitude",),
    "geo_container_longitude": ("Geo Container Longitude",),
    "sector": ("Sector",),
    "sic_section": ("SIC Section",),
    "sic_code": ("SIC Code",),
    "ownership_classification": ("Ownership Classification",),
    "legal_form": ("Legal Form", "Legal Forms"),
}

# Known columns that are read but not turned into triples, and why (see docs/import.md).
NOT_MAPPED: dict[str, str] = {
    "territory_id": "no territory vocabulary yet",
    "phone": "contact details of people are not republished",
    "email": "contact details of people are not republished",
    "twitter": "social-media handles are not republished",
    "facebook": "social-media handles are not republished",
}

# What each known column becomes: ("mapped", target) for values turned into IRIs, codes or
# typed values, ("text", target) for values kept as text (the report lists both).
MAPPED: dict[str, tuple[str, str]] = {
    "identifier": ("mapped", "the organisation's IRI, dcterms:identifier, adms:identifier"),
    "name": ("text", "rdfs:label"),
    "description": ("text", "dcterms:description"),
    "organisational_structure": (
        "mapped",
        "essglobal:organisationalStructure (ESSGlobal organisational-structure)",
    ),
    "primary_activity": ("mapped", "essglobal:primarySector (ESSGlobal activities-ica)"),
    "activities": ("mapped", "essglobal:additionalSectors (ESSGlobal activities-ica)"),
    "street_address": ("text", "schema:address / schema:streetAddress"),
    "locality": ("text", "schema:address / schema:addressLocality"),
    "region": ("text", "schema:address / schema:addressRegion"),
    "postcode": ("text", "schema:address / schema:postalCode"),
    "country_id": ("text", "schema:address / schema:addressCountry"),
    "website": ("mapped", "foaf:homepage"),
    "companies_house_number": (
        "mapped",
        "adms:identifier (cg:CompaniesHouseNumber), org:identifier, rdfs:seeAlso",
    ),
    "mutuals_register_number": (
        "mapped",
        "adms:identifier (cg:MutualsRegisterNumber), org:identifier, rdfs:seeAlso",
    ),
    "qualifiers": ("mapped", "essglobal:qualifier (ESSGlobal qualifiers)"),
    "membership_type": ("mapped", "essglobal:baseMembershipType (ESSGlobal)"),
    "latitude": ("mapped", "wgs84:lat, geo:hasGeometry"),
    "longitude": ("mapped", "wgs84:long, geo:hasGeometry"),
    "geo_container": ("mapped", "geo:sfWithin"),
    "geo_container_latitude": ("mapped", "wgs84:lat, geo:hasGeometry (when no Latitude)"),
    "geo_container_longitude": ("mapped", "wgs84:long, geo:hasGeometry (when no Longitude)"),
    "sector": ("text", "schema:keywords"),
    "sic_section": ("mapped", "cg:industry (UK SIC 2007 section), when there is no SIC Code"),
    "sic_code": ("mapped", "cg:industry (UK SIC 2007)"),
    "ownership_classification": ("mapped", "cg:ownership (ownership classifications); kind"),
    "legal_form": ("mapped", "essglobal:legalForm (legal forms)"),
}

REQUIRED = ("identifier", "name")


def normalise_header(header: str) -> str:
    """A header reduced to lowercase words joined by single spaces (BOM and punctuation gone)."""
    return " ".join(re.split(r"[\s_\-]+", header.replace("\ufeff", "").strip().lower())).strip()


_BY_HEADER = {normalise_header(name): key for key, names in FIELDS.items() for name in names}


@dataclass(frozen=True)
class Columns:
    """How one file's header maps to the layout's fields."""

    headers: tuple[str, ...]
    fields: dict[str, str]
    unknown: tuple[str, ...] = field(default=())

    def has(self, key: str) -> bool:
        """Whether the file has the column for `key`."""
        return key in self.fields


def map_headers(headers: list[str]) -> Columns:
    """Match a header row to the layout; unknown columns are listed, never fatal."""
    fields: dict[str, str] = {}
    unknown: list[str] = []
    for header in headers:
        key = _BY_HEADER.get(normalise_header(header))
        if key is None or key in fields:
            unknown.append(header)
        else:
            fields[key] = header
    missing = [key for key in REQUIRED if key not in fields]
    if missing:
        wanted = ", ".join(FIELDS[key][0] for key in missing)
        raise BadInputError("import.error.missing_columns", columns=wanted)
    return Columns(tuple(headers), fields, tuple(unknown))


@dataclass(frozen=True)
class CsvRow:
    """One data row: its line number in the file and its trimmed values by field."""

    number: int
    values: dict[str, str]
    columns: Columns
    unknown_filled: tuple[str, ...] = ()  # the unknown columns with a value in this row
    kind: str | None = None  # a kind the source says (e.g. a GeoJSON category), if any
    extra: object = None  # what a source's enrich step reads (e.g. a GeoJSON feature)

    def get(self, key: str) -> str:
        """The trimmed value of field `key` ("" when the column is absent or empty)."""
        return self.values.get(key, "")

    def column(self, key: str) -> str:
        """The header of field `key` as the file writes it, for messages."""
        return self.columns.fields.get(key, FIELDS[key][0])


@dataclass
class CsvFile:
    """A standard CSV file opened for reading: its columns and its rows."""

    path: Path
    columns: Columns
    size: int

    def count_rows(self) -> int:
        """The number of records after the header (cells may span lines, so not lines)."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            try:
                return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
            except csv.Error:
                return 0

    def rows(self) -> Iterator[CsvRow]:
        """Each data row, numbered as a spreadsheet shows it (the header is row 1)."""
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            # Where each field's column is, found once from the header's names.
            index = {header: i for i, header in reversed(list(enumerate(self.columns.headers)))}
            positions = [(key, index[header]) for key, header in self.columns.fields.items()]
            unknown = [(header, i) for i, header in enumerate(self.columns.headers)]
            unknown = [(h, i) for h, i in unknown if h in self.columns.unknown]
            number = 1
            try:
                for record in reader:
                    number += 1
                    if not any(cell.strip() for cell in record):
                        continue
                    values = {key: record[i].strip() for key, i in positions if i < len(record)}
                    extra = tuple(h for h, i in unknown if i < len(record) and record[i].strip())
                    yield CsvRow(number, values, self.columns, extra)
            except csv.Error as error:
                raise BadInputError(
                    "import.error.bad_row", file=self.path.name, row=number + 1, detail=str(error)
                ) from error


def open_csv(path: Path) -> CsvFile:
    """Open a standard CSV file and map its header; raises BadInputError if it is not one."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            headers = next(csv.reader(handle), None)
    except UnicodeDecodeError as error:
        raise BadInputError("import.error.not_utf8", file=path.name) from error
    except csv.Error as error:
        raise BadInputError("import.error.not_csv", file=path.name, detail=str(error)) from error
    if not headers:
        raise BadInputError("import.error.empty", file=path.name)
    return CsvFile(path, map_headers(headers), path.stat().st_size)
