"""``python -m aiohttp.web -H HOST -P PORT [-U PATH] package.module:init_func``."""

import sys

from .server.run_app import main

main(sys.argv[1:])
