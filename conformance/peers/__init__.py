"""Servers we did not write, set up to serve the contract of FORMAT.md, to prove the harness."""
