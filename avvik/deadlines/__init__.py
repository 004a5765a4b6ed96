"""Working days, deadline policies and closure days."""
