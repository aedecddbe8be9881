"""SPARQL 1.1 Update for admins: evaluated without network on a copy, committed as a ChangeSet.

An update never runs on the live store. It runs in a sandboxed child process
(`sparql/update_worker.py`: no network at all) on a private copy of the data, which gives the
change it makes (quads removed and added); that change is then committed like every other
write (`Store.commit`): one transaction on the embedded store, one request on a remote one,
sealed #CodeSocial versions refused by `ChangeSet.check_sealed`, the store's generation bumped
so that caches, lists and query snapshots see it. The server only ever sends the store
`DROP`/`DELETE DATA`/`INSERT DATA` text it wrote itself.

The sandbox also reads the text with rdflib (`sparql/update_text.py`), for clear messages and
speed only: no guarantee rests on the two parsers agreeing.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox

from commons_graph.errors import BadInputError, UnavailableError
from commons_graph.rdf.formats import rdf_format
from commons_graph.sparql.update_text import UpdateRefusedError
from commons_graph.store.base import Store
from commons_graph.store.changes import ChangeSet
from commons_graph.store.embedded import EmbeddedStore
from commons_graph.store.errors import QuerySyntaxError
from commons_graph.store.sealing import SEALED_GRAPH_PREFIXES

log = logging.getLogger("commons_graph.audit")

# An update racing other writes is evaluated again on fresh data, at most this many times.
_ATTEMPTS = 3


class UpdateEvaluationError(BadInputError):
    """The update parsed but failed while evaluated (a bad IRI, a failed LOAD, …)."""


class UpdateUnavailableError(UnavailableError):
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
        with self._lock:
            for _ in range(_ATTEMPTS):
                generation = self.store.generation
                changes = self._evaluate(request)
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

    def _evaluate(self, request: UpdateRequest) -> ChangeSet:
        """The change `request` makes to the store's current data."""
        from commons_graph.sparql.update_worker import Failure, UpdateJob, run_in_sandbox

        job = UpdateJob(
            request.text,
            self.base_iri,
            original="",
            using_graphs=request.using_graphs,
            using_named_graphs=request.using_named_graphs,
            watched=SEALED_GRAPH_PREFIXES,
        )
        # Beside the embedded store: hard links need the same file system.
        scratch_root = None if self._root is None else str(self._root)
        with tempfile.TemporaryDirectory(prefix="update-", dir=scratch_root) as scratch:
            folder = Path(scratch)
            if isinstance(self.store, EmbeddedStore):
                original, working = folder / "original", folder / "working"
                self.store.checkpoint(original)
                self.store.checkpoint(working)
                job = replace(job, original=str(original), working=str(working))
            else:
                with (folder / "data.nq").open("wb") as output:
                    self.store.dump(output, rdf_format("nquads"))
                job = replace(job, original=str(folder / "data.nq"))
            outcome = run_in_sandbox(job, self.timeout)
        if isinstance(outcome, Failure):
            if outcome.kind == "syntax":
                raise QuerySyntaxError("store.query_syntax", detail=outcome.message)
            if outcome.kind == "refused":
                raise UpdateRefusedError(outcome.message, **json.loads(outcome.detail or "{}"))
            if outcome.kind == "blank_nodes":
                raise UpdateRefusedError("update.blank_nodes", detail=outcome.message)
            if outcome.kind == "sandbox":
                raise UpdateUnavailableError("update.no_sandbox")
            raise UpdateEvaluationError("sparql.error.evaluation", detail=outcome.message)
        return ChangeSet(
            drop_graphs=[ox.NamedNode(g) for g in outcome.drop_graphs],
            delete=list(ox.parse(outcome.removed, ox.RdfFormat.N_QUADS)),
            insert=list(ox.parse(outcome.added, ox.RdfFormat.N_QUADS)),
        )
