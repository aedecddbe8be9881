"""Tests: validation."""
