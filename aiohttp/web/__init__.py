"""aiohttp.web: the HTTP server framework."""
