// Turns OP_MSG and legacy OP_QUERY bodies into one command document, the way a
// mongod sees them: kind-1 document sequences are folded into the command under
// their identifier (the driver sends `documents` of an insert that way).
import type { Document } from 'bson';
import { decodeDocument } from './bson-values';
import {
  OP_MSG,
  OP_MSG_CHECKSUM_PRESENT,
  OP_MSG_EXHAUST_ALLOWED,
  OP_MSG_MORE_TO_COME,
  OP_QUERY,
} from './wire-protocol';
import type { WireMessage } from './wire-protocol';

export interface DecodedCommand {
  /** The command name is the first key, as in mongod. */
  command: Document;
  db: string;
  /** The client asked for no reply (unacknowledged write). */
  moreToCome: boolean;
  /** Arrived as OP_QUERY, so it must be answered with OP_REPLY. */
  legacy: boolean;
  /** The client accepts a stream of replies to this request (awaitable hello). */
  exhaustAllowed: boolean;
}

export class UnsupportedMessageError extends Error {}

function readCString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new UnsupportedMessageError('unterminated cstring');
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

function readDocument(buffer: Buffer, offset: number): { doc: Document; next: number } {
  const size = buffer.readInt32LE(offset);
  const doc = decodeDocument(buffer.subarray(offset, offset + size));
  return { doc, next: offset + size };
}

function decodeOpMsg(body: Buffer): DecodedCommand {
  const flags = body.readUInt32LE(0);
  const end = flags & OP_MSG_CHECKSUM_PRESENT ? body.length - 4 : body.length;
  let offset = 4;
  let command: Document | undefined;
  const sequences: Array<[string, Document[]]> = [];
  while (offset < end) {
    const kind = body.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const { doc, next } = readDocument(body, offset);
      command = doc;
      offset = next;
    } else if (kind === 1) {
      const sectionEnd = offset + body.readInt32LE(offset);
      const id = readCString(body, offset + 4);
      const docs: Document[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        const { doc, next } = readDocument(body, cursor);
        docs.push(doc);
        cursor = next;
      }
      sequences.push([id.value, docs]);
      offset = sectionEnd;
    } else {
      throw new UnsupportedMessageError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!command) throw new UnsupportedMessageError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) {
    const existing: unknown = command[identifier];
    command[identifier] = Array.isArray(existing) ? [...(existing as Document[]), ...docs] : docs;
  }
  const db = typeof command.$db === 'string' ? command.$db : 'admin';
  return {
    command,
    db,
    moreToCome: (flags & OP_MSG_MORE_TO_COME) !== 0,
    legacy: false,
    exhaustAllowed: (flags & OP_MSG_EXHAUST_ALLOWED) !== 0,
  };
}

function decodeOpQuery(body: Buffer): DecodedCommand {
  const name = readCString(body, 4);
  // skip numberToSkip and numberToReturn
  const { doc } = readDocument(body, name.next + 8);
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Document) : doc;
  const dot = name.value.indexOf('.');
  const db = dot > 0 ? name.value.slice(0, dot) : name.value;
  if (!name.value.endsWith('.$cmd')) {
    throw new UnsupportedMessageError(`OP_QUERY on ${name.value} is not supported`);
  }
  return { command, db, moreToCome: false, legacy: true, exhaustAllowed: false };
}

export function decodeRequest(message: WireMessage): DecodedCommand {
  if (message.opCode === OP_MSG) return decodeOpMsg(message.body);
  if (message.opCode === OP_QUERY) return decodeOpQuery(message.body);
  throw new UnsupportedMessageError(`unsupported opCode ${message.opCode}`);
}
