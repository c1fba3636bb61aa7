"""Phases of the monthly step: one module per phase, each a function of the World and what earlier
phases produced, returning what it produced."""
