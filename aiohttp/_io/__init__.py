"""The asyncio adapter: the only layer that touches transports and the event loop."""
