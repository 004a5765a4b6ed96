"""Notifications: written with the change, delivered once."""
