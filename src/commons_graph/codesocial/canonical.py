"""The content hash of a version: SHA-256 of its RDFC-1.0 canonical N-Quads.

Recipe (docs/codesocial.md has it step by step): take the triples of the version's content
graph, put them in the default graph of an RDF dataset, canonicalise it with RDFC-1.0 (SHA-256),
write each quad as a canonical N-Quads line ending in a line feed, sort the lines by code
point, and hash their UTF-8 concatenation with SHA-256; the hash is 64 lower-case hex digits.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox

HASH_ALGORITHM = "sha256"


def canonical_nquads(triples: Iterable[ox.Triple | ox.Quad]) -> str:
    """The triples (graph names dropped) as RDFC-1.0 canonical N-Quads, sorted, one per line."""
    dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    # pyoxigraph writes each quad in canonical N-Quads form; RDFC-1.0 orders the lines by code
    # point, which for UTF-8 text is the order of its bytes.
    serialised = ox.serialize(dataset, format=ox.RdfFormat.N_QUADS) or b""
    lines = serialised.decode("utf-8").splitlines()
    return "".join(line + "\n" for line in sorted(lines, key=lambda line: line.encode("utf-8")))


def content_hash(triples: Iterable[ox.Triple | ox.Quad]) -> str:
    """SHA-256 of the triples' canonical N-Quads, as 64 lower-case hexadecimal digits."""
    return hashlib.sha256(canonical_nquads(triples).encode("utf-8")).hexdigest()


def citation_hash(digest: str) -> str:
    """The hash as it is cited: `sha256:<hex>`."""
    return f"{HASH_ALGORITHM}:{digest}"
