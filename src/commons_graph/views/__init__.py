"""The queries behind the web pages: each returns dataclasses or triples, never responses."""
