"""Request and response messages: requests and their bodies, forms, forwarding headers,
responses, files, compression and WebSockets."""
