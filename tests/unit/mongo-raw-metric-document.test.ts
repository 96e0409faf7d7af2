import { BSON, Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { compactMetricDocument, toParsedMetric } from '../../main/core/mongo/mongo-metrics';
import { readRawMetricDocument } from '../../main/core/mongo/raw-metric-document';

const parseTime = (text: string): number =>
  Date.parse(/[zZ]|[+-]\d\d:?\d\d$/u.test(text) ? text : `${text}Z`);

/** What the slow path (the driver's decoding, then toParsedMetric) makes of a document. */
function slow(doc: Record<string, unknown>) {
  const decoded = BSON.deserialize(BSON.serialize(doc), { useBigInt64: true });
  return toParsedMetric('m', compactMetricDocument(decoded), []);
}

function fast(doc: Record<string, unknown>) {
  return toParsedMetric('m', readRawMetricDocument(BSON.serialize(doc), parseTime), []);
}

describe('reading a raw metrics document', () => {
  it('decodes every value type like the driver path does', () => {
    const id = new ObjectId();
    const doc = {
      _id: id,
      run_id: Long.fromNumber(2 ** 40),
      name: 'loss',
      steps: [new Int32(0), new Int32(1), Long.fromNumber(2), new Double(3), 4, 5, 6, 7, 8, 9],
      values: [
        new Double(0.5),
        NaN,
        Infinity,
        -Infinity,
        null,
        true,
        new Int32(7),
        Long.fromNumber(2 ** 53 - 1),
        'text',
        Decimal128.fromString('1.25'),
      ],
      timestamps: [
        new Date(Date.UTC(2024, 0, 2)),
        '2024-01-02T03:04:05.678',
        '2024-01-02T03:04:05+02:00',
        null,
        1_700_000_000_000,
        new Date(0),
        'not a time',
        new Date(Date.UTC(2030, 5, 6)),
        new Date(1),
        new Date(2),
      ],
    };
    const expected = slow(doc);
    const got = fast(doc);
    expect([...got.values]).toEqual([...expected.values]);
    expect([...got.steps]).toEqual([...expected.steps]);
    expect([...got.timestamps]).toEqual([...expected.timestamps]);
    const raw = readRawMetricDocument(BSON.serialize(doc), parseTime);
    expect(raw._id).toBeInstanceOf(ObjectId);
    expect((raw._id as ObjectId).equals(id)).toBe(true);
    expect(raw.run_id).toBe(BigInt(2 ** 40));
    expect(raw.name).toBe('loss');
  });

  it('keeps the lengths of uneven arrays, and empty ones', () => {
    const doc = { _id: new ObjectId(), name: 'x', steps: [1, 2, 3], values: [1], timestamps: [] };
    const got = readRawMetricDocument(BSON.serialize(doc), parseTime);
    expect(got.steps).toEqual(new Float64Array([1, 2, 3]));
    expect(got.values).toEqual(new Float64Array([1]));
    expect(got.timestamps).toEqual(new Float64Array(0));
  });

  it('reads long arrays (past its first buffer) exactly', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i));
    const doc = { _id: new ObjectId(), name: 'x', values, steps: values.map((_, i) => i) };
    const got = readRawMetricDocument(BSON.serialize(doc), parseTime);
    expect([...(got.values as Float64Array)]).toEqual(values);
    expect((got.steps as Float64Array)[4999]).toBe(4999);
  });

  it('leaves a document it cannot walk to the general decoder, which refuses it too', () => {
    const bytes = BSON.serialize({ _id: new ObjectId(), name: 'x', values: [1, 2] });
    // An element type BSON does not define (0x20) in front of the arrays.
    const broken = Buffer.from(bytes);
    const at = broken.indexOf(Buffer.from('name\u0000'));
    broken[at - 1] = 0x20;
    expect(() => readRawMetricDocument(broken, parseTime)).toThrow();
    const truncated = Buffer.from(bytes.subarray(0, 10));
    expect(() => readRawMetricDocument(truncated, parseTime)).toThrow();
  });
});
