"""Statistics and quarterly reports for the council."""
