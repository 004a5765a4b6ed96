"""views of cases."""
