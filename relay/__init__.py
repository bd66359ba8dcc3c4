"""Fernhilfe relay package."""
