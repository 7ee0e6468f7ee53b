"""aiohttp 3.x's private WebSocket module paths, which code written for it imports.

Each module re-exports the names that do the same job here: the frames, masking and
permessage-deflate of :mod:`aiohttp._sansio.websocket`, and the reader, data queue and writer
of :mod:`aiohttp._io.websocket.plumbing`. 3.x names that belong to its C/Python twin
implementations have no counterpart (one implementation here) and are not provided.
"""
