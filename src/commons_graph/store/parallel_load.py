"""Bulk-loading a large N-Triples or N-Quads file on several threads, one slice each."""

from __future__ import annotations

import io
import mmap
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox

from commons_graph.rdf.formats import Format

# Formats with one statement per line, which a slice cut at a line break keeps whole.
LINE_FORMATS = frozenset({"ntriples", "nquads"})

# Oxigraph's bulk loader parses a batch of about a million statements, then sorts and writes
# it while parsing the next: on a file of one or two batches it keeps one core busy, and slices
# loaded side by side use the others (1M N-Triples in 4.5 s instead of 9.2 s on 2 cores, the
# same ~1 GB at the peak). On larger files it keeps the cores busy itself, with RocksDB's
# compactions, and each slice's loader holds batches of its own: 3.5M statements (530 MB) took
# 26-31 s instead of 33-36 s but 2.6 GB instead of 1.7 GB, 10M 92 s instead of 102 s but 3.4 GB
# instead of 1.9 GB. So files over _MAX_SLICED_BYTES are loaded whole. Slices under
# _MIN_SLICE_BYTES are not worth a thread.
_MIN_SLICE_BYTES = 16 * 1024 * 1024
_MAX_SLICED_BYTES = 256 * 1024 * 1024
_MAX_SLICES = 8

_READ_BYTES = 1024 * 1024
_LINE_NUMBER = re.compile(r"(?<=line )\d+")


def bulk_load_file(
    store: ox.Store, path: Path, fmt: Format, to_graph: ox.NamedNode, base_iri: str
) -> None:
    """Bulk-load the file at `path` into `store`, in slices side by side where it can be."""
    slices = line_slices(path, slice_count(path, fmt.name))
    if len(slices) < 2:
        store.bulk_load(path=str(path), format=fmt.oxigraph, to_graph=to_graph, base_iri=base_iri)
    else:
        bulk_load_in_slices(store, path, fmt.oxigraph, to_graph, slices)


def slice_count(path: Path, fmt_name: str) -> int:
    """How many slices `path` is loaded in: one unless it is line-based, large and has no
    blank node (each load names its blank nodes anew, so `_:b` in two slices would be two)."""
    size = path.stat().st_size
    slices = min(_usable_cores(), _MAX_SLICES, size // _MIN_SLICE_BYTES)
    if fmt_name not in LINE_FORMATS or slices < 2 or size > _MAX_SLICED_BYTES:
        return 1
    return 1 if _may_hold_blank_nodes(path) else slices


def _usable_cores() -> int:
    """The cores this process may run on: its CPU affinity where the platform tells it."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _may_hold_blank_nodes(path: Path) -> bool:
    """Whether `_:` occurs anywhere in the file (a literal holding it counts: safe side)."""
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
        return view.find(b"_:") != -1


def line_slices(path: Path, count: int) -> list[tuple[int, int]]:
    """`count` byte ranges covering the file, each cut just after a line break."""
    size = path.stat().st_size
    if count < 2:
        return [(0, size)]
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as view:
        cuts = [0]
        for index in range(1, count):
            end_of_line = view.find(b"\n", max(cuts[-1], size * index // count))
            cuts.append(size if end_of_line == -1 else end_of_line + 1)
    cuts.append(size)
    return [(start, end) for start, end in zip(cuts, cuts[1:], strict=False) if start < end]


def bulk_load_in_slices(
    store: ox.Store,
    path: Path,
    fmt: ox.RdfFormat,
    to_graph: ox.NamedNode,
    slices: list[tuple[int, int]],
) -> None:
    """Bulk-load each slice of `path` on a thread of its own, all to their end.

    Every load is waited for before any error is raised, so that the caller may put the store
    back; a syntax error is the first in the file, its line numbers counted from the file's start.
    """
    with (
        path.open("rb") as file,
        ThreadPoolExecutor(len(slices), thread_name_prefix="bulk-load") as pool,
    ):
        loads = [
            pool.submit(
                store.bulk_load,
                io.BufferedReader(_ByteRange(file.fileno(), start, end), _READ_BYTES),
                fmt,
                to_graph=to_graph,
            )
            for start, end in slices
        ]
        errors = [load.exception() for load in loads]
    for (start, _), error in zip(slices, errors, strict=True):
        if isinstance(error, SyntaxError):
            raise SyntaxError(_renumbered(str(error), _lines_before(path, start))) from None
        if error is not None:
            raise error


def _lines_before(path: Path, offset: int) -> int:
    """The number of lines in the first `offset` bytes of `path`."""
    lines = 0
    with path.open("rb") as file:
        while offset > 0 and (piece := file.read(min(offset, 64 * _READ_BYTES))):
            lines += piece.count(b"\n")
            offset -= len(piece)
    return lines


def _renumbered(message: str, lines_before: int) -> str:
    """Oxigraph's message about a slice, with its line numbers made the file's."""
    return _LINE_NUMBER.sub(lambda number: str(int(number.group()) + lines_before), message)


class _ByteRange(io.RawIOBase):
    """Reads bytes `start` to `end` of an open file, by position (threads share the file)."""

    def __init__(self, fileno: int, start: int, end: int) -> None:
        super().__init__()
        self._fileno, self._position, self._end = fileno, start, end

    def readable(self) -> bool:
        """It is read, never written."""
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        """Fill `buffer` with the next bytes of the range; 0 at its end."""
        wanted = min(len(buffer), self._end - self._position)
        if wanted <= 0:
            return 0
        data = os.pread(self._fileno, wanted, self._position)
        buffer[: len(data)] = data
        self._position += len(data)
        return len(data)
