"""Tests: w3c."""
