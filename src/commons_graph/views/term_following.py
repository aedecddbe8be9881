"""The term labels follow writes (store/derived.py's Follower): most writes change none.

The term labels (`views/labels.py` `term_labels`) are the labels of the store's classes,
properties and concepts, which every page names; computing them reads every typed term (80 ms at
a million statements), and a page after each write used to wait for that. A write changes them
only if it types or untypes a resource as a term, or changes the label of a term they hold; a
label given to anything else is not theirs (a term that had no label is looked up per page, as
before). Any write whose statements are not known (a load, a stream, a dropped graph) makes
them computed again whole.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from pyoxigraph import NamedNode, Triple

from commons_graph.store.base import Store
from commons_graph.store.listeners import StoreChange

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
# Past this many labelled resources in the writes of one refresh, checking each is not worth it.
_MAX_LABELLED = 10_000
# A write of more statements than this (an import's piece, not a contribution: at most 10,000)
# is not looked through in the writer's thread: the labels are read again whole instead.
MAX_STATEMENTS = 100_000


@dataclass
class TermNotes:
    """What the writes since the last refresh did that the term labels may depend on."""

    whole: bool = False
    labelled: set[str] = field(default_factory=set)


class TermLabelsFollower:
    """Keeps the term labels across writes that cannot have changed them."""

    def __init__(self, term_classes: frozenset[str], label_properties: frozenset[str]) -> None:
        self.term_classes = term_classes
        self.label_properties = label_properties
        self._lock = threading.Lock()
        self._notes = TermNotes()

    def note(self, store: Store, change: StoreChange) -> None:
        """Take note of the terms typed and the resources labelled by a successful write."""
        with self._lock:
            notes = self._notes
            if notes.whole:
                return
            written = change.written
            if change.graphs is None or written is None or written.drop_graphs:
                notes.whole = True  # what it removed or added is not known statement by statement
                return
            if len(written.delete) + len(written.insert) > MAX_STATEMENTS:
                notes.whole = True
                return
            for quads in (written.delete, written.insert):
                for quad in quads:
                    predicate = quad.predicate.value
                    if predicate == RDF_TYPE:
                        if (
                            isinstance(quad.object, NamedNode)
                            and quad.object.value in self.term_classes
                        ):
                            notes.whole = True
                            return
                    elif predicate in self.label_properties and isinstance(quad.subject, NamedNode):
                        notes.labelled.add(quad.subject.value)
                        if len(notes.labelled) > _MAX_LABELLED:
                            notes.whole = True
                            return

    def take(self) -> TermNotes:
        """The notes so far; the next write starts new ones."""
        with self._lock:
            notes, self._notes = self._notes, TermNotes()
        return notes

    def apply(
        self, store: Store, value: dict[str, list[Triple]], notes: object
    ) -> dict[str, list[Triple]] | None:
        """The same labels when no write typed a term nor labelled one they hold; else None."""
        assert isinstance(notes, TermNotes)
        if notes.whole or any(iri in value for iri in notes.labelled):
            return None
        return value
