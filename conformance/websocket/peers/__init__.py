"""Independent WebSocket peers the harness is checked against (run as subprocesses)."""
