"""The content hash of a #CodeSocial version: the project's one content hash (rdf/hashing.py).

Recipe (docs/codesocial.md has it step by step): take the triples of the version's content
graph, put them in the default graph of an RDF dataset, canonicalise it with RDFC-1.0 (SHA-256),
write each quad as a canonical N-Quads line ending in a line feed, sort the lines by code
point, and hash their UTF-8 concatenation with SHA-256; the hash is 64 lower-case hex digits.
"""

from __future__ import annotations

from commons_graph.rdf.hashing import HASH_ALGORITHM, canonical_nquads, citation_hash, content_hash

__all__ = ["HASH_ALGORITHM", "canonical_nquads", "citation_hash", "content_hash"]
