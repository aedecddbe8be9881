"""RDF foundations: namespaces and terms, prefixes, media types, negotiation, parsing, hashing."""
