"""HTTP/1.1 and WebSocket client and server for asyncio, in pure Python."""

__version__ = "4.0.0a0"

__all__: list[str] = ["__version__"]
