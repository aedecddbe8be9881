"""Tests: importing."""
