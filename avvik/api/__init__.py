"""The REST API for systems: clients, their tokens, and the versioned endpoints (docs/api.md)."""
