"""Tests: views."""
