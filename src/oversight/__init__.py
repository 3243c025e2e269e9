"""Oversight: oversight of surveillance camera estates."""
