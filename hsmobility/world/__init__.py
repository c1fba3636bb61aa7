"""World: all state a phase may touch (households, groups, geography, hazards, policy state)."""
