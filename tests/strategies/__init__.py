"""Hypothesis strategies and checks shared by the property tests and benchmarks/fuzz.py."""
