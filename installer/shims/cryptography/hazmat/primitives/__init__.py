"""See cryptography/__init__.py: bundle-only HKDF stand-in."""
