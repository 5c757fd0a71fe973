"""The test OpenID Connect provider (provider.js) and its Python harness (harness.py)."""
