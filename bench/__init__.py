"""Micro-benchmarks of Fernhilfe's core (run as ``python -m bench.<name>``)."""
