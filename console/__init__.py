"""Fernhilfe console package."""
