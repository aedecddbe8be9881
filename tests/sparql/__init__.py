"""Tests: sparql."""
