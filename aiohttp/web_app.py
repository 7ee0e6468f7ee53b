"""aiohttp 3.x import path for the application (see :mod:`aiohttp.web.application`)."""

from .web.app_key import AppKey
from .web.application import Application, CleanupContext, CleanupError
from .web.exceptions import NotAppKeyWarning

__all__ = ["AppKey", "Application", "CleanupContext", "CleanupError", "NotAppKeyWarning"]
