"""Fernhilfe shared package."""
