"""Regional competence-supply forecast: population projection, labour balance, scenarios.

This engine is pure: core types in, results out; it never imports the store, web or CLI.
"""

__all__: list[str] = []
