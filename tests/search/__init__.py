"""Tests of the full-text search package."""
