"""The relay serving wss:// directly with its own certificate (no proxy in front).

The certificate is made here for 127.0.0.1 and trusted only by this test's client, so the check is
real TLS with verification, on loopback.
"""

from __future__ import annotations

import datetime
import ipaddress
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.client import connect

from shared.rendezvous import Host, Join, Nameplate, Paired, encode, parse_server
from tests.relay.helpers import relay, run_async


def make_cert(tmp: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fernhilfe test relay")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(
            ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "relay.crt", tmp / "relay.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def test_relay_serves_wss_and_forwards(tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))

    @run_async(20)
    async def scenario() -> None:
        async with relay(tls_cert=str(cert), tls_key=str(key)) as server:
            assert server.url.startswith("wss://")
            async with connect(server.url, ssl=trust, compression=None) as agent:
                await agent.send(encode(Host()))
                plate = parse_server(await agent.recv())
                assert isinstance(plate, Nameplate)
                async with connect(server.url, ssl=trust, compression=None) as console:
                    await console.send(encode(Join(plate.nameplate)))
                    assert isinstance(parse_server(await console.recv()), Paired)
                    assert isinstance(parse_server(await agent.recv()), Paired)
                    await console.send(b"\x00ciphertext")
                    assert await agent.recv() == b"\x00ciphertext"

    scenario()


def test_untrusted_certificate_is_refused(tmp_path: Path) -> None:
    cert, key = make_cert(tmp_path)

    @run_async(20)
    async def scenario() -> None:
        async with relay(tls_cert=str(cert), tls_key=str(key)) as server:
            try:
                async with connect(server.url, ssl=ssl.create_default_context()):
                    raise AssertionError("a self-signed certificate must not be accepted")
            except ssl.SSLCertVerificationError:
                pass

    scenario()
