"""``python -m aiohttp.web -H HOST -P PORT [-U PATH] package.module:init_func``."""

import sys

from . import main

main(sys.argv[1:])
