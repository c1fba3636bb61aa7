"""Configuration: typed, validated files (settings, scenarios, parameters, levers, regimes)."""
