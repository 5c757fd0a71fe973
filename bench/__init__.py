"""Benchmarks for Interview Kit (``python bench/run.py``); never run as timed tests."""
