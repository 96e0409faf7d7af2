// MongoDB wire framing: every message starts with a 16-byte little-endian header
// (messageLength, requestID, responseTo, opCode). This file only splits the TCP
// stream into whole messages and builds reply frames; it knows nothing of commands.
import { serialize } from 'bson';
import type { Document } from 'bson';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;

export const OP_MSG_CHECKSUM_PRESENT = 1 << 0;
export const OP_MSG_MORE_TO_COME = 1 << 1;
export const OP_MSG_EXHAUST_ALLOWED = 1 << 16;

export const HEADER_SIZE = 16;
/** Larger than maxMessageSizeBytes so a legal message is never refused. */
const MAX_FRAME_SIZE = 64 * 1024 * 1024;

export interface WireMessage {
  requestId: number;
  responseTo: number;
  opCode: number;
  /** The bytes after the header. */
  body: Buffer;
}

/** Accumulates socket chunks and yields whole messages as they complete. */
export class MessageFramer {
  private pending: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): WireMessage[] {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const messages: WireMessage[] = [];
    while (this.pending.length >= 4) {
      const length = this.pending.readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_FRAME_SIZE) {
        throw new Error(`invalid wire message length ${length}`);
      }
      if (this.pending.length < length) break;
      messages.push({
        requestId: this.pending.readInt32LE(4),
        responseTo: this.pending.readInt32LE(8),
        opCode: this.pending.readInt32LE(12),
        body: this.pending.subarray(HEADER_SIZE, length),
      });
      this.pending = this.pending.subarray(length);
    }
    return messages;
  }
}

let nextRequestId = 1;

function header(length: number, responseTo: number, opCode: number): Buffer {
  const head = Buffer.alloc(HEADER_SIZE);
  head.writeInt32LE(length, 0);
  head.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  head.writeInt32LE(responseTo, 8);
  head.writeInt32LE(opCode, 12);
  return head;
}

/**
 * OP_MSG reply with a single kind-0 section (we never send checksums); `flags` is
 * OP_MSG_MORE_TO_COME for the replies of an exhaust stream.
 */
export function encodeOpMsgReply(responseTo: number, reply: Document, flags = 0): Buffer {
  const body = serialize(reply);
  const length = HEADER_SIZE + 4 + 1 + body.length;
  const flagsAndKind = Buffer.alloc(5);
  flagsAndKind.writeUInt32LE(flags, 0);
  return Buffer.concat([header(length, responseTo, OP_MSG), flagsAndKind, body]);
}

/** OP_REPLY, only used to answer the legacy OP_QUERY handshake. */
export function encodeOpReply(responseTo: number, reply: Document): Buffer {
  const body = serialize(reply);
  const fixed = Buffer.alloc(20);
  fixed.writeInt32LE(0, 0); // responseFlags
  fixed.writeBigInt64LE(0n, 4); // cursorID
  fixed.writeInt32LE(0, 12); // startingFrom
  fixed.writeInt32LE(1, 16); // numberReturned
  const length = HEADER_SIZE + fixed.length + body.length;
  return Buffer.concat([header(length, responseTo, OP_REPLY), fixed, body]);
}
