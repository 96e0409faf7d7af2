// The values of a run's config, info and result as a user sees them, for every BSON type a run
// document can hold. Each document goes through BSON bytes and back with the driver's default
// options first, so values arrive as the sync gets them (Int64 within 2^53 as a number, past
// it as a Long, Int32 and doubles as numbers, NaN and ±inf as Sacred writes Python floats).
// Expected values are written out by hand.
import {
  BSON,
  BSONRegExp,
  BSONSymbol,
  Binary,
  Code,
  DBRef,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
} from 'bson';
import type { Document } from 'bson';
import { describe, expect, it } from 'vitest';
import {
  bsonToPlain,
  gridFsIdsOf,
  idFromOrigin,
  idMatchKey,
  isLegacy06,
  legacySourceNamesOf,
  metricRefsOf,
  originOf,
  readMongoRun,
  runIdString,
} from '../../main/core/mongo/read-mongo-run';

const OID = '6b12d40bf8bbe23ccf18f2d7';
const oid = new ObjectId(OID);
const OTHER = '6b12d40bf8bbe23ccf18f2d8';

/** The document as the driver hands it over after a find (default options). */
function asDriverReturns(doc: Document): Document {
  return BSON.deserialize(BSON.serialize(doc));
}

function configOf(config: Document) {
  return readMongoRun(asDriverReturns({ _id: 1, status: 'COMPLETED', config })).config;
}

describe('config values of each BSON type', () => {
  it('shows integers exactly, as numbers within 2^53 and as their digits past it', () => {
    expect(
      configOf({
        seed: new Int32(2_147_483_647),
        small: Long.fromNumber(-5),
        bigPositive: Long.fromString('9007199254740991'),
        pastPositive: Long.fromString('9007199254740993'),
        bigNegative: Long.fromString('-9007199254740991'),
        pastNegative: Long.fromString('-9007199254740993'),
        min: Long.MIN_VALUE,
      }),
    ).toEqual({
      seed: 2_147_483_647,
      small: -5,
      bigPositive: 9_007_199_254_740_991,
      pastPositive: '9007199254740993',
      bigNegative: -9_007_199_254_740_991,
      pastNegative: '-9007199254740993',
      min: '-9223372036854775808',
    });
    // bigint (a driver asked for useBigInt64) at the very edges of exact numbers.
    expect(bsonToPlain([2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), -3n])).toEqual([
      9_007_199_254_740_991,
      '9007199254740992',
      -9_007_199_254_740_991,
      '-9007199254740992',
      -3,
    ]);
    // A Long the driver did not promote (promoteLongs off), in and past the exact range.
    expect(bsonToPlain([Long.fromNumber(-5), Long.fromString('-9007199254740992')])).toEqual([
      -5,
      '-9007199254740992',
    ]);
  });

  it('shows NaN and ±inf as Sacred writes Python floats, and whole doubles as numbers', () => {
    expect(
      configOf({
        lr: new Double(10),
        nan: NaN,
        inf: Infinity,
        negInf: -Infinity,
        list: [1, new Double(2.5), NaN],
      }),
    ).toEqual({ lr: 10, nan: 'NaN', inf: 'Infinity', negInf: '-Infinity', list: [1, 2.5, 'NaN'] });
    // Not promoted (promoteValues off): the wrappers' values.
    expect(bsonToPlain({ i: new Int32(-4), d: new Double(0.5) })).toEqual({ i: -4, d: 0.5 });
  });

  it('keeps a Decimal128 as its exact digits', () => {
    expect(
      configOf({
        price: Decimal128.fromString('0.10'),
        big: Decimal128.fromString('12345678901234567890.5'),
        nan: Decimal128.fromString('NaN'),
        inf: Decimal128.fromString('-Infinity'),
      }),
    ).toEqual({ price: '0.10', big: '12345678901234567890.5', nan: 'NaN', inf: '-Infinity' });
  });

  it('shows dates as UTC ISO times, and an invalid date as no value', () => {
    expect(
      configOf({ when: new Date(Date.UTC(2026, 10, 26, 21, 32, 2, 430)), epoch: new Date(0) }),
    ).toEqual({ when: '2026-11-26T21:32:02.430Z', epoch: '1970-01-01T00:00:00.000Z' });
    expect(bsonToPlain({ bad: new Date(NaN) })).toEqual({ bad: null });
  });

  it('shows ObjectIds, UUIDs and the other BSON types as text a user can read', () => {
    expect(
      configOf({
        id: oid,
        uuid: new UUID('0f9e8d7c-6b5a-4f3e-9d2c-1b0a99887766'),
        ts: new Timestamp({ t: 1_700_000_000, i: 3 }),
        re: /ab+c/i,
        code: new Code('x = 1'),
        min: new MinKey(),
        max: new MaxKey(),
        ref: new DBRef('runs', oid),
        nothing: null,
      }),
    ).toEqual({
      id: OID,
      uuid: '0f9e8d7c-6b5a-4f3e-9d2c-1b0a99887766',
      ts: { $timestamp: { t: 1_700_000_000, i: 3 } },
      re: '/ab+c/i',
      code: 'x = 1',
      min: '$minKey',
      max: '$maxKey',
      ref: { $ref: 'runs', $id: OID },
      nothing: null,
    });
    // Types the driver only hands over with other options, or from older bson versions.
    expect(
      bsonToPlain({
        re: new BSONRegExp('a+', 'i'),
        sym: new BSONSymbol('sym'),
        oldTag: { _bsontype: 'ObjectID', toHexString: () => OID },
        unknownTag: { _bsontype: 'Future', toString: () => 'future value' },
        undef: undefined,
        fn: () => 1,
        symbol: Symbol('s'),
      }),
    ).toEqual({
      re: '/a+/i',
      sym: 'sym',
      oldTag: OID,
      unknownTag: 'future value',
      undef: null,
      fn: '() => 1',
      symbol: 'Symbol(s)',
    });
  });

  it('shows binary values as a base64 preview, cut with their size past 768 bytes', () => {
    const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => i % 251));
    const config = configOf({
      small: new Binary(bytes(3)),
      exact: new Binary(bytes(768)),
      over: new Binary(bytes(769)),
      // A UUID subtype with the wrong length is not a UUID.
      shortUuid: new Binary(bytes(4), 4),
      // 16 bytes of another subtype (an md5 digest, a numpy buffer) are not a UUID either.
      sixteenBytes: new Binary(bytes(16)),
      userType: new Binary(bytes(2), 0x80),
    });
    expect(config).toEqual({
      small: { $binary: bytes(3).toString('base64') },
      exact: { $binary: bytes(768).toString('base64') },
      over: { $binary: `${bytes(768).toString('base64')}…`, bytes: 769 },
      shortUuid: { $binary: bytes(4).toString('base64') },
      sixteenBytes: { $binary: bytes(16).toString('base64') },
      userType: { $binary: bytes(2).toString('base64') },
    });
    // A Buffer that is a slice of a bigger one shows its own bytes, not the start of the other.
    const pool = Buffer.from('0123456789');
    expect(bsonToPlain(pool.subarray(4, 7))).toEqual({
      $binary: Buffer.from('456').toString('base64'),
    });
  });

  it('keeps info and result values of every type as the config does', () => {
    const run = readMongoRun(
      asDriverReturns({
        _id: 1,
        status: 'COMPLETED',
        info: { best: Long.fromString('9007199254740993'), at: new Date(0), nan: NaN },
        result: [new Double(0.5), Infinity, oid],
      }),
    );
    expect(run.info).toEqual({
      best: '9007199254740993',
      at: '1970-01-01T00:00:00.000Z',
      nan: 'NaN',
    });
    expect(run.result).toEqual([0.5, 'Infinity', OID]);
  });
});

describe('what a value that is not an object is called', () => {
  it('names BSON values, lists and dates given where an object belongs', () => {
    const warningsOf = (config: unknown) =>
      readMongoRun({ _id: 1, status: 'COMPLETED', config }).warnings;
    expect(warningsOf(oid)).toEqual(['config is ObjectId, not an object']);
    expect(warningsOf(Long.fromString('9007199254740993'))).toEqual([
      'config is Long, not an object',
    ]);
    expect(warningsOf(new Date(0))).toEqual(['config is an object, not an object']);
    expect(warningsOf(true)).toEqual(['config is a boolean, not an object']);
    expect(readMongoRun({ _id: 1, status: 'X', config: oid }).config).toEqual({});
    expect(readMongoRun({ _id: 1, status: 'X', info: new Date(0) }).info).toEqual({});
  });
});

describe('run ids as a user sees them', () => {
  it('shows each kind of _id as its text', () => {
    expect(runIdString(new Int32(12))).toBe('12');
    expect(runIdString(new Double(3))).toBe('3');
    expect(runIdString(Long.fromString('9007199254740993'))).toBe('9007199254740993');
    expect(runIdString({ _bsontype: 'ObjectID', toHexString: () => OID })).toBe(OID);
    expect(runIdString(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02T00:00:00.000Z');
    expect(runIdString(new Date(NaN))).toBe('Invalid Date');
    expect(runIdString(undefined)).toBe('');
    expect(runIdString(null)).toBe('null');
    expect(runIdString({ a: 1 })).toBe('{"a":{"$numberInt":"1"}}');
    expect(runIdString(true)).toBe('true');
    // The run list shows the same key the reader gives the run.
    expect(
      readMongoRun(asDriverReturns({ _id: Long.fromString('9007199254740993'), status: 'X' })).id,
    ).toBe('9007199254740993');
  });

  it('matches ids as MongoDB does: numbers by value, text and ObjectIds apart', () => {
    const one = idMatchKey(1);
    for (const same of [new Int32(1), new Double(1), Long.fromNumber(1), 1n]) {
      expect(idMatchKey(same)).toBe(one);
    }
    expect(idMatchKey(Long.fromString('9007199254740993'))).toBe(idMatchKey(2n ** 53n + 1n));
    expect(idMatchKey(Long.fromString('9007199254740993'))).not.toBe(
      idMatchKey(Long.fromString('9007199254740992')),
    );
    expect(idMatchKey(new Double(1.5))).toBe(idMatchKey(1.5));
    expect(idMatchKey(new Double(1.5))).not.toBe(one);
    const kinds = [one, idMatchKey('1'), idMatchKey(oid), idMatchKey(OID), idMatchKey({ a: 1 })];
    expect(new Set(kinds).size).toBe(5);
    expect(idMatchKey({ _bsontype: 'ObjectID', toHexString: () => OID })).toBe(idMatchKey(oid));
    // Two runs with ObjectId ids (Sacred 0.6) keep their metrics apart.
    expect(idMatchKey(new ObjectId(OTHER))).not.toBe(idMatchKey(oid));
    expect(idMatchKey(new ObjectId(OID))).toBe(idMatchKey(oid));
    expect(idMatchKey({ a: 1 })).toBe(idMatchKey({ a: new Int32(1) }));
    expect(idMatchKey({ a: 1 })).not.toBe(idMatchKey({ a: 2 }));
  });

  it('keeps the kind of each id on its way through the cache and back', () => {
    for (const id of [
      new Int32(7),
      Long.fromString('9007199254740993'),
      '7',
      oid,
      new Double(2.5),
    ]) {
      const back = idFromOrigin(JSON.stringify(originOf(id)));
      expect(idMatchKey(back)).toBe(idMatchKey(id));
      expect(runIdString(back)).toBe(runIdString(id));
    }
    expect(originOf(7)).toEqual({ $numberInt: '7' });
    expect(originOf('7')).toBe('7');
    expect(originOf(oid)).toEqual({ $oid: OID });
  });
});

describe('what the sync looks up around a run', () => {
  it('takes info.metrics references with an ObjectId or its hex, in lower case', () => {
    expect(
      metricRefsOf({
        info: {
          metrics: [
            { name: 'loss', id: OID },
            { name: 'acc', id: OTHER.toUpperCase() },
            { name: 'lr', id: oid },
            { name: 'bad', id: 'nothex' },
            { name: 'none' },
            { id: OID },
            'loss',
          ],
        },
      }),
    ).toEqual([
      { name: 'loss', id: OID },
      { name: 'acc', id: OTHER },
      { name: 'lr', id: OID },
      { name: 'bad', id: null },
      { name: 'none', id: null },
    ]);
    expect(metricRefsOf({ info: { metrics: 'x' } })).toEqual([]);
    expect(metricRefsOf({ info: null })).toEqual([]);
    expect(metricRefsOf(null)).toEqual([]);
  });

  it('collects the GridFS ids of artifacts (0.7 and 0.6) and sources, skipping the rest', () => {
    expect(
      gridFsIdsOf({
        artifacts: [{ name: 'a', file_id: oid }, new ObjectId(OTHER), { name: 'b' }, 'x'],
        experiment: {
          sources: [
            ['a.py', OID.toUpperCase()],
            ['/abs/b.py', 'd41d8cd98f00b204e9800998ecf8427e'],
            'c.py',
          ],
        },
      }),
    ).toEqual([OID, OTHER, OID]);
    expect(gridFsIdsOf({ artifacts: 'x', experiment: { sources: 'y' } })).toEqual([]);
    // A run document another tool wrote with no artifacts and no experiment.
    expect(gridFsIdsOf({ _id: 1, status: 'COMPLETED' })).toEqual([]);
    expect(gridFsIdsOf({ _id: 1, experiment: null })).toEqual([]);
    expect(gridFsIdsOf('run')).toEqual([]);
  });

  it('names the Sacred 0.6 sources to look up by path', () => {
    expect(
      legacySourceNamesOf({
        experiment: {
          sources: [
            ['/home/a/exp.py', 'd41d8cd98f00b204e9800998ecf8427e'],
            ['rel.py', oid],
            [5, 'md5'],
            '/x.py',
          ],
        },
      }),
    ).toEqual(['/home/a/exp.py']);
    expect(legacySourceNamesOf({ experiment: {} })).toEqual([]);
    expect(legacySourceNamesOf(null)).toEqual([]);
  });

  it('tells Sacred 0.6 documents by the fields they lack', () => {
    expect(isLegacy06({ _id: oid, status: 'COMPLETED', comment: 'c' })).toBe(true);
    expect(isLegacy06({ _id: 1, format: 'MongoObserver-0.7.0' })).toBe(false);
    expect(isLegacy06({ _id: 1, meta: {} })).toBe(false);
    expect(isLegacy06({ _id: 1, command: 'main' })).toBe(false);
  });
});
