"""Tests: members."""
