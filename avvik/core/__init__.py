"""Helpers without a domain of their own: encryption, uploads, identity numbers, paging, exports."""
