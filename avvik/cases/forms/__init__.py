"""forms of cases."""
