"""Indicators: quantities linked to what they measure, when, where and who, and whether they are goals."""

from extractors.indicators.linker import link

__all__ = ["link"]
