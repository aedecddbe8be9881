"""Telling a SPARQL Update apart from a malformed query, to answer 403 rather than 400."""

from __future__ import annotations


def looks_like_update(text: str) -> bool:
    """Whether `text` parses as a SPARQL Update (only asked once the query parser refused it)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(text)
    except ParseException:
        return False
    except Exception:  # noqa: BLE001 - rdflib raises bare Exception for unknown prefixes
        return False
    return True
