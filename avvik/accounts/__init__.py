"""Signing in: passwords, two-step login and single sign-on."""
