"""The map's answers written ahead of its visitors: every located organisation, in each site
language, as `/map` asks for it (`?properties=label`), gzipped (at zlib's best level: no one
waits for it) and kept (geo/cache.py) once the indexes are built at start, and again a little
after writes.

Without it the first visitor after a start or a write waited for the whole answer to be
written and compressed (about a second at 100k organisations on a loaded machine); with it,
every visitor gets a kept copy, except in the seconds between a write and the end of the next
warming, when the answer is written for them as before. After writes it warms only when the
map was asked for since the last warming (a service whose map nobody opens does not rebuild
its indexes after every write for it; the first visitor writes the answer, as before).
"""

from __future__ import annotations

import logging
import threading

from commons_graph.geo.cache import Kept, answer_cache
from commons_graph.geo.compress import BEST, gzip_stream
from commons_graph.geo.geojson import collect, parse_properties, write_geojson
from commons_graph.geo.points import located_index
from commons_graph.i18n import LANGUAGES
from commons_graph.logs import log_failure
from commons_graph.relations.iris import DERIVED_RELATIONS_GRAPH
from commons_graph.store.base import Store
from commons_graph.store.derived import wait_current
from commons_graph.store.listeners import StoreChange
from commons_graph.views.kinds import KINDS
from commons_graph.views.listing import list_index
from commons_graph.web.geojson_answers import MAP_PROPERTIES, answer_key, credit_headers

log = logging.getLogger("commons_graph.web")

# Graphs the service writes itself after a write: they keep a warm map warm.
DERIVED_GRAPHS = frozenset({DERIVED_RELATIONS_GRAPH})

# Writes come in bursts (an import, a member's edits): warm once they pause this long.
SETTLE_SECONDS = 2.0
# ... but no later than this after the first of them.
MAX_DELAY_SECONDS = 30.0
# How long to wait for the indexes a warming reads (built in the background after a write).
INDEX_TIMEOUT_SECONDS = 900.0


def warm_map(
    store: Store, timeout: float = INDEX_TIMEOUT_SECONDS, stop: threading.Event | None = None
) -> int:
    """Write and keep the map's answer in each site language from the current indexes
    (waiting for them if they are being built, unless `stop` is set); returns how many were
    kept."""
    kind = KINDS["organisations"]
    properties = parse_properties(MAP_PROPERTIES)
    lists, places = list_index(store, kind), located_index(store)
    if not (
        wait_current(store, "geo/located", timeout, stop)
        and wait_current(store, f"list-index/{kind.key}", timeout, stop)
    ):
        return 0
    lists, places = list_index(store, kind), located_index(store)
    cache = answer_cache(store)
    kept = 0
    for lang in LANGUAGES:
        members = lists.select(kind, lang, {}).members
        collection = collect(store, places, members, kind.key, lang)
        # No `url` asked for: the server's address is not written.
        text = (chunk.encode() for chunk in write_geojson(collection, "", properties))
        packed = b"".join(gzip_stream(text, level=BEST))
        key = answer_key(kind, lang, {}, properties, "")
        cache.put(key, Kept(packed, credit_headers(collection), (lists, places)))
        kept += 1
    return kept


class MapWarmer:
    """A background thread that warms the map's answers at start and after writes."""

    def __init__(self, store: Store, settle: float = SETTLE_SECONDS) -> None:
        self.store = store
        self.settle = settle
        self._changed = threading.Event()
        self._stopping = threading.Event()
        # Set when the map's answer is asked for: the next write warms it again.
        self._asked = threading.Event()
        # Whether the last warming's answers are in use (warmed, not skipped since): a write
        # the service derives from another (the derived relations, a moment after a member's
        # write) must not leave the map cold just because nobody asked in between.
        self._warm = False
        # Warmings done (for tests and diagnostics).
        self.warmed = 0
        self._listener = self._on_change
        self._thread = threading.Thread(
            target=self._run, name="commons-graph-map-warming", daemon=True
        )

    def start(self) -> MapWarmer:
        """Warm now (in the thread), then after writes; returns at once."""
        self.store.add_change_listener(self._listener)
        self._changed.set()
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop listening and warming."""
        self.store.remove_change_listener(self._listener)
        self._stopping.set()
        self._changed.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def asked(self) -> None:
        """The map's answer was asked for: keep it warm after the next writes."""
        self._asked.set()

    def _on_change(self, store: Store, change: StoreChange) -> None:
        if self._warm and change.graphs and change.graphs <= DERIVED_GRAPHS:
            self._asked.set()
        self._changed.set()

    def _run(self) -> None:
        first = True
        while not self._stopping.is_set():
            self._changed.wait()
            self._changed.clear()
            if not first and not self._asked.is_set():
                self._warm = False
                continue
            first = False
            waited = 0.0
            # Until the writes pause (bounded: a steady stream of writes still gets a map).
            while waited < MAX_DELAY_SECONDS and not self._stopping.is_set():
                if not self._changed.wait(self.settle):
                    break
                self._changed.clear()
                waited += self.settle
            if self._stopping.is_set():
                return
            self._asked.clear()
            try:
                warm_map(self.store, stop=self._stopping)
            except Exception:
                # The store may be closing: the first visitor writes the answer instead.
                log_failure(log, "warming the map's answers failed")
            else:
                self.warmed += 1
                self._warm = True
