"""The agent fetches revocation lists: within budgets, and "missing" (never a crash) on failure.

A real HTTP server on loopback (the standard library's, in a thread) plays the relay or the
firm's web server, well-behaved and hostile; one test speaks real TLS with a certificate made
for 127.0.0.1 (trusted only by the test's own context, so the default context must refuse it).
"""

from __future__ import annotations

import asyncio
import http.server
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agent.revocations import (
    MAX_HEAD_BYTES,
    RevocationFetchError,
    fetch_lists,
    parse_head,
)
from shared.identity.revocation import MAX_REVOCATION_LIST_SIZE
from tests.relay.test_tls import make_cert

CAP = MAX_REVOCATION_LIST_SIZE
GOOD = b"\x00signed list\xff" * 10


class _Handler(http.server.BaseHTTPRequestHandler):
    """One behaviour per key id (the last path segment without .fhrl)."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def _raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()

    def do_GET(self) -> None:
        key = self.path.rsplit("/", 1)[-1].removesuffix(".fhrl")
        self.close_connection = True
        if key == "good":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(GOOD) + GOOD)
        elif key == "chunked":
            body = b"".join(b"%x\r\n%s\r\n" % (len(GOOD[i:i + 7]), GOOD[i:i + 7])
                            for i in range(0, len(GOOD), 7))
            self._raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + body
                      + b"0\r\n\r\n")
        elif key == "eof":
            self._raw(b"HTTP/1.0 200 OK\r\n\r\n" + GOOD)
        elif key == "exactcap":
            self._raw(b"HTTP/1.0 200 OK\r\n\r\n" + b"x" * CAP)
        elif key == "biglength":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % (CAP + 1))
            time.sleep(0.5)
        elif key == "bigchunk":
            self._raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                      b"%x\r\n" % (CAP + 1))
            time.sleep(0.5)
        elif key == "endless":  # no length: must stop reading one byte past the cap
            self._raw(b"HTTP/1.0 200 OK\r\n\r\n")
            try:
                for _ in range(64 * CAP // 4096):
                    self._raw(b"y" * 4096)
            except OSError:
                pass  # the agent hung up
        elif key == "hugehead":
            self._raw(b"HTTP/1.1 200 OK\r\nX-Junk: " + b"j" * (4 * MAX_HEAD_BYTES) + b"\r\n\r\n")
        elif key == "missing":
            self._raw(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
        elif key == "redirect":
            self._raw(b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/good\r\n"
                      b"Content-Length: 0\r\n\r\n")
        elif key == "garbage":
            self._raw(b"hello there\r\n\r\n")
        elif key == "gzip":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 3\r\n"
                      b"\r\nabc")
        elif key == "short":
            self._raw(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\nonly a little")
        elif key == "slow":
            time.sleep(3)
        elif key == "hangup":
            pass  # closes without a word


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/lists/{{key_id}}.fhrl"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_good_lists_in_every_framing(server: str) -> None:
    got = asyncio.run(fetch_lists(server, ["good", "chunked", "eof", "exactcap"]))
    assert got == {"good": GOOD, "chunked": GOOD, "eof": GOOD, "exactcap": b"x" * CAP}


@pytest.mark.parametrize("key", ["biglength", "bigchunk", "endless", "hugehead", "missing",
                                 "redirect", "garbage", "gzip", "short", "hangup"])
def test_each_failure_is_missing_not_a_crash(server: str, key: str) -> None:
    started = time.monotonic()
    assert asyncio.run(fetch_lists(server, [key, "good"])) == {key: None, "good": GOOD}
    assert time.monotonic() - started < 3  # refused at once, not after the timeout


def test_timeout_bounds_all_lists_together(server: str) -> None:
    started = time.monotonic()
    got = asyncio.run(fetch_lists(server, ["slow", "good"], timeout=0.5))
    assert got == {"slow": None, "good": GOOD}
    assert time.monotonic() - started < 2


def test_nothing_listening_and_insecure_addresses_are_missing() -> None:
    with socket_port() as port:
        pass  # the port is free again: nothing listens there
    got = asyncio.run(fetch_lists(f"http://127.0.0.1:{port}/{{key_id}}", ["a"]))
    assert got == {"a": None}
    # http:// to another computer is never asked (who asks for which list is private).
    assert asyncio.run(fetch_lists("http://192.0.2.1/{key_id}", ["a"], timeout=0.3)) == {
        "a": None}
    assert asyncio.run(fetch_lists("ftp://127.0.0.1/{key_id}", ["a"])) == {"a": None}


def test_tls_checks_the_certificate(tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    httpd.socket = server_ctx.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"https://127.0.0.1:{httpd.server_address[1]}/{{key_id}}.fhrl"
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        assert asyncio.run(fetch_lists(url, ["good"], ssl_context=trusting)) == {"good": GOOD}
        # The system's trust (what the agent uses, like its wss:// relay connection) does not
        # know this certificate: the list is missing, nothing crashes.
        assert asyncio.run(fetch_lists(url, ["good"])) == {"good": None}
    finally:
        httpd.shutdown()
        httpd.server_close()


class socket_port:
    """A free loopback port (bound while inside the block)."""

    def __enter__(self) -> int:
        import socket

        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        return int(self._sock.getsockname()[1])

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


@pytest.mark.parametrize("head, status", [
    (b"HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n", 200),
    (b"HTTP/1.0 404\r\n\r\n", 404),
])
def test_parse_head_known(head: bytes, status: int) -> None:
    assert parse_head(head)[0] == status


@pytest.mark.parametrize("head", [
    b"HTTP/2 200 OK\r\n\r\n", b"HTTP/1.1 20 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\n",
    b"HTTP/1.1 200 OK\r\nbad header\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
    b"HTTP/1.1 \xd9\xa0\xd9\xa0\xd9\xa0 OK\r\n\r\n",
])
def test_parse_head_refuses_malformed(head: bytes) -> None:
    with pytest.raises(RevocationFetchError):
        parse_head(head)


@given(st.binary(max_size=300) | st.builds(
    lambda a, b: b"HTTP/1.1 " + a + b"\r\n" + b + b"\r\n\r\n",
    st.binary(max_size=20), st.binary(max_size=80)))
def test_parse_head_never_raises_anything_else(head: bytes) -> None:
    try:
        status, headers = parse_head(head)
    except RevocationFetchError:
        return
    assert 0 <= status <= 999 and all(k == k.lower() for k in headers)


async def _read(data: bytes, cap: int) -> bytes:
    from agent.revocations import read_response

    reader = asyncio.StreamReader(limit=MAX_HEAD_BYTES)
    reader.feed_data(data)
    reader.feed_eof()
    return await read_response(reader, cap)


_HEADS = st.sampled_from([
    b"HTTP/1.1 200 OK\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", b"HTTP/1.0 404 No\r\n\r\n",
    b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", b""])


@given(_HEADS, st.binary(max_size=400) | st.builds(
    lambda parts: b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n",
    st.lists(st.binary(max_size=40), max_size=5)))
def test_any_answer_is_a_list_within_the_cap_or_a_clear_refusal(head: bytes, body: bytes
                                                                 ) -> None:
    """Whatever a hostile server sends: a body of at most the cap, or one of the errors the
    fetch turns into "missing" (never another exception)."""
    cap = 64
    try:
        got = asyncio.run(_read(head + body, cap))
    except (RevocationFetchError, asyncio.IncompleteReadError):
        return
    assert len(got) <= cap


def test_a_list_is_never_rolled_back_or_replaced_by_a_forgery() -> None:
    """Within a run the agent keeps the newest list its organisation signed: a server that
    later serves an older list (from before a revocation) or a damaged or foreign one does not
    replace it; a newer signed list does."""
    from nacl.signing import SigningKey

    from agent.revocations import keep_newest
    from shared.identity import TrustedOrganisation, format_org_key, issue_revocation_list

    seed, other = b"o" * 32, b"x" * 32
    org = TrustedOrganisation.from_text(format_org_key(bytes(SigningKey(seed).verify_key)))
    old = issue_revocation_list(seed, [], issued_at=1000, next_update=90_000)
    new = issue_revocation_list(seed, [5], issued_at=2000, next_update=90_000)
    foreign = issue_revocation_list(other, [], issued_at=3000, next_update=90_000)
    assert keep_newest(org, None, old) == old
    assert keep_newest(org, old, new) == new
    assert keep_newest(org, new, old) == new  # rolled back: kept the newer
    assert keep_newest(org, new, None) == new  # the fetch failed
    assert keep_newest(org, new, foreign) == new  # not signed by this organisation
    assert keep_newest(org, new, new[:-1] + bytes([new[-1] ^ 1])) == new  # forged signature
    assert keep_newest(org, new, b"garbage") == new
    # Nothing good held: the fetched bytes go to the verifier, which says what is wrong.
    assert keep_newest(org, b"garbage", foreign) == foreign
    assert keep_newest(org, None, None) is None
