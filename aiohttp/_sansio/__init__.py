"""Pure protocol logic: bytes in, events out; events in, bytes out. Standard library only."""
