"""Packaging metadata for aiohttp (tool configuration lives in pyproject.toml).

The distribution installs two top-level packages: ``aiohttp`` and ``conformance``, the
conformance harness, kept at the repository root and importable as ``conformance`` so that
``python -m conformance`` runs the same from a checkout and from an installed wheel.
"""

from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="aiohttp",
    version="3.99.0",
    description=(
        "A pure-Python implementation of the aiohttp 3.x API: HTTP/1.1 and WebSocket client "
        "and server for asyncio"
    ),
    long_description=(Path(__file__).parent / "README.rst").read_text(encoding="utf-8"),
    long_description_content_type="text/x-rst",
    license="Apache-2.0",
    python_requires=">=3.11",
    packages=find_packages(include=["aiohttp", "aiohttp.*", "conformance", "conformance.*"]),
    # Files read at run time: the corpus (conformance.model.CASES_DIR), the contract it follows,
    # the RFC texts its quotes are checked against (conformance.rfctext), and the PEP 561 marker.
    package_data={
        "aiohttp": ["py.typed"],
        "conformance": [
            "cases/*.md",
            "cases/*/*.json",
            "rfcs/*.txt",
            "rfcs/README.md",
            "tls/*.pem",
        ],
    },
    # frozenlist, aiosignal and propcache: the callback lists, signals and cached properties of
    # aiohttp 3.x, so code checking their types finds the same classes.
    install_requires=[
        "multidict>=6.0",
        "yarl>=1.9",
        "chardet>=5.0",
        "frozenlist>=1.1.1",
        "aiosignal>=1.4.0",
        "propcache>=0.2.0",
    ],
    extras_require={
        "speedups": ["brotli>=1.1", "zstandard>=0.22", "uvloop>=0.19; sys_platform != 'win32'"],
        "gunicorn": ["gunicorn>=21"],
    },
    entry_points={"pytest11": []},
    # The API this package implements and the specifications it follows; the project's own
    # source and issue tracker go here once it has a public address.
    project_urls={
        "aiohttp 3.x API": "https://docs.aiohttp.org/en/stable/",
        "RFC 9112 (HTTP/1.1)": "https://www.rfc-editor.org/rfc/rfc9112",
        "RFC 9110 (HTTP semantics)": "https://www.rfc-editor.org/rfc/rfc9110",
        "RFC 6455 (WebSocket)": "https://www.rfc-editor.org/rfc/rfc6455",
    },
    classifiers=[
        "Development Status :: 4 - Beta",
        "Intended Audience :: Developers",
        "Operating System :: POSIX",
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Programming Language :: Python :: Implementation :: CPython",
        "Framework :: AsyncIO",
        "Framework :: aiohttp",
        "Topic :: Internet :: WWW/HTTP",
        "Topic :: Internet :: WWW/HTTP :: HTTP Servers",
        "Topic :: Internet :: WWW/HTTP :: WSGI :: Server",
        "Typing :: Typed",
    ],
)
