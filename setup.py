"""Packaging metadata for aiohttp (tool configuration lives in pyproject.toml)."""

from pathlib import Path

from setuptools import find_packages, setup

setup(
    name="aiohttp",
    version="3.99.0",
    description="HTTP/1.1 and WebSocket client and server for asyncio, in pure Python",
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
    install_requires=["multidict>=6.0", "yarl>=1.9", "chardet>=5.0"],
    extras_require={
        "speedups": ["brotli>=1.1", "zstandard>=0.22", "uvloop>=0.19; sys_platform != 'win32'"],
        "gunicorn": ["gunicorn>=21"],
    },
    entry_points={"pytest11": []},
    classifiers=[
        "Programming Language :: Python :: 3 :: Only",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
        "Programming Language :: Python :: 3.13",
        "Framework :: AsyncIO",
        "Topic :: Internet :: WWW/HTTP",
    ],
)
