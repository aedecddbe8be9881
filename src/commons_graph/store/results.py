"""What a query gives back: terms, rows, SELECT solutions, booleans or triples."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple
Row = tuple[Term | None, ...]


@dataclass(frozen=True)
class SelectResult:
    """The solutions of a SELECT query, materialised."""

    variables: tuple[str, ...]
    rows: list[Row]

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as a mapping from variable name to bound term."""
        return [
            {
                var: value
                for var, value in zip(self.variables, row, strict=True)
                if value is not None
            }
            for row in self.rows
        ]


QueryResult = SelectResult | bool | list[Triple]
"""What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""
