"""Demo and load-test data, apart from the domain."""
