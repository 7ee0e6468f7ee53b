"""Adapters that drive a particular library through the WebSocket runner (may import it)."""
