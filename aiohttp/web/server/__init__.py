"""The server: the low-level server and its connection protocol, its timers, error answers,
runners, ``run_app`` and the access log."""
