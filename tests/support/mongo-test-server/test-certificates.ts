// A throw-away certificate authority and server certificate for the TLS mode of the test
// server, made fresh for each test run (nothing is checked in, nothing outlives the run).
import { generateKeyPairSync } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

export interface TestCertificates {
  /** The CA certificate (PEM): what a client's tlsCAFile holds. */
  caPem: string;
  /** The server certificate (PEM), signed by the CA. */
  certPem: string;
  /** The server certificate's private key (PEM). */
  keyPem: string;
}

export interface TestCertificateOptions {
  /**
   * Names the server certificate is valid for: DNS names (wildcards such as `*.lab.test`
   * allowed) and IP addresses. Default: 127.0.0.1, ::1 and localhost.
   */
  hosts?: string[];
  /** The server certificate expired yesterday (the CA stays valid). */
  expired?: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_HOSTS = ['127.0.0.1', '::1', 'localhost'];

type AltName = { type: 2; value: string } | { type: 7; ip: string };

function serialNumber(): string {
  // A positive 16-byte serial: the top bit clear, as RFC 5280 wants.
  const bytes = forge.random.getBytesSync(16);
  return `0${forge.util.bytesToHex(bytes).slice(1)}`;
}

/**
 * An RSA 2048 key pair made by Node (OpenSSL): forge's own keys are sometimes written with
 * an INTEGER that OpenSSL 3 refuses ("asn1 encoding routines::illegal padding"), about once
 * in a few hundred keys. The PEM is Node's; forge only signs with the parsed key.
 */
function newKeyPair(): { pem: string; keys: forge.pki.rsa.KeyPair } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    pem: privateKey,
    keys: {
      privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
      publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
    },
  };
}

function altNames(hosts: readonly string[]): AltName[] {
  return hosts.map((host) => (isIP(host) === 0 ? { type: 2, value: host } : { type: 7, ip: host }));
}

function newCertificate(
  publicKey: forge.pki.PublicKey,
  subject: forge.pki.CertificateField[],
  issuer: forge.pki.CertificateField[],
  notBefore: Date,
  notAfter: Date,
): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = serialNumber();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject(subject);
  cert.setIssuer(issuer);
  return cert;
}

/** A new CA and a server certificate it signed (RSA 2048, SHA-256). */
export function generateTestCertificates(options: TestCertificateOptions = {}): TestCertificates {
  const now = Date.now();
  const caKeys = newKeyPair().keys;
  const caName = [
    { name: 'commonName', value: `Altar test CA ${new Date(now).toISOString()}` },
    { name: 'organizationName', value: 'Altar Viewer tests' },
  ];
  const ca = newCertificate(
    caKeys.publicKey,
    caName,
    caName,
    new Date(now - 7 * DAY_MS),
    new Date(now + 30 * DAY_MS),
  );
  ca.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  ca.sign(caKeys.privateKey, forge.md.sha256.create());

  const hosts = options.hosts ?? DEFAULT_HOSTS;
  const server = newKeyPair();
  const serverKeys = server.keys;
  const [notBefore, notAfter] =
    options.expired === true
      ? [new Date(now - 3 * DAY_MS), new Date(now - DAY_MS)]
      : [new Date(now - DAY_MS), new Date(now + 30 * DAY_MS)];
  const cert = newCertificate(
    serverKeys.publicKey,
    [{ name: 'commonName', value: hosts[0] ?? 'localhost' }],
    caName,
    notBefore,
    notAfter,
  );
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: altNames(hosts) },
    { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(caKeys.privateKey, forge.md.sha256.create());

  return {
    caPem: forge.pki.certificateToPem(ca),
    certPem: forge.pki.certificateToPem(cert),
    keyPem: server.pem,
  };
}
