"""A certificate authority of the secure local stack's own, and the server certificates it signs.

`inclusion up --secure` makes one CA (kept beside the principals' client files, in
``.inclusion/secure``) and, on every start, a fresh certificate for the Kafka broker and for
PostgreSQL naming ``localhost`` and ``127.0.0.1``, so clients verify the server's name against
it as they would in production. Keys are written mode 600.
"""

from __future__ import annotations

import datetime
import ipaddress
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from inclusion_cli.paths import write_private_once

CA_NAME = "Inclusion local CA"
SERVER_NAMES = ("localhost", "127.0.0.1")
_DAY = datetime.timedelta(days=1)
_SIGNS_CERTIFICATES = x509.KeyUsage(
    digital_signature=False, content_commitment=False, key_encipherment=False,
    data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
    encipher_only=False, decipher_only=False,
)  # fmt: skip


@dataclass(frozen=True)
class ServerCertificate:
    certificate: Path  # the server's certificate, then the CA's
    key: Path  # PKCS #8, unencrypted, mode 600


def _pem_key(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass(frozen=True)
class LocalCA:
    directory: Path

    @property
    def certificate(self) -> Path:
        return self.directory / "ca.pem"

    @property
    def key(self) -> Path:
        return self.directory / "ca-key.pem"

    def ensure(self) -> LocalCA:
        """Make the CA once; a second call (or a racing process) keeps the first one's."""
        if self.certificate.is_file() and self.key.is_file():
            return self
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o700)
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(CA_NAME))
            .issuer_name(_name(CA_NAME))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY)
            .not_valid_after(now + 3650 * _DAY)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_SIGNS_CERTIFICATES, critical=True)
            .sign(key, hashes.SHA256())
        )
        if write_private_once(self.key, _pem_key(key)):
            self.certificate.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        return self

    def issued(self, common_name: str, directory: Path) -> ServerCertificate | None:
        """What ``issue`` left in ``directory`` before, if anything."""
        found = ServerCertificate(
            directory / f"{common_name}.pem", directory / f"{common_name}-key.pem"
        )
        return found if found.certificate.is_file() and found.key.is_file() else None

    def issue(
        self, common_name: str, directory: Path, *, client: bool = False
    ) -> ServerCertificate:
        """A certificate for ``localhost`` and ``127.0.0.1`` (and, with ``client``, usable to
        authenticate as a TLS client too), valid for a year; replaces what ``directory`` held."""
        ca_key = serialization.load_pem_private_key(self.key.read_bytes(), password=None)
        if not isinstance(ca_key, ec.EllipticCurvePrivateKey):
            raise TypeError(f"{self.key} is not the EC key this CA makes")
        ca_certificate = x509.load_pem_x509_certificate(self.certificate.read_bytes())
        key = ec.generate_private_key(ec.SECP256R1())
        now = datetime.datetime.now(datetime.UTC)
        usages = [ExtendedKeyUsageOID.SERVER_AUTH, *([ExtendedKeyUsageOID.CLIENT_AUTH] * client)]
        alternative_names = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
        certificate = (
            x509.CertificateBuilder()
            .subject_name(_name(common_name))
            .issuer_name(ca_certificate.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - _DAY)
            .not_valid_after(now + 365 * _DAY)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.SubjectAlternativeName(alternative_names), critical=False)
            .add_extension(x509.ExtendedKeyUsage(usages), critical=False)
            .sign(ca_key, hashes.SHA256())
        )
        directory.mkdir(parents=True, exist_ok=True)
        directory.chmod(0o700)
        issued = ServerCertificate(
            directory / f"{common_name}.pem", directory / f"{common_name}-key.pem"
        )
        issued.key.unlink(missing_ok=True)
        write_private_once(issued.key, _pem_key(key))
        issued.certificate.write_bytes(
            certificate.public_bytes(serialization.Encoding.PEM) + self.certificate.read_bytes()
        )
        return issued
