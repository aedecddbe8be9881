"""Tests: contributions."""
