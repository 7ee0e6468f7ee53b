"""``gunicorn --paste paster.ini`` from a copy of ``examples/paste/``: the real gunicorn with
PasteDeploy, honouring the ``[server:main]`` section's host, port and worker class, on loopback.
"""

from __future__ import annotations

import http.client
import re
import shutil
import sys
from pathlib import Path

from tests.docs.runners import free_port, serving

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "paste"


def post(port: int, body: bytes) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("POST", "/", body=body)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def test_gunicorn_paste_honours_the_server_section(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLE, tmp_path, dirs_exist_ok=True)
    ini = tmp_path / "paster.ini"
    text = ini.read_text(encoding="utf-8")
    assert re.search(r"^host = 127\.0\.0\.1$", text, re.MULTILINE)
    assert re.search(r"^worker_class = aiohttp\.worker\.AsyncGunicornWorker$", text, re.MULTILINE)
    port = free_port()
    ini.write_text(text.replace("port = 8080\n", f"port = {port}\n"), encoding="utf-8")
    assert f"port = {port}" in ini.read_text(encoding="utf-8")

    argv = [sys.executable, "-m", "gunicorn", "--paste", "paster.ini"]
    with serving(argv, tmp_path, port) as server:
        assert post(port, b"echo me" * 1000) == (200, b"echo me" * 1000)
    assert f"Listening at: http://127.0.0.1:{port}" in server.output
    assert "Using worker: aiohttp.worker.AsyncGunicornWorker" in server.output
