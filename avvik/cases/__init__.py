"""The deviation from filing to closing."""
