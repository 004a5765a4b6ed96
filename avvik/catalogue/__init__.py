"""Categories and agreement clauses per partnership."""
