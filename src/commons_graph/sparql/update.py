"""SPARQL 1.1 Update for admins: evaluated without network on a copy, committed as a ChangeSet.

An update never runs on the live store. It runs in a sandboxed child process
(`sparql/update_worker.py`: no network at all) on a private copy of the data, which gives the
change it makes (quads removed and added); that change is then committed like every other
write (`Store.commit`): one transaction on the embedded store, one request on a remote one,
sealed #CodeSocial versions refused by `ChangeSet.check_sealed`, the store's generation bumped
so that caches, lists and query snapshots see it. The server only ever sends the store
`DROP`/`DELETE DATA`/`INSERT DATA` text it wrote itself.

The text is read by rdflib too, but only to give clear messages (LOAD and SERVICE are refused
up front; a `USING` clause cannot be combined with the protocol's `using-graph-uri`): no
guarantee rests on the two parsers agreeing.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from commons_graph.errors import BadInputError, CommonsGraphError
from commons_graph.formats import rdf_format
from commons_graph.store.base import (
    SEALED_GRAPH_PREFIXES,
    ChangeSet,
    QuerySyntaxError,
    Store,
)
from commons_graph.store.embedded import EmbeddedStore

log = logging.getLogger("commons_graph.audit")

# An update racing other writes is evaluated again on fresh data, at most this many times.
_ATTEMPTS = 3


class UpdateRefusedError(BadInputError):
    """An update the service will not run: `key` names the reason (a message key)."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


class UpdateEvaluationError(BadInputError):
    """The update parsed but failed while evaluated (a bad IRI, a failed LOAD, …)."""


class UpdateUnavailableError(CommonsGraphError):
    """The update could not be evaluated now: timeout, busy store, or no sandbox."""

    status = 503

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


@dataclass(frozen=True)
class UpdateRequest:
    """An update as the protocol delivers it: its text and the dataset parameters."""

    text: str
    using_graphs: tuple[str, ...] = ()
    using_named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class UpdateReceipt:
    """What an applied update did, counted."""

    digest: str
    dropped_graphs: int
    removed: int
    added: int


def digest(text: str) -> str:
    """The SHA-256 of an update's text, as recorded in the audit line."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepared_text(request: UpdateRequest) -> str:
    """The text to evaluate: checked for LOAD and SERVICE, with the protocol's dataset."""
    _refuse_fetching_clauses(request.text)
    if not (request.using_graphs or request.using_named_graphs):
        return request.text
    return _with_protocol_dataset(request)


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
_TOKEN = re.compile(
    r"""(?P<skip><[^<>"{}|^`\\\x00-\x20]*>|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\#[^\n]*"""
    r'|"""(?:[^\\]|\\.)*?"""'
    r"""|'''(?:[^\\]|\\.)*?''')|(?P<open>\{)|(?P<close>\})"""
    r"""|(?P<word>[A-Za-z_][A-Za-z_0-9]*)""",
    re.DOTALL,
)


def _with_protocol_dataset(request: UpdateRequest) -> str:
    """The update with `USING`/`USING NAMED` clauses for the protocol's dataset parameters,
    before each DELETE/INSERT operation's WHERE (400 if the update names its own)."""
    algebra = _parsed(request.text)
    if algebra is None:
        raise QuerySyntaxError("the update does not parse")
    for operation in algebra.algebra:  # type: ignore[attr-defined]
        # rdflib's CompValue.get answers a missing key with its name: test membership.
        if operation.name == "Modify" and ("using" in operation or "withClause" in operation):
            raise UpdateRefusedError("update.dataset_conflict")
    clauses = " ".join(
        [f"USING <{_iri(g)}>" for g in request.using_graphs]
        + [f"USING NAMED <{_iri(g)}>" for g in request.using_named_graphs]
    )
    pieces: list[str] = []
    depth, last, previous_word = 0, 0, ""
    for match in _TOKEN.finditer(request.text):
        if match.group("open"):
            depth += 1
        elif match.group("close"):
            depth = max(0, depth - 1)
        elif match.group("word") and depth == 0:
            word = match.group("word").upper()
            # `DELETE WHERE` takes no USING clause: its WHERE is left alone.
            if word == "WHERE" and previous_word != "DELETE":
                pieces.append(request.text[last : match.start()] + clauses + " ")
                last = match.start()
            previous_word = word
    pieces.append(request.text[last:])
    return "".join(pieces)


def _iri(value: str) -> str:
    """`value` checked as an absolute IRI, for a USING clause."""
    try:
        return ox.NamedNode(value).value
    except ValueError:
        raise UpdateRefusedError("update.bad_graph", iri=value) from None


class UpdateRunner:
    """Runs admins' updates one at a time on a store, each in a fresh sandboxed process."""

    def __init__(self, store: Store, base_iri: str, timeout: float) -> None:
        self.store = store
        self.base_iri = base_iri
        self.timeout = timeout
        self._lock = threading.Lock()
        self._root: Path | None = None
        if isinstance(store, EmbeddedStore):
            # Copies left by a process that died during an update belong to nobody now.
            self._root = store.path.parent / f"{store.path.name}.updates"
            shutil.rmtree(self._root, ignore_errors=True)
            self._root.mkdir(parents=True)

    def apply(self, request: UpdateRequest, who: str) -> UpdateReceipt:
        """Evaluate `request` in the sandbox and commit the change it makes, all or nothing."""
        text = prepared_text(request)
        with self._lock:
            for _ in range(_ATTEMPTS):
                generation = self.store.generation
                changes = self._evaluate(text)
                if self.store.generation != generation:
                    continue  # someone wrote meanwhile: evaluate on the new data
                self.store.commit(changes)
                break
            else:
                raise UpdateUnavailableError("update.busy")
        receipt = UpdateReceipt(
            digest(request.text), len(changes.drop_graphs), len(changes.delete), len(changes.insert)
        )
        log.info(
            "admin update by %s: sha256 %s, %d graphs dropped, %d quads removed, %d added",
            who,
            receipt.digest,
            receipt.dropped_graphs,
            receipt.removed,
            receipt.added,
        )
        return receipt

    def _evaluate(self, text: str) -> ChangeSet:
        """The change `text` makes to the store's current data."""
        from commons_graph.sparql.update_worker import Failure, UpdateJob, run_in_sandbox

        scope = write_scope(text)
        watched = SEALED_GRAPH_PREFIXES
        # Beside the embedded store: hard links need the same file system.
        scratch_root = None if self._root is None else str(self._root)
        with tempfile.TemporaryDirectory(prefix="update-", dir=scratch_root) as scratch:
            folder = Path(scratch)
            if isinstance(self.store, EmbeddedStore):
                original, working = folder / "original", folder / "working"
                self.store.checkpoint(original)
                self.store.checkpoint(working)
                job = UpdateJob(text, self.base_iri, str(original), str(working), scope, watched)
            else:
                with (folder / "data.nq").open("wb") as output:
                    self.store.dump(output, rdf_format("nquads"))
                job = UpdateJob(text, self.base_iri, str(folder / "data.nq"), None, scope, watched)
            outcome = run_in_sandbox(job, self.timeout)
        if isinstance(outcome, Failure):
            if outcome.kind == "syntax":
                raise QuerySyntaxError(outcome.message)
            if outcome.kind == "blank_nodes":
                raise UpdateRefusedError("update.blank_nodes", detail=outcome.message)
            if outcome.kind == "sandbox":
                raise UpdateUnavailableError("update.no_sandbox")
            raise UpdateEvaluationError(outcome.message)
        return ChangeSet(
            drop_graphs=[ox.NamedNode(g) for g in outcome.drop_graphs],
            delete=list(ox.parse(outcome.removed, ox.RdfFormat.N_QUADS)),
            insert=list(ox.parse(outcome.added, ox.RdfFormat.N_QUADS)),
        )
