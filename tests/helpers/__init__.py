"""Helpers the corpus tests use to make real input files."""
