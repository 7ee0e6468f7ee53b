"""gunicorn settings taken from the ``[server:main]`` section of the ``--paste`` file.

``gunicorn --paste paster.ini`` loads the application from ``[app:main]`` but ignores
``[server:main]``: since version 20, gunicorn takes server settings from the command line and
its configuration file only. gunicorn reads ``gunicorn.conf.py`` from the working directory by
itself, so with this file beside ``paster.ini``, ``gunicorn --paste paster.ini`` run from here
honours the section as gunicorn's own paste server runner (``pserve paster.ini``) does: ``host``
and ``port`` become ``bind``, and every other key but ``use`` is a gunicorn setting
(``worker_class``, ``workers``, ``timeout`` ...). Options on the command line still win.
"""

import sys
from pathlib import Path

from gunicorn.config import Config


def server_section(paste: str) -> dict[str, str]:
    """The ``[server:main]`` settings of a paste file, read by PasteDeploy (with its defaults
    and interpolation)."""
    from paste.deploy.loadwsgi import SERVER, loadcontext  # noqa: PLC0415 (only with --paste)

    path = Path(paste.partition("#")[0]).resolve()
    return dict(loadcontext(SERVER, f"config:{path}").local_conf)


def gunicorn_settings(section: dict[str, str]) -> dict[str, object]:
    settings: dict[str, object] = dict(section)
    host, port = settings.pop("host", ""), settings.pop("port", "")
    if host and port:
        settings["bind"] = [f"{host}:{port}"]
    elif host:
        settings["bind"] = str(host).split(",")
    return {key.lower(): value for key, value in settings.items()}


_paste = Config().parser().parse_known_args(sys.argv[1:])[0].paste
if _paste:
    globals().update(gunicorn_settings(server_section(_paste)))
