"""``python -m benchmarks [name ...] [-- options]``: run the named benchmarks, or all of them.

Each ``benchmarks/bench_<name>.py`` module exposes ``main(argv: list[str]) -> int``; options
after ``--`` are passed to every benchmark run. ``python -m benchmarks --list`` lists them.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def discover() -> list[str]:
    """The names of the benchmarks found next to this file (``bench_<name>.py``)."""
    return sorted(path.stem.removeprefix("bench_") for path in HERE.glob("bench_*.py"))


def main(argv: list[str]) -> int:
    """Run the benchmarks named in ``argv`` (all when none); return the worst exit status."""
    if "--" in argv:
        cut = argv.index("--")
        names, options = argv[:cut], argv[cut + 1 :]
    else:
        names, options = argv, []
    available = discover()
    if names == ["--list"]:
        print("\n".join(available))
        return 0
    unknown = [name for name in names if name not in available]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; have: {', '.join(available)}")
        return 2
    status = 0
    for name in names or available:
        print(f"== {name} ==", flush=True)
        module = importlib.import_module(f"benchmarks.bench_{name}")
        status = max(status, module.main(list(options)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
