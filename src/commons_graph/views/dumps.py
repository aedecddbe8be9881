"""Dumps of the whole store: streamed from a thread through a pipe, named by content version."""

from __future__ import annotations

import gzip
import os
import threading
from collections.abc import Iterator
from typing import BinaryIO, cast

from commons_graph.errors import NotFoundError
from commons_graph.rdf.formats import Format
from commons_graph.store.base import Store
from commons_graph.store.content_version import content_version, is_version
from commons_graph.store.derived import derived

CHUNK = 64 * 1024


def stream_dump(store: Store, fmt: Format, *, compress: bool = False) -> Iterator[bytes]:
    """The store serialised in `fmt` (gzip-compressed if asked), chunk by chunk.

    A thread writes the dump into a pipe while the caller reads from it, so the whole dump
    never sits in memory; if the reader stops early (client gone), closing the pipe makes the
    writer fail with a broken pipe and end.
    """
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def write() -> None:
        try:
            with os.fdopen(write_fd, "wb", buffering=CHUNK) as raw:
                if compress:
                    with gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6) as packed:
                        store.dump(cast(BinaryIO, packed), fmt)
                else:
                    store.dump(raw, fmt)
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


class VersionGone(NotFoundError):
    """A dump was asked for as of a version the store no longer holds (410 Gone)."""

    status = 410


def current_version(store: Store) -> str:
    """The store's content version (store/content_version.py), kept until the store changes."""
    return derived(store, "content-version", content_version)


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
