"""Identifiers as typed identifiers with their scheme: one node per identifier, both an
adms:Identifier (skos:notation typed by the scheme's datatype, adms:schemaAgency) and a
schema:PropertyValue (schema:propertyID, schema:value), on a hash IRI of its organisation."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from commons_graph.importing import terms as t
from commons_graph.rdf.namespaces import RDF_TYPE


@dataclass(frozen=True)
class IdentifierScheme:
    """A register of identifiers: the datatype of its notations and who issues them."""

    key: str  # the identifier node is <organisation#id-KEY>
    datatype: NamedNode
    agency: str
    property_id: str

    def node(self, organisation: NamedNode) -> NamedNode:
        """The identifier node of `organisation` in this scheme."""
        return NamedNode(f"{organisation.value}#id-{self.key}")


COMPANIES_HOUSE = IdentifierScheme(
    "companies-house", t.CG_COMPANIES_HOUSE_NUMBER, "Companies House", "Companies House number"
)
MUTUALS_REGISTER = IdentifierScheme(
    "mutuals-register",
    t.CG_MUTUALS_REGISTER_NUMBER,
    "Financial Conduct Authority",
    "Mutuals Public Register number",
)


def dataset_scheme(dataset: str, agency: str) -> IdentifierScheme:
    """The scheme of a dataset's own row identifiers: its datatype is minted on the dataset."""
    datatype = NamedNode(t.dataset_iri(dataset).value + "#identifier")
    return IdentifierScheme("dataset", datatype, agency, f"{agency} identifier")


_COMPANY = re.compile(r"^(?:[A-Z]{2}\d{6}|\d{8})$")
_SOCIETY = re.compile(r"^[A-Z]{0,3}\d{1,7}[A-Z]{0,3}$")


def companies_house_number(text: str) -> str | None:
    """A Companies House number as registered (8 characters, e.g. 01234567, SC123456), or None.

    Spreadsheets drop leading zeros ("1234567"): digits are padded back to eight.
    """
    value = text.replace(" ", "").upper()
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    return value if _COMPANY.match(value) else None


def mutuals_register_number(text: str) -> str | None:
    """A Mutuals Public Register (FCA) society number (e.g. 1234R, IP30164R), or None."""
    value = text.replace(" ", "").upper()
    return value if _SOCIETY.match(value) else None


def identifier_lines(organisation: NamedNode, scheme: IdentifierScheme, value: str) -> list[str]:
    """The statements (N-Triples lines) saying `organisation` has `value` in `scheme`."""
    org = str(organisation)
    node = f"<{organisation.value}#id-{scheme.key}>"
    notation = Literal(value, datatype=scheme.datatype)
    return [
        f"{org} {_ADMS_IDENTIFIER} {node} .\n",
        f"{org} {_SCHEMA_IDENTIFIER} {node} .\n",
        *(line.format(node=node) for line in _constant_lines(scheme)),
        f"{node} {_NOTATION} {notation} .\n",
        f"{node} {_VALUE} {Literal(value)} .\n",
    ]


_ADMS_IDENTIFIER = str(t.ADMS_IDENTIFIER)
_SCHEMA_IDENTIFIER = str(t.SCHEMA_IDENTIFIER)
_NOTATION = str(t.SKOS_NOTATION)
_VALUE = str(t.SCHEMA_VALUE)


@functools.cache
def _constant_lines(scheme: IdentifierScheme) -> tuple[str, ...]:
    """The statements every identifier of `scheme` has, with `{node}` for the identifier."""
    lines = [
        (RDF_TYPE, t.ADMS_IDENTIFIER_CLASS),
        (RDF_TYPE, t.SCHEMA_PROPERTY_VALUE),
        (t.ADMS_SCHEMA_AGENCY, Literal(scheme.agency)),
        (t.SCHEMA_PROPERTY_ID, Literal(scheme.property_id)),
    ]
    # Braces of the agency's text must not be read as a format field.
    return tuple("{node} " + f"{p} {o} .\n".replace("{", "{{").replace("}", "}}") for p, o in lines)
