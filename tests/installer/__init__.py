"""Tests of the built programs (one-file agent), not of the source."""
