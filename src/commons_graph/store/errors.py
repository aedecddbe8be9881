"""The store's errors: unreachable or failing, a query that does not parse, a sealed graph."""

from __future__ import annotations

from commons_graph.errors import BadInputError, CommonsGraphError, ConflictError


class StoreError(CommonsGraphError):
    """The store could not be opened, read or written; the message says why in one line."""


class QuerySyntaxError(BadInputError):
    """A SPARQL query or update that does not parse."""


class SealedGraphError(ConflictError):
    """A write that would change a sealed (published, immutable) named graph."""

    status = 409
