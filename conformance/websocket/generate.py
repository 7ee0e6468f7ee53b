"""Write the WebSocket corpus files from :mod:`conformance.websocket.families`.

``python -m conformance.websocket.generate`` rewrites ``conformance/cases/websocket/*.json``;
``--check`` exits non-zero when the files differ from the tables (a test runs this).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conformance.model import CASES_DIR
from conformance.websocket.families import build

OUT = CASES_DIR / "websocket"
TITLES = {
    "server": "WebSocket server under test",
    "client": "WebSocket client under test",
}


def documents() -> dict[Path, str]:
    """File path -> JSON text for every corpus file."""
    out = {}
    for side in ("server", "client"):
        for topic, cases in build(side).items():
            doc = {
                "protocol": "websocket",
                "title": f"{TITLES[side]}: {topic} (RFC 6455, RFC 7692)",
                "cases": cases,
            }
            out[OUT / f"{side}-{topic}.json"] = json.dumps(doc, indent=1, ensure_ascii=True) + "\n"
    return out


def main(argv: list[str]) -> int:
    """Write (or with ``--check`` compare) the corpus files."""
    docs = documents()
    if "--check" in argv:
        stale = [p.name for p, text in docs.items() if not p.exists() or p.read_text() != text]
        if stale:
            print("stale corpus files:", ", ".join(stale), file=sys.stderr)
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path, text in docs.items():
        path.write_text(text, encoding="utf-8")
    total = sum(len(json.loads(t)["cases"]) for t in docs.values())
    print(f"wrote {len(docs)} files, {total} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
