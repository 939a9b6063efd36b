"""Trained models: indicator kind, metric; the scripts that train them and their artifacts."""
