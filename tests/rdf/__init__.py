"""Tests: rdf."""
