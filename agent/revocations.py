"""Fetching the trusted organisations' revocation lists while the code is shown.

Each organisation the branding trusts publishes a signed list of revoked certificate serials;
the relay (or the firm's own web server) serves it at an address per organisation key id
(:func:`agent.config.revocation_url_template`). The server is untrusted: the list's signature
and freshness are checked by :func:`shared.identity.verify.verify_technician`, so all this module
does is get the bytes, within budgets, and say "missing" (``None``) whenever that fails. A
failure is never a crash: the consent dialog then says that revocation could not be checked.

Budgets before allocation: the whole fetch of all lists takes at most :data:`FETCH_TIMEOUT`
seconds; the response head at most :data:`MAX_HEAD_BYTES`; a body is refused as soon as it is
known to be larger than ``MAX_REVOCATION_LIST_SIZE`` (from its length, its chunk sizes, or one
byte more than that read), before anything more is read. TLS is the relay connection's: the
system's default context (``ssl=True``, as websockets uses for ``wss://``), certificate and
host name checked; plain ``http://`` only to loopback.

A tiny HTTP/1.1 client rather than a library: one GET, no redirects, no cookies, no proxies,
no compression; three body framings (length, chunked, until close).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

from shared.errors import FernhilfeError
from shared.hosts import is_loopback
from shared.identity import TrustedOrganisation
from shared.identity.revocation import MAX_REVOCATION_LIST_SIZE, parse_revocation_list

log = logging.getLogger(__name__)

#: Seconds for fetching every list together (connect, TLS, request, response).
FETCH_TIMEOUT = 5.0
#: Most bytes of status line plus headers.
MAX_HEAD_BYTES = 8 * 1024
#: Most header lines.
MAX_HEADERS = 64


class RevocationFetchError(FernhilfeError):
    """A revocation list could not be fetched; the message says why (for the log)."""


def parse_head(head: bytes) -> tuple[int, dict[str, str]]:
    """Status code and headers (names lower-case) of an HTTP/1.x response head.

    ``head`` is everything up to and including the blank line. Untrusted bytes: anything
    malformed raises :class:`RevocationFetchError`, never another exception."""
    if len(head) > MAX_HEAD_BYTES:
        raise RevocationFetchError("the server's response head is too large")
    try:
        text = head.decode("latin-1")
    except UnicodeDecodeError as exc:  # pragma: no cover - latin-1 decodes every byte
        raise RevocationFetchError("the server's response head is not text") from exc
    lines = text.split("\r\n")
    if len(lines) < 3 or lines[-2:] != ["", ""]:
        raise RevocationFetchError("the server's response head does not end properly")
    status = lines[0].split(" ", 2)
    if len(status) < 2 or status[0] not in ("HTTP/1.1", "HTTP/1.0"):
        raise RevocationFetchError("the server did not answer in HTTP/1.x")
    if len(status[1]) != 3 or not status[1].isascii() or not status[1].isdigit():
        raise RevocationFetchError("the server's status code is not three digits")
    fields = lines[1:-2]
    if len(fields) > MAX_HEADERS:
        raise RevocationFetchError("the server sent too many headers")
    headers: dict[str, str] = {}
    for line in fields:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip() or not name.isascii():
            raise RevocationFetchError("the server sent a malformed header")
        key = name.lower()
        value = value.strip(" \t")
        if key in headers and key in ("content-length", "transfer-encoding"):
            raise RevocationFetchError(f"the server sent {name} twice")
        headers[key] = value
    return int(status[1]), headers


def _content_length(headers: Mapping[str, str], cap: int) -> int | None:
    value = headers.get("content-length")
    if value is None:
        return None
    if not value.isascii() or not value.isdigit() or len(value) > 12:
        raise RevocationFetchError("the server sent a malformed Content-Length")
    length = int(value)
    if length > cap:
        raise RevocationFetchError(f"the list is larger than {cap} bytes ({length})")
    return length


async def _read_chunked(reader: asyncio.StreamReader, cap: int) -> bytes:
    body = bytearray()
    while True:
        line = await reader.readuntil(b"\r\n")
        size_text = line[:-2].split(b";", 1)[0].strip()
        if not size_text or len(size_text) > 8 or not all(
                c in b"0123456789abcdefABCDEF" for c in size_text):
            raise RevocationFetchError("the server sent a malformed chunk size")
        size = int(size_text, 16)
        if size == 0:
            return bytes(body)  # trailers are not read: the connection is closed anyway
        if len(body) + size > cap:
            raise RevocationFetchError(f"the list is larger than {cap} bytes")
        body += await reader.readexactly(size)
        if await reader.readexactly(2) != b"\r\n":
            raise RevocationFetchError("the server sent a malformed chunk")


async def _read_body(reader: asyncio.StreamReader, headers: Mapping[str, str], cap: int
                     ) -> bytes:
    encoding = headers.get("transfer-encoding", "").lower()
    if headers.get("content-encoding", "identity").lower() != "identity":
        raise RevocationFetchError("the server sent a compressed list (none was asked for)")
    if encoding:
        if encoding != "chunked":
            raise RevocationFetchError(f"the server used a transfer coding {encoding!r}")
        return await _read_chunked(reader, cap)
    length = _content_length(headers, cap)
    if length is not None:
        return await reader.readexactly(length)
    body = bytearray()
    while len(body) <= cap:  # until the server closes: one byte over the cap is enough to know
        piece = await reader.read(cap + 1 - len(body))
        if not piece:
            return bytes(body)
        body += piece
    raise RevocationFetchError(f"the list is larger than {cap} bytes")


async def read_response(reader: asyncio.StreamReader, cap: int = MAX_REVOCATION_LIST_SIZE
                        ) -> bytes:
    """The body of a ``200`` response read from ``reader`` (made with ``limit=MAX_HEAD_BYTES``),
    at most ``cap`` bytes. Untrusted bytes: raises :class:`RevocationFetchError`, or
    ``asyncio.IncompleteReadError`` when the server stops early, and nothing else."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
        status, headers = parse_head(head)
        if status != 200:
            raise RevocationFetchError(f"the server answered {status}")
        return await _read_body(reader, headers, cap)
    except asyncio.LimitOverrunError as exc:
        raise RevocationFetchError("the server sent a line that is too long") from exc
    except ValueError as exc:  # the stream's own "separator not found, limit exceeded"
        raise RevocationFetchError(f"the server's answer cannot be read ({exc})") from exc


def check_list_url(url: str) -> tuple[str, int, bool, str]:
    """Host, port, TLS and request path of a list's address (https, or http to loopback)."""
    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError as exc:
        raise RevocationFetchError(f"{url!r} is not a valid address") from exc
    if parts.scheme not in ("https", "http") or not host:
        raise RevocationFetchError(f"{url!r} is not an https:// address")
    tls = parts.scheme == "https"
    if not tls and not is_loopback(host):
        raise RevocationFetchError(f"{url!r} is not encrypted (http:// only to loopback)")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return host, port or (443 if tls else 80), tls, path


async def fetch_list(url: str, *, cap: int = MAX_REVOCATION_LIST_SIZE,
                     ssl_context: ssl.SSLContext | None = None) -> bytes:
    """GET one list (the caller bounds the time). Raises :class:`RevocationFetchError`
    (or ``OSError``/``ssl.SSLError``/``asyncio.IncompleteReadError`` from the connection)."""
    host, port, tls, path = check_list_url(url)
    tls_arg: ssl.SSLContext | bool | None = (ssl_context or True) if tls else None
    reader, writer = await asyncio.open_connection(
        host, port, ssl=tls_arg, server_hostname=host if tls else None,
        limit=MAX_HEAD_BYTES)
    try:
        authority = f"[{host}]" if ":" in host else host
        default_port = 443 if tls else 80
        if port != default_port:
            authority += f":{port}"
        writer.write((f"GET {path} HTTP/1.1\r\nHost: {authority}\r\n"
                      "User-Agent: fernhilfe-agent\r\nAccept: application/octet-stream\r\n"
                      "Connection: close\r\n\r\n").encode("ascii", "strict"))
        await writer.drain()
        return await read_response(reader, cap)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(writer.wait_closed(), 1.0)


async def fetch_lists(template: str, key_ids: Iterable[str], *,
                      timeout: float = FETCH_TIMEOUT,
                      ssl_context: ssl.SSLContext | None = None) -> dict[str, bytes | None]:
    """Every organisation's list at once: ``{key_id: bytes}``, ``None`` for each one that
    could not be had within ``timeout`` seconds (the reason goes to the log)."""
    ids = list(dict.fromkeys(key_ids))

    async def one(key_id: str) -> bytes | None:
        url = template.replace("{key_id}", key_id)
        try:
            async with asyncio.timeout(timeout):
                data = await fetch_list(url, ssl_context=ssl_context)
        except TimeoutError:
            log.warning("revocation list %s: no answer within %.0f s", url, timeout)
        except (RevocationFetchError, OSError, ssl.SSLError, asyncio.IncompleteReadError,
                asyncio.LimitOverrunError, UnicodeError, ValueError) as exc:
            log.warning("revocation list %s: %s", url, exc)
        else:
            log.info("revocation list %s: %d bytes", url, len(data))
            return data
        return None

    results = await asyncio.gather(*(one(key_id) for key_id in ids))
    return dict(zip(ids, results, strict=True))


def _signed_issue_time(org: TrustedOrganisation, data: bytes | None) -> int | None:
    """The issue time of ``data`` if it is ``org``'s list with its signature, else None."""
    if data is None:
        return None
    try:
        parsed = parse_revocation_list(data)
        if parsed.org_key_id != org.key_id:
            return None
        VerifyKey(org.public_key).verify(parsed.signed_part, parsed.signature)
    except (FernhilfeError, BadSignatureError, ValueError):
        return None
    return parsed.issued_at


def keep_newest(org: TrustedOrganisation, held: bytes | None, fetched: bytes | None
                ) -> bytes | None:
    """Which list to keep for ``org``: the fetched one, unless the one held is signed and the
    fetched one is not signed or was issued earlier (a server must not roll a list back to
    before a revocation, nor replace a good list with a damaged one, within one run).

    The verifier still decides on what is kept (signature, freshness, the serial)."""
    if fetched is None:
        return held
    held_at = _signed_issue_time(org, held)
    if held_at is None:
        return fetched
    fetched_at = _signed_issue_time(org, fetched)
    return fetched if fetched_at is not None and fetched_at >= held_at else held
