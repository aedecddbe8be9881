"""One row of a standard CSV file to the statements describing its organisation."""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pyoxigraph import Literal, NamedNode, Quad

from commons_graph.importing import codelists
from commons_graph.importing import terms as t
from commons_graph.importing.codes import Concept, UnknownCode, concept, concepts
from commons_graph.importing.identifiers import (
    COMPANIES_HOUSE,
    MUTUALS_REGISTER,
    IdentifierScheme,
    companies_house_number,
    dataset_scheme,
    identifier_lines,
    mutuals_register_number,
)
from commons_graph.importing.layout import CsvRow
from commons_graph.importing.linking import Place, place_of
from commons_graph.importing.text import plain_text, tidy
from commons_graph.rdf.namespaces import RDF_TYPE, RDFS_LABEL, RDFS_SEE_ALSO, XSD_DECIMAL
from commons_graph.store.text import text_quads


@dataclass(frozen=True)
class Issue:
    """Something wrong with one cell: an error skips the row, a warning drops only the value."""

    row: int
    column: str
    message: str
    severity: str = "warning"


# A term as N-Triples writes it; subjects and predicates repeat, and recalling them costs a
# third of writing them again (lru_cache hashes a term without writing it).
_written = functools.lru_cache(maxsize=1024)(str)


@dataclass
class MappedRow:
    """The statements of one row (for the dataset's graph), the organisation they describe and
    what went wrong."""

    row: int
    subject: NamedNode | None
    graph: NamedNode
    # As N-Triples lines: the form the bulk loader and the validation read, made three times
    # faster than Quad objects (pyoxigraph pays for every Literal given to a Quad).
    statements: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    homepage: str | None = None
    identifiers: list[str] = field(default_factory=list)
    filled: tuple[str, ...] = ()  # the columns with a value in this row, for the report
    name: str = ""  # for linking by name and place
    place: Place | None = None

    def add(self, subject: NamedNode, predicate: NamedNode, value: NamedNode | Literal) -> None:
        """Add one statement."""
        self.statements.append(f"{_written(subject)} {_written(predicate)} {value} .\n")

    @property
    def quads(self) -> list[Quad]:
        """The statements as quads of the dataset's graph."""
        return text_quads("".join(self.statements).encode(), self.graph)

    @property
    def failed(self) -> bool:
        """Whether an error keeps this row out of the store."""
        return self.subject is None or any(i.severity == "error" for i in self.issues)


@dataclass(frozen=True)
class MappingOptions:
    """What is the same for every row of an import."""

    dataset: str
    lang: str = "en"
    kind: str | None = None
    # Who issues the row identifiers (adms:schemaAgency): the dataset's title by default.
    agency: str = ""


class RowMapper:
    """Maps rows of one file; holds the terms shared by all its rows."""

    def __init__(self, options: MappingOptions) -> None:
        self.options = options
        self.dataset = t.dataset_iri(options.dataset)
        self.graph = t.dataset_graph(options.dataset)
        self.own_ids = dataset_scheme(options.dataset, options.agency or options.dataset)
        # How each organisation's one kind was decided, for the report.
        self.kinds: Counter[str] = Counter()

    def map(self, row: CsvRow) -> MappedRow:
        """The statements for `row` (none, with an error, when it has no identifier)."""
        identifier = row.get("identifier")
        if not t.slug(identifier):
            issue = Issue(row.number, row.column("identifier"), "no identifier", "error")
            return MappedRow(row.number, None, self.graph, issues=[issue])
        subject = t.organisation_iri(self.options.dataset, identifier)
        mapped = MappedRow(row.number, subject, self.graph)
        add = mapped.add
        add(subject, RDF_TYPE, t.ORG_ORGANIZATION)
        add(subject, RDF_TYPE, t.ESS_SSE_INITIATIVE)
        add(subject, t.VOID_IN_DATASET, self.dataset)
        add(subject, t.DC_IDENTIFIER, Literal(identifier))
        mapped.statements += identifier_lines(subject, self.own_ids, identifier)
        kinds: set[str] = set()
        self._text(row, mapped, kinds)
        self._codes(row, mapped, kinds)
        owned = self._classifications(row, mapped)
        kind = self._kind(kinds, owned, row.kind)
        if kind is not None:
            add(subject, RDF_TYPE, t.KINDS[kind])
        self._address(row, mapped)
        point = self._coordinates(row, mapped)
        self._web(row, mapped)
        mapped.place = place_of(tidy(row.get("postcode")), tidy(row.get("locality")), point)
        return mapped

    def _text(self, row: CsvRow, mapped: MappedRow, kinds: set[str]) -> None:
        subject, lang = mapped.subject, self.options.lang
        assert subject is not None
        name = plain_text(row.get("name"))
        if name:
            mapped.add(subject, RDFS_LABEL, Literal(name, language=lang))
            mapped.name = name
        description = plain_text(row.get("description"))
        if description:
            literal = Literal(description, language=lang)
            mapped.add(subject, t.DC_DESCRIPTION, literal)
        sector = tidy(row.get("sector"))
        if sector:
            literal = Literal(sector, language=lang)
            mapped.add(subject, t.SCHEMA_KEYWORDS, literal)

    def _codes(self, row: CsvRow, mapped: MappedRow, kinds: set[str]) -> None:
        structure = self._one(row, mapped, "organisational_structure", "organisational-structure")
        if structure is not None:
            self._link(mapped, t.ESS_ORGANISATIONAL_STRUCTURE, structure)
            kind = t.KIND_OF_STRUCTURE.get(structure.code)
            if kind:
                kinds.add(kind)
        primary = self._one(row, mapped, "primary_activity", "activities-ica")
        if primary is not None:
            self._link(mapped, t.ESS_PRIMARY_SECTOR, primary)
            self._link(mapped, t.ESS_ECONOMIC_SECTOR, primary)
        for other in self._many(row, mapped, "activities", "activities-ica"):
            if other != primary:
                self._link(mapped, t.ESS_ADDITIONAL_SECTORS, other)
                self._link(mapped, t.ESS_ECONOMIC_SECTOR, other)
        membership = self._one(row, mapped, "membership_type", "base-membership-type")
        if membership is not None:
            self._link(mapped, t.ESS_BASE_MEMBERSHIP_TYPE, membership)
        for qualifier in self._many(row, mapped, "qualifiers", "qualifiers"):
            self._link(mapped, t.ESS_QUALIFIER, qualifier)

    def _kind(self, structure_kinds: set[str], owned: bool, said: str | None) -> str | None:
        """The one kind of the organisation (see docs/import.md, "One kind per organisation").

        The kind says what the organisation is, its legal form how it is incorporated: the
        structures OS50 "Company (Other)" and OS120 "Community Interest Company" name a legal
        vehicle, so they give cg:Company only when nothing says what the organisation is. The
        publisher's statement (--kind) comes first, then a structure naming a kind, then an
        ownership classification (member-owned: a co-operative); a kind the source's own
        categories say (GeoJSON mapping files) ranks with the structure.
        """
        structure = min(structure_kinds) if structure_kinds else None
        if self.options.kind:
            decided, why = self.options.kind, "--kind"
        elif said is not None:
            decided, why = said, "category"
        elif structure is not None and structure != "company":
            decided, why = structure, "organisational structure"
        elif owned:
            decided, why = "cooperative", "ownership classification"
        elif structure is not None:
            decided, why = structure, "organisational structure"
        else:
            return None
        if structure is not None and structure != decided:
            why += f" (the structure says {structure})"
        self.kinds[f"{decided}: {why}"] += 1
        return decided

    def _classifications(self, row: CsvRow, mapped: MappedRow) -> bool:
        """Legal form, industry (UK SIC 2007) and ownership; whether the row names an owner."""
        subject = mapped.subject
        assert subject is not None
        legal_form = row.get("legal_form")
        if legal_form:
            form = codelists.legal_form(legal_form)
            if form is None:
                try:
                    form = concept(legal_form, "legal-form").iri
                except UnknownCode:
                    message = f"{legal_form!r} is not a legal form of the shipped list"
                    mapped.issues.append(Issue(row.number, row.column("legal_form"), message))
            if form is not None:
                mapped.add(subject, t.ESS_LEGAL_FORM, NamedNode(form))
        codes, unknown = codelists.sic_codes(row.get("sic_code"))
        for code in unknown:
            message = f"{code!r} is not a UK SIC 2007 code"
            mapped.issues.append(Issue(row.number, row.column("sic_code"), message))
        for code in codes:
            mapped.add(subject, t.CG_INDUSTRY, NamedNode(code))
        section_text = row.get("sic_section")
        if section_text:
            section = codelists.sic_section(section_text)
            column = row.column("sic_section")
            if section is None:
                message = f"{section_text!r} is not a UK SIC 2007 section"
                mapped.issues.append(Issue(row.number, column, message))
            elif not codes:
                mapped.add(subject, t.CG_INDUSTRY, NamedNode(section))
            elif all(codelists.section_of(code) != codelists.section_of(section) for code in codes):
                message = f"{section_text!r} is not the section of the SIC Code; the code is kept"
                mapped.issues.append(Issue(row.number, column, message))
        owner = row.get("ownership_classification")
        if not owner:
            return False
        found = codelists.ownership(owner)
        if found is None:
            message = f"{owner!r} is not an ownership classification of the shipped list"
            mapped.issues.append(Issue(row.number, row.column("ownership_classification"), message))
            return False
        mapped.add(subject, t.CG_OWNERSHIP, NamedNode(found))
        return True

    def _one(self, row: CsvRow, mapped: MappedRow, key: str, scheme: str) -> Concept | None:
        cell = row.get(key)
        if not cell:
            return None
        try:
            return concept(cell, scheme)
        except UnknownCode as error:
            mapped.issues.append(Issue(row.number, row.column(key), str(error)))
            return None

    def _many(self, row: CsvRow, mapped: MappedRow, key: str, scheme: str) -> list[Concept]:
        found, problems = concepts(row.get(key), scheme)
        for problem in problems:
            mapped.issues.append(Issue(row.number, row.column(key), problem))
        return found

    def _link(self, mapped: MappedRow, predicate: NamedNode, item: Concept) -> None:
        assert mapped.subject is not None
        mapped.add(mapped.subject, predicate, NamedNode(item.iri))

    def _address(self, row: CsvRow, mapped: MappedRow) -> None:
        assert mapped.subject is not None
        parts = [
            (t.SCHEMA_STREET, "street_address"),
            (t.SCHEMA_LOCALITY, "locality"),
            (t.SCHEMA_REGION, "region"),
            (t.SCHEMA_POSTCODE, "postcode"),
            (t.SCHEMA_COUNTRY, "country_id"),
        ]
        values = [(predicate, tidy(row.get(key))) for predicate, key in parts]
        values = [(predicate, value) for predicate, value in values if value]
        if not values:
            return
        # A hash IRI, not a blank node: it dereferences with its organisation, and importing
        # the same file twice gives the very same triples.
        address = NamedNode(mapped.subject.value + "#address")
        mapped.add(mapped.subject, t.SCHEMA_ADDRESS, address)
        mapped.add(address, RDF_TYPE, t.SCHEMA_POSTAL_ADDRESS)
        for predicate, value in values:
            if predicate == t.SCHEMA_COUNTRY:
                value = value.upper()
            mapped.add(address, predicate, Literal(value))

    def _coordinates(self, row: CsvRow, mapped: MappedRow) -> tuple[float, float] | None:
        subject = mapped.subject
        assert subject is not None
        point = self._point(row, mapped, "latitude", "longitude")
        if point is None:
            point = self._point(row, mapped, "geo_container_latitude", "geo_container_longitude")
        container = row.get("geo_container")
        if container:
            iri = _iri(container)
            if iri is None:
                message = f"{container!r} is not a web address"
                mapped.issues.append(Issue(row.number, row.column("geo_container"), message))
            else:
                mapped.add(subject, t.GEO_SF_WITHIN, iri)
        if point is None:
            return None
        lat, long = point
        mapped.add(subject, t.WGS84_LAT, Literal(lat, datatype=XSD_DECIMAL))
        mapped.add(subject, t.WGS84_LONG, Literal(long, datatype=XSD_DECIMAL))
        geometry = NamedNode(subject.value + "#geometry")
        wkt = Literal(f"POINT({long} {lat})", datatype=t.GEO_WKT_LITERAL)
        mapped.add(subject, t.GEO_HAS_GEOMETRY, geometry)
        mapped.add(geometry, RDF_TYPE, t.GEO_GEOMETRY)
        mapped.add(geometry, t.GEO_AS_WKT, wkt)
        return float(lat), float(long)

    def _point(
        self, row: CsvRow, mapped: MappedRow, lat_key: str, long_key: str
    ) -> tuple[str, str] | None:
        lat_text, long_text = row.get(lat_key), row.get(long_key)
        if not lat_text and not long_text:
            return None
        lat, long = _decimal(lat_text, 90), _decimal(long_text, 180)
        if lat is None or long is None:
            bad_key = lat_key if lat is None else long_key
            value = row.get(bad_key)
            message = f"{value!r} is not a valid coordinate; the row's position is left out"
            mapped.issues.append(Issue(row.number, row.column(bad_key), message))
            return None
        return lat, long

    def _web(self, row: CsvRow, mapped: MappedRow) -> None:
        subject = mapped.subject
        assert subject is not None
        website = row.get("website")
        if website:
            homepage = homepage_iri(website)
            if homepage is None:
                message = f"{website!r} is not a web address; it is left out"
                mapped.issues.append(Issue(row.number, row.column("website"), message))
            else:
                mapped.add(subject, t.FOAF_HOMEPAGE, homepage)
                mapped.homepage = homepage.value
        self._register(row, mapped, "companies_house_number", COMPANIES_HOUSE)
        self._register(row, mapped, "mutuals_register_number", MUTUALS_REGISTER)

    def _register(self, row: CsvRow, mapped: MappedRow, key: str, scheme: IdentifierScheme) -> None:
        """A register number as a typed identifier, org:identifier and the register's page."""
        subject = mapped.subject
        assert subject is not None
        text = row.get(key)
        if not text:
            return
        register = scheme is COMPANIES_HOUSE
        # The Mutuals Public Register has no page addressed by society number: no seeAlso.
        number = companies_house_number(text) if register else mutuals_register_number(text)
        if number is None:
            message = f"{text!r} is not a {scheme.property_id}; it is left out"
            mapped.issues.append(Issue(row.number, row.column(key), message))
            return
        mapped.add(subject, t.ORG_IDENTIFIER, Literal(number))
        mapped.identifiers.append(number)
        mapped.statements += identifier_lines(subject, scheme, number)
        if register:
            page = "https://find-and-update.company-information.service.gov.uk/company/"
            mapped.add(subject, RDFS_SEE_ALSO, NamedNode(page + _path_safe(number)))


def _decimal(text: str, bound: float) -> str | None:
    """`text` as an xsd:decimal lexical form within ±`bound`, or None."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or abs(value) > bound:
        return None
    return format(value, "f").rstrip("0").rstrip(".") if "e" in text.lower() else text.strip()


def homepage_iri(text: str) -> NamedNode | None:
    """A web address as an http(s) IRI, adding the missing scheme; None if it is not one."""
    value = text.strip()
    if "://" not in value:
        value = "http://" + value.lstrip("/")
    parts = urlsplit(value)
    host = parts.hostname or ""
    if (
        parts.scheme.lower() not in ("http", "https")
        or "." not in host
        or " " in value
        or parts.username is not None
    ):
        return None
    try:
        return NamedNode(value)
    except ValueError:
        return None


def _iri(text: str) -> NamedNode | None:
    if not text.startswith(("http://", "https://")):
        return None
    try:
        return NamedNode(text)
    except ValueError:
        return None


def _path_safe(text: str) -> str:
    return "".join(c for c in text if c.isalnum())
