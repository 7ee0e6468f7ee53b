"""The HTTP client: sessions, connectors, requests and responses."""
