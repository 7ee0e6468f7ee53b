"""A black-box conformance harness for HTTP/1.1 and WebSocket stacks (RFC 9112, 6455, 7692)."""
