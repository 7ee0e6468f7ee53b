"""The API-surface check behind ``tools/api_surface.py`` (its docstring states the rules)."""
