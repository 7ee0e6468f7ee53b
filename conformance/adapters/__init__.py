"""Adapters that start a particular stack in-process; the only place that may import it."""
