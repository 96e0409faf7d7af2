// The client side of SCRAM-SHA-256 (RFC 5802/7677) for tests that authenticate over a raw
// socket: a fresh nonce per conversation, the proof, and the check of the server's signature.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text, 'utf8').digest();
}

function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

export class ScramClient {
  private readonly clientFirstBare: string;
  private serverSignature: Buffer | null = null;

  /** `user` must not need SASLprep escaping (no ',' or '='), as in our tests. */
  constructor(
    user: string,
    private readonly password: string,
  ) {
    const nonce = randomBytes(24).toString('base64');
    this.clientFirstBare = `n=${user},r=${nonce}`;
  }

  /** The client-first message (the saslStart payload). */
  clientFirst(): string {
    return `n,,${this.clientFirstBare}`;
  }

  /** The client-final message (the saslContinue payload) for the server-first message. */
  clientFinal(serverFirst: string): string {
    const fields = attributes(serverFirst);
    const nonce = fields.get('r') ?? '';
    const salt = Buffer.from(fields.get('s') ?? '', 'base64');
    const iterations = Number(fields.get('i'));
    const ownNonce = this.clientFirstBare.slice(this.clientFirstBare.indexOf(',r=') + 3);
    if (!nonce.startsWith(ownNonce) || !Number.isInteger(iterations) || iterations < 1) {
      throw new Error(`unexpected SCRAM server-first message: ${serverFirst}`);
    }
    const salted = pbkdf2Sync(this.password, salt, iterations, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0)));
    this.serverSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** True when the server-final message proves the server knows the password too. */
  verifyServerFinal(serverFinal: string): boolean {
    const given = Buffer.from(attributes(serverFinal).get('v') ?? '', 'base64');
    return (
      this.serverSignature !== null &&
      given.length === this.serverSignature.length &&
      timingSafeEqual(given, this.serverSignature)
    );
  }
}
