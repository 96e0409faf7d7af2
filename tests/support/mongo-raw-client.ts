// A bare MongoDB wire client for tests that must see exactly what goes over the socket:
// OP_MSG (optionally with exhaustAllowed) and legacy OP_QUERY commands, replies decoded
// without number promotion so their BSON types can be checked.
import { deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { connect } from 'node:net';
import type { Socket } from 'node:net';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;

export interface RawReply {
  /** Decoded with promoteValues: false (Int32, Double and Long stay wrapped). */
  doc: Document;
  requestId: number;
  responseTo: number;
  /** The OP_MSG reply was flagged moreToCome (one reply of an exhaust stream). */
  moreToCome: boolean;
}

export class RawMongoClient {
  private pending = Buffer.alloc(0);
  private readonly replies: RawReply[] = [];
  private readonly waiting: Array<(reply: RawReply | Error) => void> = [];
  private nextRequestId = 1;
  private closedError: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    const fail = (error: Error): void => {
      this.closedError = error;
      for (const wake of this.waiting.splice(0)) wake(error);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static async connect(port: number): Promise<RawMongoClient> {
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RawMongoClient(socket);
  }

  private receive(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= 16) {
      const length = this.pending.readInt32LE(0);
      if (this.pending.length < length) break;
      const frame = this.pending.subarray(0, length);
      this.pending = this.pending.subarray(length);
      const opCode = frame.readInt32LE(12);
      let doc: Document;
      let moreToCome = false;
      if (opCode === OP_MSG) {
        moreToCome = (frame.readUInt32LE(16) & MORE_TO_COME) !== 0;
        doc = deserialize(frame.subarray(21), { promoteValues: false });
      } else if (opCode === OP_REPLY) {
        doc = deserialize(frame.subarray(36), { promoteValues: false });
      } else {
        throw new Error(`unexpected opCode ${opCode}`);
      }
      const reply = {
        doc,
        requestId: frame.readInt32LE(4),
        responseTo: frame.readInt32LE(8),
        moreToCome,
      };
      const wake = this.waiting.shift();
      if (wake) wake(reply);
      else this.replies.push(reply);
    }
  }

  /** The next reply to arrive (replies are kept in order until read). */
  next(): Promise<RawReply> {
    const ready = this.replies.shift();
    if (ready) return Promise.resolve(ready);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => {
      this.waiting.push((reply) => (reply instanceof Error ? reject(reply) : resolve(reply)));
    });
  }

  /** Replies received but not read yet. */
  get unread(): number {
    return this.replies.length;
  }

  private header(length: number, opCode: number): { head: Buffer; requestId: number } {
    const requestId = this.nextRequestId++;
    const head = Buffer.alloc(16);
    head.writeInt32LE(length, 0);
    head.writeInt32LE(requestId, 4);
    head.writeInt32LE(0, 8);
    head.writeInt32LE(opCode, 12);
    return { head, requestId };
  }

  /**
   * Sends an OP_MSG; `sequences` become kind-1 sections (pymongo sends insert `documents`
   * and update `updates` that way). Returns the request id.
   */
  sendMsg(
    command: Document,
    options: { exhaustAllowed?: boolean; sequences?: Record<string, Document[]> } = {},
  ): number {
    const parts: Uint8Array[] = [Buffer.from([0]), serialize(command)];
    for (const [identifier, docs] of Object.entries(options.sequences ?? {})) {
      const name = Buffer.from(`${identifier}\0`, 'utf8');
      const bodies = docs.map((doc) => serialize(doc));
      const size = 4 + name.length + bodies.reduce((sum, body) => sum + body.length, 0);
      const sizeBytes = Buffer.alloc(4);
      sizeBytes.writeInt32LE(size, 0);
      parts.push(Buffer.from([1]), sizeBytes, name, ...bodies);
    }
    const flags = Buffer.alloc(4);
    flags.writeUInt32LE(options.exhaustAllowed ? EXHAUST_ALLOWED : 0, 0);
    const body = Buffer.concat([flags, ...parts]);
    const { head, requestId } = this.header(16 + body.length, OP_MSG);
    this.socket.write(Buffer.concat([head, body]));
    return requestId;
  }

  /** Sends a legacy OP_QUERY command on `<db>.$cmd` (pymongo 3's handshake). */
  sendQuery(db: string, command: Document): number {
    const namespace = Buffer.from(`${db}.$cmd\0`, 'utf8');
    const fixed = Buffer.alloc(8);
    fixed.writeInt32LE(0, 0); // numberToSkip
    fixed.writeInt32LE(-1, 4); // numberToReturn
    const flags = Buffer.alloc(4);
    const body = Buffer.concat([flags, namespace, fixed, serialize(command)]);
    const { head, requestId } = this.header(16 + body.length, OP_QUERY);
    this.socket.write(Buffer.concat([head, body]));
    return requestId;
  }

  async command(command: Document, sequences?: Record<string, Document[]>): Promise<Document> {
    this.sendMsg(command, { sequences });
    return (await this.next()).doc;
  }

  close(): void {
    this.socket.destroy();
  }
}
