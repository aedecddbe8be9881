"""gzip_stream: the bytes of gzip, the writer stopped when the reader goes, errors passed on."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator

import pytest

from commons_graph.geo.compress import gzip_stream


def pieces(count: int, seen: list[int] | None = None) -> Iterator[bytes]:
    for number in range(count):
        if seen is not None:
            seen.append(number)
        yield f'{{"n":{number},"text":"{"x" * (number % 50)}"}},'.encode() * 200


@pytest.mark.parametrize("level", [1, 6, 9])
def test_the_stream_is_the_gzip_of_the_chunks_and_is_kept_whole(level: int) -> None:
    kept: list[bytes] = []
    packed = b"".join(gzip_stream(pieces(300), kept.append, level=level))
    assert gzip.decompress(packed) == b"".join(pieces(300))
    assert kept == [packed]


def test_a_reader_that_goes_stops_the_writer() -> None:
    seen: list[int] = []
    stream = gzip_stream(pieces(100_000, seen))
    next(stream)
    stream.close()
    written = len(seen)
    time.sleep(0.2)
    # The writer wrote at most a few chunks ahead and then stopped.
    assert len(seen) == written < 100
    assert not [t for t in threading.enumerate() if t.name == "commons-graph-geojson"]


def test_an_error_of_the_writer_reaches_the_reader() -> None:
    def failing() -> Iterator[bytes]:
        yield b"start"
        raise ValueError("broken")

    kept: list[bytes] = []
    with pytest.raises(ValueError, match="broken"):
        b"".join(gzip_stream(failing(), kept.append))
    assert kept == []
