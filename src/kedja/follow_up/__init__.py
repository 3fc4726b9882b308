"""Follow-up: progression, exits, outcomes and indicators with disclosure control.

This engine is pure: core types in, results out; it never imports the store, web or CLI.
"""

__all__: list[str] = []
