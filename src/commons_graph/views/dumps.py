"""Streaming the whole store as a dump: written from a thread into a pipe, read in chunks."""

from __future__ import annotations

import gzip
import os
import threading
from collections.abc import Iterator
from typing import BinaryIO, cast

from commons_graph.rdf.formats import Format
from commons_graph.store.base import Store

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
