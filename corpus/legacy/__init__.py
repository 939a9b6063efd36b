"""Data of the legacy Vietnamese encodings (TCVN3, VNI) and of the Vietnamese syllable, as JSON files."""
