"""Fernhilfe agent package."""
