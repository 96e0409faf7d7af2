// Server side of SCRAM-SHA-256 (RFC 5802 / RFC 7677) as mongod runs it over
// saslStart / saslContinue, and of SCRAM-SHA-1, which mongod still offers and clients still
// ask for by name (Omniboard as AltarDocker starts it: `authMechanism=SCRAM-SHA-1`).
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { CommandError } from './command-error';

const ITERATIONS = 15000; // mongod's default scramSHA256IterationCount
const SHA1_ITERATIONS = 10000; // mongod's default scramIterationCount

type ScramHash = 'sha1' | 'sha256';

export interface ScramSecrets {
  salt: Buffer;
  iterations: number;
  storedKey: Buffer;
  serverKey: Buffer;
  /** The mechanism's hash; SCRAM-SHA-256 when absent. */
  hash?: ScramHash;
}

const hmac = (key: Buffer, text: string, hash: ScramHash = 'sha256'): Buffer =>
  createHmac(hash, key).update(text).digest();
const digest = (data: Buffer, hash: ScramHash = 'sha256'): Buffer =>
  createHash(hash).update(data).digest();

export function scramSecrets(password: string, salt: Buffer = randomBytes(28)): ScramSecrets {
  // SASLprep is the identity for the ASCII passwords tests use; NFKC covers the rest well enough.
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, ITERATIONS, 32, 'sha256');
  return {
    salt,
    iterations: ITERATIONS,
    storedKey: digest(hmac(salted, 'Client Key')),
    serverKey: hmac(salted, 'Server Key'),
  };
}

/**
 * SCRAM-SHA-1 as mongod keeps it: the salted password is derived from MongoDB's legacy
 * digest md5("<user>:mongo:<password>") in hex, not from the password itself.
 */
export function scramSha1Secrets(
  userName: string,
  password: string,
  salt: Buffer = randomBytes(16),
): ScramSecrets {
  const legacy = createHash('md5').update(`${userName}:mongo:${password}`).digest('hex');
  const salted = pbkdf2Sync(legacy, salt, SHA1_ITERATIONS, 20, 'sha1');
  return {
    salt,
    iterations: SHA1_ITERATIONS,
    storedKey: digest(hmac(salted, 'Client Key', 'sha1'), 'sha1'),
    serverKey: hmac(salted, 'Server Key', 'sha1'),
    hash: 'sha1',
  };
}

export interface ScramConversation {
  userName: string;
  /** Undefined for an unknown user: the exchange goes on and fails at the proof. */
  secrets: ScramSecrets | undefined;
  clientFirstBare: string;
  serverFirst: string;
  nonce: string;
  /** Set once the proof checked out. */
  verified: boolean;
}

export function authenticationFailed(): CommandError {
  return new CommandError('AuthenticationFailed', 'Authentication failed.');
}

function attributes(message: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) map.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return map;
}

/** Handles the client-first message; returns the conversation and the server-first message. */
export function beginScram(
  clientFirst: string,
  lookup: (userName: string) => ScramSecrets | undefined,
): ScramConversation {
  const match = /^[ny],(?:a=[^,]*)?,(.*)$/su.exec(clientFirst);
  if (!match) throw new CommandError('BadValue', 'Invalid SCRAM client-first message');
  const clientFirstBare = match[1]!;
  const attrs = attributes(clientFirstBare);
  const userName = (attrs.get('n') ?? '').replace(/=2C/gu, ',').replace(/=3D/gu, '=');
  const clientNonce = attrs.get('r');
  if (!userName || !clientNonce) {
    throw new CommandError('BadValue', 'Invalid SCRAM client-first message');
  }
  const secrets = lookup(userName);
  const nonce = clientNonce + randomBytes(24).toString('base64');
  const salt = secrets?.salt ?? randomBytes(28);
  const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=${secrets?.iterations ?? ITERATIONS}`;
  return { userName, secrets, clientFirstBare, serverFirst, nonce, verified: false };
}

/** Checks the client-final message's proof; returns the server-final message (v=...). */
export function finishScram(conversation: ScramConversation, clientFinal: string): string {
  const proofAt = clientFinal.lastIndexOf(',p=');
  if (proofAt < 0) throw authenticationFailed();
  const withoutProof = clientFinal.slice(0, proofAt);
  const attrs = attributes(withoutProof);
  const secrets = conversation.secrets;
  if (attrs.get('r') !== conversation.nonce || attrs.get('c') !== 'biws' || !secrets) {
    throw authenticationFailed();
  }
  const proof = Buffer.from(clientFinal.slice(proofAt + 3), 'base64');
  const authMessage = `${conversation.clientFirstBare},${conversation.serverFirst},${withoutProof}`;
  const hash = secrets.hash ?? 'sha256';
  const clientSignature = hmac(secrets.storedKey, authMessage, hash);
  if (proof.length !== clientSignature.length) throw authenticationFailed();
  const clientKey = Buffer.alloc(proof.length);
  for (let i = 0; i < proof.length; i += 1) clientKey[i] = proof[i]! ^ clientSignature[i]!;
  if (!timingSafeEqual(digest(clientKey, hash), secrets.storedKey)) throw authenticationFailed();
  conversation.verified = true;
  return `v=${hmac(secrets.serverKey, authMessage, hash).toString('base64')}`;
}
