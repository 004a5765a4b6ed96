"""Partnerships, organisations, units, people and their roles."""
