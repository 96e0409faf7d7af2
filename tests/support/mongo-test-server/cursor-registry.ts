// Server-side cursors: results are computed up front and handed out in batches
// (first batch 101 documents by default, never over 16 MiB of documents).
import { Long, calculateObjectSize } from 'bson';
import type { Document } from 'bson';
import { randomBytes } from 'node:crypto';
import { CommandError } from './command-error';

const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

interface OpenCursor {
  id: bigint;
  ns: string;
  docs: Document[];
  position: number;
}

export interface CursorReply {
  cursor: Document;
  ok: 1;
}

function cursorKey(id: unknown): bigint {
  if (typeof id === 'bigint') return id;
  if (typeof id === 'number' && Number.isInteger(id)) return BigInt(id);
  if (id instanceof Long) return id.toBigInt();
  throw new CommandError('TypeMismatch', 'cursor id must be a 64-bit integer');
}

function newCursorId(): bigint {
  // Positive, non-zero, and above 2^53 so it is sent back as a Long.
  return (randomBytes(8).readBigUInt64BE() >> 2n) | (1n << 60n);
}

export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();

  private takeBatch(cursor: OpenCursor, batchSize: number | undefined): Document[] {
    const batch: Document[] = [];
    let bytes = 0;
    const wanted = batchSize === undefined || batchSize <= 0 ? Infinity : batchSize;
    while (batch.length < wanted && cursor.position < cursor.docs.length) {
      const doc = cursor.docs[cursor.position]!;
      const size = calculateObjectSize(doc);
      if (batch.length > 0 && bytes + size > MAX_BATCH_BYTES) break;
      batch.push(doc);
      bytes += size;
      cursor.position += 1;
    }
    return batch;
  }

  private idOf(cursor: OpenCursor): Long {
    if (cursor.position >= cursor.docs.length) {
      this.cursors.delete(cursor.id);
      return Long.ZERO;
    }
    return Long.fromBigInt(cursor.id);
  }

  /** `batchSize` undefined means mongod's default first batch; 0 opens an empty-batch cursor. */
  open(
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    singleBatch = false,
  ): CursorReply {
    const cursor: OpenCursor = { id: newCursorId(), ns, docs, position: 0 };
    const firstBatch =
      batchSize === 0 ? [] : this.takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    if (singleBatch) cursor.position = docs.length;
    this.cursors.set(cursor.id, cursor);
    return { cursor: { firstBatch, id: this.idOf(cursor), ns }, ok: 1 };
  }

  getMore(rawId: unknown, ns: string, batchSize: number | undefined): CursorReply {
    const id = cursorKey(rawId);
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError('CursorNotFound', `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        'Unauthorized',
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    const nextBatch = this.takeBatch(cursor, batchSize);
    return { cursor: { nextBatch, id: this.idOf(cursor), ns }, ok: 1 };
  }

  kill(ns: string, rawIds: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const raw of rawIds) {
      const id = cursorKey(raw);
      const cursor = this.cursors.get(id);
      if (cursor && cursor.ns === ns) {
        this.cursors.delete(id);
        killed.push(Long.fromBigInt(id));
      } else {
        notFound.push(Long.fromBigInt(id));
      }
    }
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  }

  /** Number of cursors still open; tests use it to see that close() killed one. */
  get openCount(): number {
    return this.cursors.size;
  }
}
