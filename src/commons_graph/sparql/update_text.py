"""Reading an update's text with rdflib: LOAD and SERVICE, the graphs it writes, `USING`.

Runs in the update's sandboxed process (`sparql/update_worker.py`), never in the server: rdflib's
parser takes seconds on a large update (17 s for 100 KB here), which the server's threads would
feel, while the sandbox has a time limit. Nothing here is a guarantee that rests on rdflib
reading the text as Oxigraph does: LOAD and SERVICE are refused for a clear message (the sandbox
has no network either way), the write scope is a speed-up checked by the quad count (and sealed
graphs are always compared), and a misplaced `USING` gives a syntax error or another dataset.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

import pyoxigraph as ox

from commons_graph.errors import BadInputError
from commons_graph.sparql.grammar import IRIREF


class UpdateRefusedError(BadInputError):
    """An update the service will not run: `key` names the reason (a message key)."""


def prepared_text(
    text: str, using_graphs: Sequence[str] = (), using_named_graphs: Sequence[str] = ()
) -> str:
    """The text to evaluate: checked for LOAD and SERVICE, with the protocol's dataset."""
    _refuse_fetching_clauses(text)
    if not (using_graphs or using_named_graphs):
        return text
    return _with_protocol_dataset(text, using_graphs, using_named_graphs)


@functools.lru_cache(maxsize=2)
def _parsed(text: str) -> object | None:
    """rdflib's algebra of the update, or None if rdflib cannot read it."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        return translateUpdate(parseUpdate(text))
    except ParseException:
        return None
    except Exception:  # noqa: BLE001 - rdflib raises bare Exception (unknown prefix, …)
        return None


_FETCHING = re.compile(r"load|service|\\u|\\U", re.IGNORECASE)


def _refuse_fetching_clauses(text: str) -> None:
    """Refuse LOAD and SERVICE with a clear message (the sandbox stops them regardless)."""
    if not _FETCHING.search(text):
        return
    algebra = _parsed(text)
    if algebra is None:
        # Oxigraph will say what is wrong with the syntax; if it reads a LOAD or SERVICE that
        # rdflib could not, the sandbox has no network for it to use.
        return
    for name in _node_names(algebra):
        if name == "Load":
            raise UpdateRefusedError("update.forbidden_clause", clause="LOAD")
        if name == "ServiceGraphPattern":
            raise UpdateRefusedError("update.forbidden_clause", clause="SERVICE")


def _node_names(node: object) -> list[str]:
    """The names of every node in rdflib's algebra tree."""
    from rdflib.plugins.sparql.parserutils import CompValue

    names: list[str] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            names.append(item.name)
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif hasattr(item, "algebra"):
            stack.append(item.algebra)
    return names


# The default graph, among the graphs an update may write.
DEFAULT_GRAPH = ""


def write_scope(text: str) -> tuple[str, ...] | None:
    """The graphs the update may change (`DEFAULT_GRAPH` for the default one), as rdflib reads
    it; None when that is not known (a graph variable, `CLEAR ALL`, or rdflib cannot read it).

    Only a speed-up: the sandbox compares just these graphs before and after the update, and
    falls back to comparing all of them when the number of quads says it missed a change.
    """
    algebra = _parsed(text)
    if algebra is None:
        return None
    graphs: set[str] = set()
    for operation in algebra.algebra:  # type: ignore[attr-defined]
        written = _written_graphs(operation)
        if written is None:
            return None
        graphs |= written
    return tuple(sorted(graphs))


def _written_graphs(operation: Any) -> set[str] | None:
    """The graphs one operation of rdflib's algebra may change, or None if any."""
    from rdflib.term import URIRef

    def graph(term: object) -> str | None:
        if term == "DEFAULT":
            return DEFAULT_GRAPH
        return str(term) if isinstance(term, URIRef) else None

    name = operation.name
    targets: list[object] = []
    if name in ("InsertData", "DeleteData", "DeleteWhere"):
        targets = list(operation["quads"])
        if operation["triples"]:
            targets.append("DEFAULT")
    elif name == "Modify":
        # Not CompValue.get: its second argument is not a default.
        default = operation["withClause"] if "withClause" in operation else "DEFAULT"  # noqa: SIM401
        for clause in ("delete", "insert"):
            if clause in operation and operation[clause] is not None:
                targets += list(operation[clause]["quads"])
                if operation[clause]["triples"]:
                    targets.append(default)
    elif name in ("Clear", "Drop", "Create"):
        targets = [operation["graphiri"]]
    elif name in ("Add", "Copy"):
        targets = [operation["graph"][1]]
    elif name == "Move":
        targets = list(operation["graph"])
    else:
        return None
    found = {graph(target) for target in targets}
    return None if None in found else {g for g in found if g is not None}


# The top-level WHERE of a DELETE/INSERT operation, found by a small lexer that skips IRIs,
# strings and comments. Where it errs, the result is a syntax error or another dataset in the
# sandbox, never a fetch or a sealed graph changed.
_TRIPLE_DOUBLE = r'"""(?:[^\\]|\\.)*?"""'
_TRIPLE_SINGLE = r"'{3}(?:[^\\]|\\.)*?'{3}"
_DOUBLE = r'"(?:[^"\\\n]|\\.)*"'
_SINGLE = r"'(?:[^'\\\n]|\\.)*'"
_IRI = IRIREF
_COMMENT = r"\#[^\n]*"
_TOKEN = re.compile(
    f"(?P<skip>{_TRIPLE_DOUBLE}|{_TRIPLE_SINGLE}|{_DOUBLE}|{_SINGLE}|{_IRI}|{_COMMENT})"
    r"|(?P<open>\{)|(?P<close>\})|(?P<word>[A-Za-z_][A-Za-z_0-9]*)",
    re.DOTALL,
)


def _with_protocol_dataset(
    text: str, using_graphs: Sequence[str], using_named_graphs: Sequence[str]
) -> str:
    """The update with `USING`/`USING NAMED` clauses for the protocol's dataset parameters,
    before each DELETE/INSERT operation's WHERE (400 if the update names its own)."""
    algebra = _parsed(text)
    if algebra is None:
        raise UpdateRefusedError("update.dataset_unreadable")
    for operation in algebra.algebra:  # type: ignore[attr-defined]
        # rdflib's CompValue.get answers a missing key with its name: test membership.
        if operation.name == "Modify" and ("using" in operation or "withClause" in operation):
            raise UpdateRefusedError("update.dataset_conflict")
    clauses = " ".join(
        [f"USING <{_iri(g)}>" for g in using_graphs]
        + [f"USING NAMED <{_iri(g)}>" for g in using_named_graphs]
    )
    pieces: list[str] = []
    depth, last, previous_word = 0, 0, ""
    for match in _TOKEN.finditer(text):
        if match.group("open"):
            depth += 1
        elif match.group("close"):
            depth = max(0, depth - 1)
        elif match.group("word") and depth == 0:
            word = match.group("word").upper()
            # `DELETE WHERE` takes no USING clause: its WHERE is left alone.
            if word == "WHERE" and previous_word != "DELETE":
                pieces.append(text[last : match.start()] + clauses + " ")
                last = match.start()
            previous_word = word
    pieces.append(text[last:])
    return "".join(pieces)


def _iri(value: str) -> str:
    """`value` checked as an absolute IRI, for a USING clause."""
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise UpdateRefusedError("update.bad_graph", iri=value) from None
