"""WebSocket (RFC 6455) and permessage-deflate (RFC 7692), with no I/O."""
