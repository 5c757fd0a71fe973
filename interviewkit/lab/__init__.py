"""Prompt Lab logic: A/B comparison, prices, and the editor's state transitions."""
