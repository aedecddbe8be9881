"""Tests: codesocial."""
