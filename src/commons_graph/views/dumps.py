"""Dumps of the whole store: streamed from a thread through a pipe, named by content version."""

from __future__ import annotations

import gzip
import os
import threading
import weakref
from collections.abc import Iterator
from typing import BinaryIO, cast

from commons_graph.errors import NotFoundError
from commons_graph.rdf.formats import Format
from commons_graph.store.base import Store
from commons_graph.store.content_version import VersionHash, content_version, is_version
from commons_graph.store.derived import derived
from commons_graph.store.dumping import write_quads

CHUNK = 64 * 1024


def stream_dump(
    store: Store, fmt: Format, *, compress: bool = False, version: str | None = None
) -> Iterator[bytes]:
    """The store serialised in `fmt` (gzip-compressed if asked), chunk by chunk.

    A thread writes the dump into a pipe while the caller reads from it, so the whole dump
    never sits in memory; if the reader stops early (client gone), closing the pipe makes the
    writer fail with a broken pipe and end. On a store others may write to, the dump is checked
    against the `version` it is named by as it streams (`_dump_checked`).
    """
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            with os.fdopen(write_fd, "wb", buffering=CHUNK) as raw:
                if compress:
                    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as packed:
                        _dump(store, cast(BinaryIO, packed), fmt, version)
                else:
                    _dump(store, raw, fmt, version)
        except BrokenPipeError:
            pass
        except BaseException as error:  # noqa: BLE001 - handed to the reading side below
            failure.append(error)

    writer = threading.Thread(target=write, name="dump-writer", daemon=True)
    writer.start()
    reader = os.fdopen(read_fd, "rb", buffering=0)
    try:
        while chunk := reader.read(CHUNK):
            yield chunk
    finally:
        reader.close()
        writer.join()
    if failure:
        raise failure[0]


def _dump(store: Store, output: BinaryIO, fmt: Format, version: str | None) -> None:
    if version is None or store.sees_all_writes:
        store.dump(output, fmt)
    else:
        _dump_checked(store, output, fmt, version)


class VersionChanged(RuntimeError):
    """The content a dump streamed is not the version it was named by: it is cut off."""


def _dump_checked(store: Store, output: BinaryIO, fmt: Format, version: str) -> None:
    """Dump a store others may write to, hashing the quads as they go out: when they are not
    the version the response named (another process wrote since it was computed), the dump
    fails before its end, so that no complete dump names a version it does not hold; the
    version it did hold is kept as current for the next request."""
    generation = store.generation
    hashed = VersionHash()
    write_quads(hashed.seen(store.quads()), output, fmt)
    if hashed.version == version:
        return
    if store.generation == generation:
        with _REMOTE_LOCK:
            _REMOTE[store] = (generation, hashed.version)
        _served(store)["version"] = hashed.version
    raise VersionChanged(f"the store changed while it was dumped: {hashed.version}")


class VersionGone(NotFoundError):
    """A dump was asked for as of a version the store no longer holds (410 Gone)."""

    status = 410


# The content version of each store others may write to, with the generation it was computed
# at: kept until this process writes (not expired with time), and checked by each dump.
_REMOTE: weakref.WeakKeyDictionary[Store, tuple[int, str]] = weakref.WeakKeyDictionary()
_REMOTE_LOCK = threading.Lock()


def current_version(store: Store) -> str:
    """The store's content version (store/content_version.py), kept until the store changes.

    A store that sees every write (a folder) computes it after each write. On one others may
    write to (a SPARQL server), a pass over every quad is paid only after this process wrote
    (or at first use), not every 30 s: what others wrote since shows when a dump, which hashes
    what it streams, finds another version (`_dump_checked`).
    """
    if store.sees_all_writes:
        return derived(store, "content-version", content_version)
    generation = store.generation
    with _REMOTE_LOCK:
        known = _REMOTE.get(store)
    if known is not None and known[0] == generation:
        return known[1]
    version = content_version(store)
    with _REMOTE_LOCK:
        _REMOTE[store] = (generation, version)
    return version


def known_version(store: Store) -> str | None:
    """The content version if a dump named it since the store last changed, else None: VoID
    states it without paying a pass over the whole store for it."""
    return _served(store).get("version")


def _served(store: Store) -> dict[str, str]:
    """The version the last dump named, kept until the store changes."""
    return derived(store, "dump-version", lambda _store: {})


def check_version(store: Store, asked: str | None) -> str:
    """The current version; VersionGone when `asked` names another (a 404 when it names none)."""
    current = current_version(store)
    _served(store)["version"] = current
    if asked is None or asked == current:
        return current
    if is_version(asked):
        raise VersionGone("view.error.dump_version_gone", version=asked, current=current)
    raise NotFoundError("error.not_found")


def _sizes(store: Store) -> dict[tuple[str, str], int]:
    """Byte sizes of dump files written since the store last changed, by (version, name)."""
    return derived(store, "dump-sizes", lambda _store: {})


def known_sizes(store: Store, version: str) -> dict[str, int]:
    """The byte size of each dump file (`dump.nq.gz`) written in full for `version`."""
    return {name: size for (v, name), size in _sizes(store).items() if v == version}


def measured(store: Store, version: str, name: str, chunks: Iterator[bytes]) -> Iterator[bytes]:
    """`chunks`, passed on; once all are sent, their total size is kept for VoID."""
    total = 0
    for chunk in chunks:
        total += len(chunk)
        yield chunk
    _sizes(store)[(version, name)] = total
