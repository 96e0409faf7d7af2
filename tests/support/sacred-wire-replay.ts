// Replays recorded MongoDB client traffic (../shared/sacred-wire-traces, see its README)
// against the test server: one raw socket per recorded connection, every request in seq
// order, each reply's outcome compared with the recorded one. Server-generated ids
// (upserted metric _ids, cursor ids) are mapped to the new ones and substituted in later
// requests; a SCRAM conversation is run afresh. Alongside, the documents the requests
// should produce are modelled with the exact BSON types the client sent.
import { Binary, EJSON, Long, ObjectId, deserialize, serialize } from 'bson';
import type { Document } from 'bson';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RawMongoClient } from './mongo-raw-client';
import { ScramClient } from './scram-client';
import type { TestUser } from './mongo-test-server';

/** Beside the repository clone (CI checks shared/ out next to it). */
export const TRACE_DIR = fileURLToPath(
  new URL('../../../shared/sacred-wire-traces', import.meta.url),
);

/** The README's one recorded user: the auth scenario's server had only her. */
export const TRACE_USER: TestUser = {
  user: 'alice',
  password: 'S3cret-pw',
  roles: [{ role: 'readWrite', db: '*' }],
};

export interface TraceLine {
  seq: number;
  conn: number;
  legacy: boolean;
  db: string;
  command: Document;
  reply: Document;
  ok: boolean;
  moreToCome?: boolean;
}

/** Scenario names of every `trace-<name>.jsonl` in the folder, sorted. */
export function traceNames(dir = TRACE_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((file) => /^trace-(.+)\.jsonl$/u.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

export function loadTrace(name: string, dir = TRACE_DIR): TraceLine[] {
  return readFileSync(join(dir, `trace-${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((text) => {
      // Only command and reply keep exact BSON types; the line's own fields are plain.
      const line = EJSON.parse(text, { relaxed: false }) as TraceLine;
      return { ...line, seq: Number(String(line.seq)), conn: Number(String(line.conn)) };
    })
    .sort((a, b) => a.seq - b.seq);
}

/** `final-<name>.json`: every collection of the database, documents with exact types. */
export function loadFinal(name: string, dir = TRACE_DIR): Record<string, Document[]> {
  const text = readFileSync(join(dir, `final-${name}.json`), 'utf8');
  return EJSON.parse(text, { relaxed: false }) as Record<string, Document[]>;
}

export function needsAuthentication(lines: TraceLine[]): boolean {
  return lines.some(
    (line) =>
      line.command.speculativeAuthenticate !== undefined ||
      'saslStart' in line.command ||
      'saslContinue' in line.command,
  );
}

export function commandName(command: Document): string {
  return Object.keys(command)[0] ?? '';
}

function tag(value: unknown): string | undefined {
  return value !== null && typeof value === 'object' && '_bsontype' in value
    ? String((value as { _bsontype: unknown })._bsontype)
    : undefined;
}

/** Recorded server-generated values and their replayed counterparts. */
export class IdMap {
  /** Recorded ObjectId hex -> replayed hex (also used for the same hex as a string). */
  readonly objectIds = new Map<string, string>();
  /** Recorded cursor id -> replayed cursor id. */
  readonly cursors = new Map<string, Long>();

  hex(recorded: string): string {
    return this.objectIds.get(recorded) ?? recorded;
  }

  /** A copy of a recorded value with every mapped id replaced. */
  substitute(value: unknown): unknown {
    if (typeof value === 'string') return this.objectIds.get(value) ?? value;
    if (Array.isArray(value)) return value.map((item) => this.substitute(item));
    if (value === null || typeof value !== 'object') return value;
    const type = tag(value);
    if (type === 'ObjectId') {
      const mapped = this.objectIds.get((value as ObjectId).toHexString());
      return mapped === undefined ? value : ObjectId.createFromHexString(mapped);
    }
    if (type !== undefined || value instanceof Date || value instanceof Uint8Array) return value;
    const out: Document = {};
    for (const [key, item] of Object.entries(value)) out[key] = this.substitute(item);
    return out;
  }
}

/**
 * A form of a value for comparing by value: numbers of every BSON type as numbers, key order
 * ignored (keys sorted), ids mapped, other BSON types as tagged strings.
 */
export function byValue(value: unknown, ids: IdMap): unknown {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return ids.hex(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => byValue(item, ids));
  if (value instanceof Date) return `date:${value.toISOString()}`;
  switch (tag(value)) {
    case 'Int32':
    case 'Double':
      return (value as { value: number }).value;
    case 'Long': {
      const long = value as Long;
      return long.toBigInt() === BigInt(long.toNumber()) ? long.toNumber() : `long:${long}`;
    }
    case 'ObjectId':
      return `oid:${ids.hex((value as ObjectId).toHexString())}`;
    case 'Binary': {
      const binary = value as Binary;
      return `bin${binary.sub_type}:${Buffer.from(binary.buffer).toString('base64')}`;
    }
    case undefined:
      break;
    default:
      return `${tag(value)}:${EJSON.stringify(value, { relaxed: false })}`;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    out[key] = byValue((value as Document)[key], ids);
  }
  return out;
}

/**
 * A form that also keeps each number's BSON type (a plain JS number counts as what bson
 * serializes it to), for checking that types survive the server.
 */
export function byType(value: unknown): unknown {
  if (typeof value === 'number') {
    const int32 = Number.isInteger(value) && Math.abs(value) <= 0x7fffffff && !Object.is(value, -0);
    return `${int32 ? 'int' : 'double'}:${value}`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(byType);
  if (value instanceof Date) return `date:${value.toISOString()}`;
  switch (tag(value)) {
    case 'Int32':
      return `int:${(value as { value: number }).value}`;
    case 'Double':
      return `double:${(value as { value: number }).value}`;
    case 'Long':
      return `long:${String(value)}`;
    case undefined:
      break;
    default:
      return `${tag(value)}:${EJSON.stringify(value, { relaxed: false })}`;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = byType((value as Document)[key]);
  return out;
}

/** Reply fields that differ legitimately (README "Reply values that legitimately differ"). */
const VOLATILE_REPLY_FIELDS = new Set(['localTime', 'connectionId', 'topologyVersion']);

function replyForComparison(reply: Document, ids: IdMap): unknown {
  const copy: Document = {};
  for (const [key, value] of Object.entries(reply)) {
    if (VOLATILE_REPLY_FIELDS.has(key)) continue;
    if (key === 'speculativeAuthenticate' || key === 'payload') {
      copy[key] = typeof value === 'object' && value !== null ? Object.keys(value).sort() : value;
      continue;
    }
    if (key === 'cursor' && value !== null && typeof value === 'object') {
      const { id, ...rest } = value as Document;
      copy[key] = { ...rest, open: String(id) !== '0' };
      continue;
    }
    copy[key] = value;
  }
  return byValue(copy, ids);
}

function outcomeOk(reply: Document): boolean {
  return (
    Number(String(reply.ok)) === 1 &&
    reply.writeErrors === undefined &&
    reply.writeConcernError === undefined
  );
}

function payloadText(payload: unknown): string {
  if (payload instanceof Uint8Array) return Buffer.from(payload).toString('utf8');
  const binary = payload as Binary;
  return Buffer.from(binary.buffer).toString('utf8');
}

/** The documents the traced writes produce, with the BSON types the client sent. */
export class ExpectedStore {
  private readonly collections = new Map<string, Document[]>();
  /** Documents changed by something this model does not follow: compared by value only. */
  readonly untyped = new Set<Document>();

  docs(collection: string): Document[] {
    let docs = this.collections.get(collection);
    if (!docs) {
      docs = [];
      this.collections.set(collection, docs);
    }
    return docs;
  }

  names(): string[] {
    return [...this.collections.keys()].filter((name) => this.docs(name).length > 0);
  }

  private matches(doc: Document, query: Document, ids: IdMap): boolean {
    return Object.entries(query).every(([key, value]) => {
      if (key.startsWith('$') || key.includes('.')) return false;
      return JSON.stringify(byValue(doc[key], ids)) === JSON.stringify(byValue(value, ids));
    });
  }

  insert(collection: string, docs: Document[], inserted: number): void {
    for (const doc of docs.slice(0, inserted)) this.docs(collection).push(copyTyped(doc));
  }

  update(collection: string, statement: Document, upsertedId: unknown, ids: IdMap): void {
    const query = (statement.q ?? {}) as Document;
    const change = statement.u as Document;
    const docs = this.docs(collection);
    const targets = docs.filter((doc) => this.matches(doc, query, ids));
    const chosen = statement.multi === true ? targets : targets.slice(0, 1);
    if (chosen.length === 0 && upsertedId !== undefined) {
      const seed: Document = {};
      for (const [key, value] of Object.entries(query)) {
        if (!key.startsWith('$') && !key.includes('.')) seed[key] = value;
      }
      const doc: Document = { _id: upsertedId, ...seed };
      this.apply(doc, change, true);
      docs.push(doc);
      return;
    }
    for (const doc of chosen) this.apply(doc, change, false);
  }

  delete(collection: string, statement: Document, ids: IdMap): void {
    const docs = this.docs(collection);
    const query = (statement.q ?? {}) as Document;
    const limit = Number(String(statement.limit ?? 0));
    let removed = 0;
    for (let i = docs.length - 1; i >= 0; i -= 1) {
      if (limit === 1 && removed === 1) break;
      if (this.matches(docs[i]!, query, ids)) {
        docs.splice(i, 1);
        removed += 1;
      }
    }
  }

  private apply(doc: Document, change: Document, inserting: boolean): void {
    const operators = Object.keys(change);
    if (!operators.every((op) => op.startsWith('$'))) {
      for (const key of Object.keys(doc)) if (key !== '_id') delete doc[key];
      Object.assign(doc, copyTyped(change));
      return;
    }
    for (const [operator, spec] of Object.entries(change)) {
      for (const [path, value] of Object.entries(spec as Document)) {
        const parts = path.split('.');
        const last = parts.pop()!;
        let parent: Document = doc;
        for (const part of parts) {
          if (parent[part] === null || typeof parent[part] !== 'object') parent[part] = {};
          parent = parent[part] as Document;
        }
        if (operator === '$set' || (operator === '$setOnInsert' && inserting)) {
          if (path !== '_id') parent[last] = copyTyped(value);
        } else if (operator === '$setOnInsert') {
          continue;
        } else if (operator === '$unset') {
          delete parent[last];
        } else if (operator === '$push') {
          const each =
            value !== null && typeof value === 'object' && '$each' in (value as Document)
              ? ((value as Document).$each as unknown[])
              : [value];
          const current = Array.isArray(parent[last]) ? (parent[last] as unknown[]) : [];
          parent[last] = [...current, ...(copyTyped(each) as unknown[])];
        } else {
          this.untyped.add(doc);
        }
      }
    }
  }
}

function copyTyped<T>(value: T): T {
  return (deserialize(serialize({ v: value }), { promoteValues: false }) as { v: T }).v;
}

export interface ReplayReport {
  /** One line per request whose outcome or reply differs from the recording. */
  mismatches: string[];
  ids: IdMap;
  expected: ExpectedStore;
  /** The database the traced writes went to (the first non-admin one). */
  database: string;
  requests: number;
  authenticated: boolean;
}

/** Moves `documents`/`updates`/`deletes` into kind-1 sequences, as pymongo sent them. */
function splitSequences(command: Document): {
  body: Document;
  sequences: Record<string, Document[]>;
} {
  const body: Document = {};
  const sequences: Record<string, Document[]> = {};
  const name = commandName(command);
  const sequenceField =
    name === 'insert'
      ? 'documents'
      : name === 'update'
        ? 'updates'
        : name === 'delete'
          ? 'deletes'
          : '';
  for (const [key, value] of Object.entries(command)) {
    if (key === sequenceField && Array.isArray(value)) sequences[key] = value as Document[];
    else body[key] = value;
  }
  return { body, sequences };
}

export async function replayTrace(
  lines: TraceLine[],
  port: number,
  user: TestUser = TRACE_USER,
): Promise<ReplayReport> {
  const ids = new IdMap();
  const expected = new ExpectedStore();
  const sockets = new Map<number, RawMongoClient>();
  const scram = new Map<number, ScramClient>();
  /** Per connection: the server-first message of the SCRAM conversation in progress. */
  const serverFirsts = new Map<number, string>();
  const mismatches: string[] = [];
  let database = '';
  let authenticated = false;
  try {
    for (const line of lines) {
      let socket = sockets.get(line.conn);
      if (!socket) {
        socket = await RawMongoClient.connect(port);
        sockets.set(line.conn, socket);
      }
      let command = ids.substitute(line.command) as Document;
      const name = commandName(command);
      if (line.db !== 'admin' && database === '') database = line.db;
      // A fresh SCRAM conversation replaces the recorded payloads (new nonces each time).
      const speculative = command.speculativeAuthenticate as Document | undefined;
      if (speculative !== undefined || name === 'saslStart') {
        const first = payloadText((speculative ?? command).payload);
        const userName = /(?:^|,)n=([^,]*)/u.exec(first.slice(3))?.[1] ?? user.user;
        const client = new ScramClient(userName, user.password);
        scram.set(line.conn, client);
        const payload = new Binary(Buffer.from(client.clientFirst(), 'utf8'));
        command =
          speculative !== undefined
            ? { ...command, speculativeAuthenticate: { ...speculative, payload } }
            : { ...command, payload };
      }
      if (name === 'getMore') {
        command = {
          ...command,
          getMore: ids.cursors.get(String(command.getMore)) ?? command.getMore,
        };
      } else if (name === 'killCursors' && Array.isArray(command.cursors)) {
        const cursors = command.cursors as unknown[];
        command = { ...command, cursors: cursors.map((id) => ids.cursors.get(String(id)) ?? id) };
      }
      if (name === 'saslContinue') {
        const client = scram.get(line.conn);
        const pending = serverFirsts.get(line.conn);
        if (client && pending !== undefined) {
          command = {
            ...command,
            payload: new Binary(Buffer.from(client.clientFinal(pending), 'utf8')),
          };
        }
      }
      const { body, sequences } = splitSequences(command);
      if (line.legacy) socket.sendQuery(line.db, command);
      else socket.sendMsg(body, { sequences });
      if (line.moreToCome === true) continue;
      const reply = (await socket.next()).doc;
      // Record what the server generated before comparing, so the comparison maps it.
      if (Array.isArray(reply.upserted) && Array.isArray(line.reply.upserted)) {
        for (const recorded of line.reply.upserted as Document[]) {
          const mine = (reply.upserted as Document[]).find(
            (entry) => Number(String(entry.index)) === Number(String(recorded.index)),
          );
          if (tag(recorded._id) === 'ObjectId' && tag(mine?._id) === 'ObjectId') {
            ids.objectIds.set(
              (recorded._id as ObjectId).toHexString(),
              (mine!._id as ObjectId).toHexString(),
            );
          }
        }
      }
      const recordedCursor = (line.reply.cursor as Document | undefined)?.id;
      const myCursor = (reply.cursor as Document | undefined)?.id;
      if (
        recordedCursor !== undefined &&
        myCursor !== undefined &&
        String(recordedCursor) !== '0'
      ) {
        ids.cursors.set(String(recordedCursor), Long.fromString(String(myCursor)));
      }
      const sasl = (reply.speculativeAuthenticate ?? reply) as Document;
      if (sasl.payload !== undefined && sasl.done === false) {
        serverFirsts.set(line.conn, payloadText(sasl.payload));
      }
      if (name === 'saslContinue' && reply.done === true) {
        const client = scram.get(line.conn);
        authenticated = client?.verifyServerFinal(payloadText(reply.payload)) ?? false;
        if (!authenticated)
          mismatches.push(`seq ${line.seq}: the server's SCRAM signature is wrong`);
      }
      const ok = outcomeOk(reply);
      if (
        ok !== line.ok ||
        (!ok && Number(String(reply.code)) !== Number(String(line.reply.code)))
      ) {
        mismatches.push(
          `seq ${line.seq} ${name}: outcome ${ok ? 'ok' : `code ${String(reply.code)}`}, recorded ${line.ok ? 'ok' : `code ${String(line.reply.code)}`}: ${EJSON.stringify(reply)}`,
        );
      } else {
        const mine = JSON.stringify(replyForComparison(reply, ids));
        const recorded = JSON.stringify(replyForComparison(line.reply, ids));
        if (mine !== recorded) {
          mismatches.push(`seq ${line.seq} ${name}: reply ${mine}\n  recorded ${recorded}`);
        }
      }
      modelWrite(expected, command, reply, ids);
    }
  } finally {
    for (const socket of sockets.values()) socket.close();
  }
  return { mismatches, ids, expected, database, requests: lines.length, authenticated };
}

function modelWrite(expected: ExpectedStore, command: Document, reply: Document, ids: IdMap): void {
  const name = commandName(command);
  const collection = command[name];
  if (typeof collection !== 'string') return;
  const failed = new Set(
    ((reply.writeErrors ?? []) as Document[]).map((error) => Number(String(error.index))),
  );
  if (name === 'insert') {
    const docs = (command.documents ?? []) as Document[];
    expected.insert(collection, docs, Number(String(reply.n ?? docs.length)));
  } else if (name === 'update') {
    ((command.updates ?? []) as Document[]).forEach((statement, index) => {
      if (failed.has(index)) return;
      const upserted = ((reply.upserted ?? []) as Document[]).find(
        (entry) => Number(String(entry.index)) === index,
      );
      expected.update(collection, statement, upserted?._id, ids);
    });
  } else if (name === 'delete') {
    ((command.deletes ?? []) as Document[]).forEach((statement, index) => {
      if (!failed.has(index)) expected.delete(collection, statement, ids);
    });
  }
}
