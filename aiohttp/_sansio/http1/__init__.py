"""HTTP/1.1 message parsing and serialization (RFC 9112), with no I/O."""
