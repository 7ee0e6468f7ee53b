"""Every published aiohttp security advisory, and the test in this folder that covers it.

The list follows the GitHub advisory list of aio-libs/aiohttp (GHSA ids, with their CVE where
one was assigned), oldest fix first. ``docs/security.rst`` shows the same table; the tests in
``test_registry.py`` check that each advisory has exactly one test named after it here, and
that the docs list each one.
"""

from __future__ import annotations

from typing import NamedTuple


class Advisory(NamedTuple):
    """One advisory: its ids, the aiohttp release that fixed it, and what it was about."""

    ghsa: str
    cve: str | None
    fixed_in: str
    title: str

    @property
    def test_prefix(self) -> str:
        """The start of the name of the test that covers it: ``test_ghsa_xxxx_xxxx_xxxx``."""
        return "test_" + self.ghsa.lower().replace("-", "_")


ADVISORIES = [
    Advisory(
        "GHSA-v6wp-4m6f-gcjg",
        "CVE-2021-21330",
        "3.7.4",
        "Open redirect in normalize_path_middleware",
    ),
    Advisory(
        "GHSA-xx9p-xxvh-7g8j",
        "CVE-2023-47641",
        "3.8.0",
        "Parsers disagree on Content-Length with Transfer-Encoding",
    ),
    Advisory(
        "GHSA-45c4-8wx5-qw6w",
        "CVE-2023-37276",
        "3.8.5",
        "Request smuggling through the bundled llhttp (bare CR)",
    ),
    Advisory(
        "GHSA-gfw2-4jvh-wgfg",
        "CVE-2023-47627",
        "3.8.6",
        "Lenient header parsing in the Python parser",
    ),
    Advisory(
        "GHSA-pjjw-qhg8-p2p9",
        None,
        "3.8.6",
        "Smuggling through the bundled llhttp (dependency update)",
    ),
    Advisory(
        "GHSA-q3qx-c6g2-7pw2",
        "CVE-2023-49081",
        "3.9.0",
        "CRLF injection through the client's HTTP version",
    ),
    Advisory(
        "GHSA-qvrw-v9rv-5rjx",
        "CVE-2023-49082",
        "3.9.0",
        "CRLF injection through the client's method",
    ),
    Advisory(
        "GHSA-5h86-8mv2-jq9f", "CVE-2024-23334", "3.9.2", "Directory traversal with follow_symlinks"
    ),
    Advisory(
        "GHSA-8qpw-xqxj-h4r2",
        "CVE-2024-23829",
        "3.9.2",
        "Lenient separators and characters in the Python parser",
    ),
    Advisory("GHSA-7gpw-8wmc-pm8g", "CVE-2024-27306", "3.9.4", "XSS on static index pages"),
    Advisory(
        "GHSA-5m98-qgg9-wh84",
        "CVE-2024-30251",
        "3.9.4",
        "Infinite loop on a malformed multipart POST",
    ),
    Advisory(
        "GHSA-jwhx-xcg6-8xhj",
        "CVE-2024-42367",
        "3.10.2",
        "Pre-compressed siblings that are symlinks escape the static root",
    ),
    Advisory(
        "GHSA-27mf-ghqm-j3j8",
        "CVE-2024-52303",
        "3.10.11",
        "Memory leak with middlewares and a method the resource does not allow",
    ),
    Advisory(
        "GHSA-8495-4g3g-x7pr",
        "CVE-2024-52304",
        "3.10.11",
        "Request smuggling through chunk extensions",
    ),
    Advisory(
        "GHSA-9548-qrrj-x5pj",
        "CVE-2025-53643",
        "3.12.14",
        "Request smuggling through the chunked trailer section",
    ),
    Advisory(
        "GHSA-6mq8-rvhq-8wgg",
        "CVE-2025-69223",
        "3.13.3",
        "Decompression bomb through auto_decompress",
    ),
    Advisory(
        "GHSA-69f9-5gxw-wvc2", "CVE-2025-69224", "3.13.3", "Unicode processing of header values"
    ),
    Advisory(
        "GHSA-mqqc-3gqh-h2x8",
        "CVE-2025-69225",
        "3.13.3",
        "Unicode match groups in regexes for ASCII protocol elements",
    ),
    Advisory(
        "GHSA-54jq-c3m8-4m76",
        "CVE-2025-69226",
        "3.13.3",
        "Static file path components leak by brute force",
    ),
    Advisory(
        "GHSA-jj3x-wxrx-4x23",
        "CVE-2025-69227",
        "3.13.3",
        "Denial of service when asserts are skipped (python -O)",
    ),
    Advisory(
        "GHSA-6jhg-hg63-jvvf",
        "CVE-2025-69228",
        "3.13.3",
        "Request.post() memory past client_max_size across fields",
    ),
    Advisory(
        "GHSA-g84x-mcqj-x9qq", "CVE-2025-69229", "3.13.3", "CPU time on bodies of many chunks"
    ),
    Advisory(
        "GHSA-fh55-r93g-j68g", "CVE-2025-69230", "3.13.3", "Warning storm from the cookie parser"
    ),
    Advisory("GHSA-w2fm-2cpv-w7v5", "CVE-2026-22815", "3.13.4", "Unlimited trailer fields"),
    Advisory(
        "GHSA-hcc4-c3v8-rx92", "CVE-2026-34513", "3.13.4", "Unbounded DNS cache in TCPConnector"
    ),
    Advisory(
        "GHSA-2vrm-gr82-f7m5",
        "CVE-2026-34514",
        "3.13.4",
        "CRLF injection through a multipart part's Content-Type",
    ),
    Advisory(
        "GHSA-p998-jp59-783m",
        "CVE-2026-34515",
        "3.13.4",
        "UNC paths through static resources on Windows",
    ),
    Advisory(
        "GHSA-m5qp-6w8w-w647", "CVE-2026-34516", "3.13.4", "Multipart header size limit bypass"
    ),
    Advisory(
        "GHSA-3wq7-rqq7-wx6j",
        "CVE-2026-34517",
        "3.13.4",
        "Late size check on non-file multipart fields",
    ),
    Advisory(
        "GHSA-966j-vmvw-g2g9",
        "CVE-2026-34518",
        "3.13.4",
        "Cookie and Proxy-Authorization sent on a cross-origin redirect",
    ),
    Advisory(
        "GHSA-mwh4-6h8g-pg8w",
        "CVE-2026-34519",
        "3.13.4",
        "Response splitting through CR in the reason phrase",
    ),
    Advisory(
        "GHSA-63hf-3vf5-4wqf",
        "CVE-2026-34520",
        "3.13.4",
        "NUL and controls accepted in response header values",
    ),
    Advisory("GHSA-c427-h43c-vf67", "CVE-2026-34525", "3.13.4", "Duplicate Host fields accepted"),
    Advisory(
        "GHSA-jg22-mg44-37j8",
        "CVE-2026-34993",
        "3.14.0",
        "CookieJar.load() deserializes untrusted data (pickle)",
    ),
    Advisory(
        "GHSA-hg6j-4rv6-33pg",
        "CVE-2026-47265",
        "3.14.0",
        "Per-request cookies sent on a cross-origin redirect",
    ),
    Advisory(
        "GHSA-m6qw-4cw2-hm4m", "CVE-2026-50269", "3.14.0", "CRLF injection in multipart headers"
    ),
    Advisory(
        "GHSA-4fvr-rgm6-gqmc", "CVE-2026-54273", "3.14.1", "Pipelined requests queue without limit"
    ),
    Advisory(
        "GHSA-xcgm-r5h9-7989",
        "CVE-2026-54274",
        "3.14.1",
        "Incomplete WebSocket frame payloads bypass memory limits",
    ),
    Advisory(
        "GHSA-4m7w-qmgq-4wj5",
        "CVE-2026-54275",
        "3.14.1",
        "TLS server_hostname ignored when reusing connections",
    ),
    Advisory(
        "GHSA-hpj7-wq8m-9hgp",
        "CVE-2026-54276",
        "3.14.1",
        "DigestAuthMiddleware answers cross-origin challenges",
    ),
    Advisory(
        "GHSA-63hw-fmq6-xxg2",
        "CVE-2026-54277",
        "3.14.1",
        "max_line_size bypassed by fragmented lines",
    ),
    Advisory(
        "GHSA-g3cq-j2xw-wf74",
        "CVE-2026-54278",
        "3.14.1",
        "Unread compressed bodies decompressed whole during cleanup",
    ),
    Advisory(
        "GHSA-2fqr-mr3j-6wp8",
        "CVE-2026-54279",
        "3.14.1",
        "Host-only cookies become domain cookies after save and load",
    ),
    Advisory(
        "GHSA-9x8q-7h8h-wcw9",
        "CVE-2026-54280",
        "3.14.1",
        "Payload resources not closed after a disconnect mid-body",
    ),
    Advisory(
        "GHSA-mfx4-hv73-q22v",
        "CVE-2026-69243",
        "3.14.2",
        "Request smuggling through a WebSocket upgrade",
    ),
    Advisory(
        "GHSA-mq44-7p77-q5h7",
        "CVE-2026-59881",
        "3.14.2",
        "Client accepts compressed frames without permessage-deflate",
    ),
    Advisory(
        "GHSA-cq5v-8q36-5273",
        "CVE-2026-69244",
        "3.14.3",
        "Out-of-bounds read in the C response parser's error path",
    ),
    Advisory("GHSA-2g87-pp6c-29x5", None, "3.14.4", "Excessive or unbounded memory and CPU use"),
    Advisory(
        "GHSA-9xw5-w5jj-pvcg",
        None,
        "3.14.4",
        "File descriptor exhaustion through multipart uploads",
    ),
    Advisory(
        "GHSA-5wr8-gcqf-gqf3", None, "3.14.5", "No initial request or header timeout on the server"
    ),
    Advisory(
        "GHSA-494j-54xm-rwp3", None, "3.14.5", "Secure attribute not enforced for a shared cookie"
    ),
]
